import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importFec } from '../../../src/services/imports/import-fec.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { count, invoiceRow, newOrg } from '../imports/helpers.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/fec', name));

describeEngines('FEC import: dialects, lettering and sync', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(engine);
  });
  afterAll(async () => t.drop());

  it.each(['sync-month2.txt', 'pipe-latin1.txt', 'montant-sens.txt', '21-columns.txt'])(
    'imports %s, reconciles each customer to the cent and re-imports as a no-op',
    async (name) => {
      const org = await newOrg(t);
      const s = await importFec(t.db, org, { input: fixture(name), filename: name });
      expect(s.status).toBe('committed');
      expect(s.rowsRead).toBe(s.accepted + s.rejected);
      expect(s.reconciliation).toEqual({ customers: 2, matched: 2, mismatches: [] });
      expect(s).toMatchObject({
        invoices: { created: 3 },
        creditNotes: { created: 1 },
        payments: { created: 2 },
        allocations: { created: 3, partialGroups: 1 },
      });
      expect(await invoiceRow(t, org, 'FA001')).toMatchObject({
        gross_minor: 120000,
        paid_minor: 108000,
        credited_minor: 12000,
        balance_minor: 0,
        status: 'paid',
      });
      expect(await invoiceRow(t, org, 'FA002')).toMatchObject({
        balance_minor: 35000,
        status: 'partially_paid',
      });
      expect(await invoiceRow(t, org, 'FA003')).toMatchObject({ balance_minor: 30000, status: 'open' });
      const again = await importFec(t.db, org, { input: fixture(name), filename: name });
      expect(again).toMatchObject({
        status: 'committed',
        invoices: { created: 0, updated: 0, unchanged: 3 },
        payments: { created: 0, updated: 0, unchanged: 2 },
        allocations: { created: 0, removed: 0, kept: 3 },
        flaggedDisappeared: 0,
      });
    },
  );

  it('takes the due date from DateRglt, else from the terms, and says which', async () => {
    const org = await newOrg(t);
    const withRglt = await importFec(t.db, org, { input: fixture('21-columns.txt') });
    expect(withRglt.dueDates).toEqual({
      fromFile: 1,
      customerTerms: 0,
      importTerms: 0,
      organisationTerms: 2,
    });
    expect((await invoiceRow(t, org, 'FA001'))?.due_date).toBe('2026-02-04');
    expect((await invoiceRow(t, org, 'FA002'))?.due_date).toBe('2026-02-09');
    const org2 = await newOrg(t);
    const s = await importFec(t.db, org2, { input: fixture('sync-month2.txt'), termsDays: 45 });
    expect(s.dueDates).toEqual({ fromFile: 0, customerTerms: 0, importTerms: 3, organisationTerms: 0 });
    expect((await invoiceRow(t, org2, 'FA002'))?.due_date).toBe('2026-02-24');
    const pay = await sql<{ method: string }>`
      select method from payments where org_id = ${org} and payment_reference = 'FEC BQ BQ2'`.execute(t.db);
    expect(pay.rows[0]?.method).toBe('cheque');
  });

  it("syncs next month's export: creates only what is new, settles what was lettered, flags what disappeared", async () => {
    const org = await newOrg(t);
    const jan = await importFec(t.db, org, { input: fixture('sync-month1.txt') });
    expect(jan.reconciliation.mismatches).toEqual([]);
    expect(await invoiceRow(t, org, 'FA002')).toMatchObject({ balance_minor: 60000, status: 'open' });
    expect(await invoiceRow(t, org, 'FA009')).toMatchObject({ balance_minor: 9000 });

    const feb = await importFec(t.db, org, { input: fixture('sync-month2.txt') });
    expect(feb).toMatchObject({
      status: 'committed',
      customers: { created: 0 },
      invoices: { created: 1, updated: 0, unchanged: 2 },
      creditNotes: { created: 0, unchanged: 1 },
      payments: { created: 1, unchanged: 1 },
      allocations: { created: 1, removed: 0, kept: 2 },
      flaggedDisappeared: 1,
    });
    expect(feb.reconciliation.mismatches).toEqual([]);
    expect(await invoiceRow(t, org, 'FA002')).toMatchObject({
      balance_minor: 35000,
      status: 'partially_paid',
    });
    // Flagged, not deleted.
    expect(await invoiceRow(t, org, 'FA009')).toMatchObject({ gross_minor: 9000 });
    const flagged = await sql<{ fec_key: string }>`
      select fec_key from fec_items where org_id = ${org} and disappeared_at is not null`.execute(t.db);
    expect(flagged.rows.map((r) => r.fec_key)).toEqual(['VE:VE9:41100000:C002:1']);
    expect(await count(t, 'invoices', org)).toBe(4);

    const again = await importFec(t.db, org, { input: fixture('sync-month2.txt') });
    expect(again).toMatchObject({
      invoices: { created: 0, updated: 0 },
      payments: { created: 0, updated: 0 },
      allocations: { created: 0, removed: 0 },
      flaggedDisappeared: 0,
    });
  });

  it('follows the books when an amount changes or a lettering is undone (history kept)', async () => {
    const org = await newOrg(t);
    await importFec(t.db, org, { input: fixture('sync-month2.txt') });
    const text = fixture('sync-month2.txt')
      .toString('utf8')
      .replace('Café février\t300,00\t0,00', 'Café février\t310,00\t0,00')
      .replace('Café février\t0,00\t250,00', 'Café février\t0,00\t260,00')
      .replaceAll('\tAB\t20260125\t', '\t\t\t');
    const s = await importFec(t.db, org, { input: Buffer.from(text) });
    expect(s).toMatchObject({
      status: 'committed',
      invoices: { created: 0, updated: 1 },
      allocations: { created: 0, removed: 1, kept: 2 },
    });
    expect(s.reconciliation.mismatches).toEqual([]);
    expect(await invoiceRow(t, org, 'FA002')).toMatchObject({ balance_minor: 60000, status: 'open' });
    expect(await invoiceRow(t, org, 'FA003')).toMatchObject({ gross_minor: 31000, balance_minor: 31000 });
    const pay = await sql<{ unallocated_minor: number }>`
      select unallocated_minor from payments where org_id = ${org} and payment_reference = 'FEC BQ BQ2'`.execute(
      t.db,
    );
    expect(pay.rows[0]?.unallocated_minor).toBe(25000);
    const history = await sql<{ changes: unknown }>`
      select h.changes from ledger_history h join invoices i on i.org_id = h.org_id and i.id = h.entity_id
      where h.org_id = ${org} and i.invoice_number = 'FA003'`.execute(t.db);
    expect(history.rows).toEqual([{ changes: { amount_minor: { new: 31000 }, source: 'fec' } }]);
  });

  it('refuses a file that does not balance or does not read, writing nothing, and counts every line', async () => {
    const org = await newOrg(t);
    const text = fixture('sync-month2.txt').toString('utf8').replace('\t0,00\t1000,00\t', '\t0,00\t999,99\t');
    const s = await importFec(t.db, org, { input: Buffer.from(text) });
    expect(s.status).toBe('rejected');
    expect(s.unbalanced).toEqual([{ journal: 'VE', ecritureNum: 'VE1', differenceMinor: 1 }]);
    expect(s).toMatchObject({ accepted: 0, rejected: s.rowsRead });
    expect(await count(t, 'invoices', org)).toBe(0);

    const bad = fixture('sync-month2.txt').toString('utf8').replace('20260110', '20261310');
    const r = await importFec(t.db, org, { input: Buffer.from(bad) });
    expect(r.status).toBe('rejected');
    expect(r.errors).toEqual([
      { line: 5, column: 'EcritureDate', value: '20261310', reason: 'not a calendar date' },
    ]);
    expect(await count(t, 'customers', org)).toBe(0);
  });

  it('a dry run reports what the import would do and keeps nothing', async () => {
    const org = await newOrg(t);
    const s = await importFec(t.db, org, { input: fixture('sync-month2.txt'), dryRun: true });
    expect(s).toMatchObject({ dryRun: true, status: 'committed', invoices: { created: 3 } });
    expect(s.reconciliation.mismatches).toEqual([]);
    expect(await count(t, 'invoices', org)).toBe(0);
  });

  it('names the customer and both figures when Relance does not hold what the books say', async () => {
    const org = await newOrg(t);
    await importFec(t.db, org, { input: fixture('sync-month1.txt') });
    // A hand-made change to an imported row: the next import must not paper over it.
    await sql`update invoices set gross_minor = gross_minor + 100, balance_minor = balance_minor + 100
      where org_id = ${org} and invoice_number = 'FA002'`.execute(t.db);
    const s = await importFec(t.db, org, { input: fixture('sync-month1.txt') });
    expect(s.status).toBe('rejected');
    expect(s.reconciliation.mismatches).toEqual([
      { customerRef: 'C002', customerName: 'Café Müller', booksMinor: 69000, relanceMinor: 69100 },
    ]);
  });
});
