import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { invoiceRow, newOrg, run } from './helpers.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/imports', name));

describeEngines('importing the sample French files in order', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(engine);
  });
  afterAll(async () => t.drop());

  it('loads customers, invoices, payments and credit notes into consistent balances', async () => {
    const org = await newOrg(t);
    const steps = [
      ['customers', 'customers-fr.csv', 3],
      ['invoices', 'invoices-fr.csv', 4],
      ['payments', 'payments-fr.csv', 3],
      ['credit-notes', 'credit-notes-fr.csv', 1],
    ] as const;
    for (const [entity, file, created] of steps) {
      const s = await run(t, org, entity, fixture(file), { mode: 'all-or-nothing' });
      expect({ file, status: s.status, created: s.created, errors: s.errors }).toEqual({
        file,
        status: 'committed',
        created,
        errors: [],
      });
    }
    expect(await invoiceRow(t, org, 'FA-2026-0001')).toMatchObject({ balance_minor: 0, status: 'paid' });
    // 1 350,00 paid 1 200,00 + 150,00 on FA-0002 (300,00), then a 150,00 credit note settles it.
    expect(await invoiceRow(t, org, 'FA-2026-0002')).toMatchObject({
      paid_minor: 15000,
      credited_minor: 15000,
      balance_minor: 0,
    });
    expect(await invoiceRow(t, org, 'FA-2026-0003')).toMatchObject({
      balance_minor: 340000,
      status: 'partially_paid',
    });
    expect(await invoiceRow(t, org, 'FA-2026-0004')).toMatchObject({ balance_minor: 10000, status: 'open' });
    const credit = await sql<{ unallocated_minor: number }>`
      select unallocated_minor from payments where org_id = ${org} and payment_reference = 'VIR-20260215-07'`.execute(
      t.db,
    );
    expect(credit.rows[0]?.unallocated_minor).toBe(15000);
    const seg = await sql<{ segment: string; payment_terms_days: number | null }>`
      select segment, payment_terms_days from customers where org_id = ${org} and external_ref = 'C002'`.execute(
      t.db,
    );
    expect(seg.rows[0]).toEqual({ segment: 'strategic', payment_terms_days: 45 });

    const again = await run(t, org, 'invoices', fixture('invoices-fr-cp1252.csv'));
    expect(again).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 4,
      detected: { encoding: 'windows-1252' },
    });
  });
});
