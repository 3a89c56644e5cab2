import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMappingFile, normaliseHeader, parseMapping, planColumns } from '../../../src/ingest/mapping.js';

describe('column mapping', () => {
  it('recognises common French invoice headers regardless of case, accents and spacing', () => {
    const plan = planColumns('invoices', [
      'N° facture',
      'CODE CLIENT',
      'Date facture',
      "Date d'échéance",
      'Montant HT',
      'TVA',
      'Montant TTC',
      'Devise',
      'Commentaire interne',
    ]);
    expect(plan.columns).toEqual({
      'N° facture': 'invoiceNumber',
      'CODE CLIENT': 'customerRef',
      'Date facture': 'issueDate',
      "Date d'échéance": 'dueDate',
      'Montant HT': 'net',
      TVA: 'tax',
      'Montant TTC': 'gross',
      Devise: 'currency',
    });
    expect(plan.ignored).toEqual(['Commentaire interne']);
  });

  it('recognises English headers and the typographic apostrophe', () => {
    const plan = planColumns('invoices', [
      'Invoice number',
      'Customer code',
      'Invoice date',
      'Date d’échéance',
      'Gross',
    ]);
    expect(plan.byField).toMatchObject({
      invoiceNumber: 'Invoice number',
      dueDate: 'Date d’échéance',
      gross: 'Gross',
    });
  });

  it('prefers the more specific header when two claim one field', () => {
    const plan = planColumns('invoices', ['Client', 'Code client', 'Facture', 'Échéance', 'Date', 'Montant']);
    expect(plan.byField.customerRef).toBe('Code client');
    expect(plan.ignored).toContain('Client');
  });

  it('reads payment and credit-note headers', () => {
    expect(
      planColumns('payments', ['Référence', 'Code client', 'Date de paiement', 'Montant', 'Factures'])
        .columns,
    ).toEqual({
      Référence: 'paymentReference',
      'Code client': 'customerRef',
      'Date de paiement': 'receivedOn',
      Montant: 'amount',
      Factures: 'invoiceNumbers',
    });
    expect(
      planColumns('credit-notes', ['N° avoir', 'Code client', 'Date', 'Montant TTC']).byField
        .creditNoteNumber,
    ).toBe('N° avoir');
    expect(planColumns('customers', ['Code client', 'Raison sociale', 'SIREN']).byField).toEqual({
      externalRef: 'Code client',
      name: 'Raison sociale',
      siren: 'SIREN',
    });
  });

  it('lets a user mapping override the synonyms and ignore columns', () => {
    const plan = planColumns('invoices', ['Pièce', 'Tiers', 'Date', 'Échéance', 'Montant', 'Total'], {
      Tiers: 'customerRef',
      Montant: 'ignore',
      Total: 'gross',
    });
    expect(plan.byField).toMatchObject({ invoiceNumber: 'Pièce', customerRef: 'Tiers', gross: 'Total' });
    expect(plan.ignored).toContain('Montant');
  });

  it('names every missing required field in one error before any row is read', () => {
    try {
      planColumns('invoices', ['N° facture', 'Montant TTC']);
      expect.unreachable();
    } catch (e) {
      const details = (e as { details: { field?: string }[] }).details.map((d) => d.field);
      expect(details).toEqual(['customerRef', 'issueDate', 'dueDate']);
      expect((e as Error).message).toMatch(/no column for required field customerRef/);
    }
  });

  it('refuses a user mapping to an unknown field', () => {
    expect(() => planColumns('payments', ['x'], { x: 'amountt' })).toThrow(/unknown field "amountt"/);
  });

  it('normalises headers', () => {
    expect(normaliseHeader('  N° de la Facture ')).toBe('nodelafacture');
    expect(normaliseHeader('Date d’Échéance')).toBe('datedecheance');
  });

  it('loads a mapping file, flat or under "columns"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-map-'));
    const path = join(dir, 'map.json');
    writeFileSync(path, JSON.stringify({ columns: { Tiers: 'customerRef' } }));
    expect(await loadMappingFile(path)).toEqual({ Tiers: 'customerRef' });
    expect(parseMapping('{"A":"gross"}')).toEqual({ A: 'gross' });
    expect(() => parseMapping('{"A":1}')).toThrow(/must map/);
    await expect(loadMappingFile(join(dir, 'missing.json'))).rejects.toThrow(/Cannot read mapping file/);
  });
});
