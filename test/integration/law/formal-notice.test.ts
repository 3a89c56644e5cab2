import { afterAll, beforeAll, expect, it } from 'vitest';
import { refreshBalances } from '../../../src/db/queries/balances.js';
import { AppError } from '../../../src/errors.js';
import { getEscalationEstimate } from '../../../src/services/law/estimate-escalation.js';
import { renderFormalNotice } from '../../../src/services/law/render-formal-notice.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { plain, readPdf } from '../../unit/channels/pdf-text.js';
import { type CaseFixture, seedCase } from './case-fixture.js';

describeEngines('mise en demeure PDF of a ledger customer', (engine) => {
  let t: TestDb;
  let c: CaseFixture;
  beforeAll(async () => {
    t = await createTestDb(engine);
    c = await seedCase(t.db);
  });
  afterAll(async () => t.drop());

  it('prints both parties, the overdue invoices and the figures computed to the letter date', async () => {
    const r = await renderFormalNotice(t.db, c.orgId, c.customerId, { date: '2025-09-30' });
    expect(r.notice.totals).toEqual({
      principal: { amount: 747_381, currency: 'EUR' },
      interest: { amount: 26_279, currency: 'EUR' },
      indemnity: { amount: 8_000, currency: 'EUR' },
      total: { amount: 781_660, currency: 'EUR' },
    });
    expect(r.notice.deadline).toBe('2025-10-15');
    expect(r.excluded).toEqual([
      { invoiceNumber: 'F-2025-003', reason: expect.stringContaining('disputed') },
    ]);
    const pdf = await readPdf(r.pdf);
    const text = plain(pdf.text.join('\n'));
    for (const s of [
      'Créancier Dupont SAS',
      'SIREN 732 829 320',
      'TVA intracommunautaire FR44732829320',
      'Martin Bâtiment SARL',
      '69003 LYON',
      'SIREN 552 100 554',
      'TVA FR27552100554',
      'Lettre recommandée avec accusé de réception',
      'Objet : MISE EN DEMEURE DE PAYER',
      'Paris, le 30 septembre 2025',
      'F-2025-001',
      'F-2025-002',
      '6 273,81 €', // EX2 principal after imputing the payment to interest first (1343-1 C. civ.)
      '4 000,00 €', // the payment received, as the debtor knows it
      "imputés d'abord sur les intérêts",
      '36,75 €',
      '7 473,81 €',
      '262,79 €',
      '80,00 €',
      '7 816,60 €',
      '15 octobre 2025',
      'injonction de payer',
      'art. L441-10 C. com.',
      'art. D441-5 C. com.',
      'art. 1344 C. civ.',
      'IBAN FR76 3000 6000 0112 3456 7890 189',
    ]) {
      expect(text, s).toContain(s);
    }
    expect(text).not.toContain('F-2025-003');
    expect(text).not.toContain('F-2025-004');
    // The debtor sits in the envelope window (x ≥ 90 mm, 45–90 mm from the top).
    const debtor = pdf.items.find((i) => i.str.includes('Martin Bâtiment SARL') && i.topMm < 95);
    expect(debtor?.xMm).toBeGreaterThanOrEqual(90);
    expect(debtor?.topMm).toBeGreaterThan(45);
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.pages).toBe(1); // a two-invoice notice fits on one sheet
  });

  it('renders the same bytes twice (the hash identifies the letter)', async () => {
    const a = await renderFormalNotice(t.db, c.orgId, c.customerId, { date: '2025-09-30' });
    const b = await renderFormalNotice(t.db, c.orgId, c.customerId, { date: '2025-09-30' });
    expect(a.sha256).toBe(b.sha256);
  });

  it('moves a deadline falling on a weekend to the next working day', async () => {
    // 2025-10-03 + 15 days = Saturday 18 October → Monday 20 October.
    const r = await renderFormalNotice(t.db, c.orgId, c.customerId, { date: '2025-10-03' });
    expect(r.notice.deadline).toBe('2025-10-20');
    expect(plain((await readPdf(r.pdf)).text.join('\n'))).toContain('20 octobre 2025');
  });

  it('refuses a customer with nothing overdue, naming why', async () => {
    const err = await renderFormalNotice(t.db, c.orgId, c.customerId, { date: '2025-03-01' }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('UNPROCESSABLE');
  });

  it('writes a consumer notice without penalties or fees, and routes it to the tribunal judiciaire', async () => {
    const consumer = await t.db
      .insertInto('customers')
      .values({
        org_id: c.orgId,
        external_ref: 'PART-7',
        name: 'M. Jean Petit',
        kind: 'b2c',
        address_line1: '8 rue des Lilas',
        postal_code: '13006',
        city: 'Marseille',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('invoices')
      .values({
        org_id: c.orgId,
        customer_id: consumer.id,
        invoice_number: 'P-2025-010',
        issue_date: '2025-05-01',
        due_date: '2025-05-31',
        currency: 'EUR',
        gross_minor: 85_000,
      })
      .execute();
    await refreshBalances(t.db, c.orgId, { customerIds: [consumer.id] });
    const r = await renderFormalNotice(t.db, c.orgId, consumer.id, { date: '2025-09-30' });
    expect(r.notice.totals.total).toEqual({ amount: 85_000, currency: 'EUR' });
    const text = plain((await readPdf(r.pdf)).text.join('\n'));
    expect(text).toContain('art. 1231-6 C. civ.');
    expect(text).toContain('Aucun frais de recouvrement ne vous sera facturé');
    expect(text).not.toContain('Indemnité forfaitaire pour frais de recouvrement');
    const e = await getEscalationEstimate(t.db, c.orgId, consumer.id, { date: '2025-09-30' });
    expect(e.court).toMatchObject({
      court: 'tribunal_judiciaire',
      department: '13',
      injonctionForm: 'Cerfa n° 12948',
    });
    expect(e.smallClaims?.eligible).toBe(true);
    // No greffe fee at the tribunal judiciaire: only the commissaire de justice defaults.
    expect(e.routes[0]?.result.fees.map((f) => f.label)).not.toContain(
      'Frais de greffe : requête en injonction de payer (tribunal de commerce)',
    );
  });

  it('names the missing debtor address instead of printing an unusable letter', async () => {
    const nowhere = await t.db
      .insertInto('customers')
      .values({ org_id: c.orgId, external_ref: 'NOADDR', name: 'Sans Adresse SARL' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('invoices')
      .values({
        org_id: c.orgId,
        customer_id: nowhere.id,
        invoice_number: 'F-2025-099',
        issue_date: '2025-05-01',
        due_date: '2025-05-31',
        currency: 'EUR',
        gross_minor: 10_000,
      })
      .execute();
    await refreshBalances(t.db, c.orgId, { customerIds: [nowhere.id] });
    const err = (await renderFormalNotice(t.db, c.orgId, nowhere.id, { date: '2025-09-30' }).catch(
      (x) => x,
    )) as AppError;
    expect(err.code).toBe('UNPROCESSABLE');
    expect(err.details[0]?.field).toBe('customer.address');
  });

  it("prints a foreign debtor's country and names no French court for it", async () => {
    const foreign = await t.db
      .insertInto('customers')
      .values({
        org_id: c.orgId,
        external_ref: 'BE-1',
        name: 'Brasserie Wallonne SPRL',
        address_line1: 'Rue Haute 10',
        postal_code: '1000',
        city: 'Bruxelles',
        country: 'BE',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('invoices')
      .values({
        org_id: c.orgId,
        customer_id: foreign.id,
        invoice_number: 'F-2025-200',
        issue_date: '2025-05-01',
        due_date: '2025-05-31',
        currency: 'EUR',
        gross_minor: 250_000,
      })
      .execute();
    await refreshBalances(t.db, c.orgId, { customerIds: [foreign.id] });
    const r = await renderFormalNotice(t.db, c.orgId, foreign.id, { date: '2025-09-30' });
    expect(plain((await readPdf(r.pdf)).text.join('\n'))).toContain('BELGIQUE');
    const e = await getEscalationEstimate(t.db, c.orgId, foreign.id, { date: '2025-09-30' });
    expect(e.court).toBeNull();
    expect(e.courtUnavailable).toContain('1896/2006');
  });
});
