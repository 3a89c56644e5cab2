import { afterAll, beforeAll, expect, it } from 'vitest';
import { refreshBalances } from '../../../src/db/queries/balances.js';
import { computeInvoicePenalties } from '../../../src/services/law/invoice-penalties.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

describeEngines('penalties of a ledger invoice', (engine) => {
  let t: TestDb;
  let orgId: string;
  let invoiceId: string;
  beforeAll(async () => {
    t = await createTestDb(engine);
    orgId = (await createOrganisation(t.db, { name: 'Pénalités SAS' })).id;
    const customer = await t.db
      .insertInto('customers')
      .values({ org_id: orgId, external_ref: 'C-1', name: 'Martin Bâtiment SARL', kind: 'b2b' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const invoice = await t.db
      .insertInto('invoices')
      .values({
        org_id: orgId,
        customer_id: customer.id,
        invoice_number: 'F-2025-001',
        issue_date: '2025-03-01',
        due_date: '2025-03-31',
        currency: 'EUR',
        gross_minor: 1_000_000,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    invoiceId = invoice.id;
    const payment = await t.db
      .insertInto('payments')
      .values({
        org_id: orgId,
        customer_id: customer.id,
        payment_reference: 'VIR-1',
        received_on: '2025-06-15',
        currency: 'EUR',
        amount_minor: 400_000,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('allocations')
      .values({ org_id: orgId, invoice_id: invoiceId, payment_id: payment.id, amount_minor: 400_000 })
      .execute();
    await refreshBalances(t.db, orgId, { invoiceIds: [invoiceId] });
  });
  afterAll(async () => t.drop());

  it('reads jurisdiction, debtor kind and dated payments from the ledger (worked example EX2)', async () => {
    // Same figures as EX2 in test/unit/law/worked-examples.test.ts: total due 6 539.85 €.
    const s = await computeInvoicePenalties(t.db, orgId, invoiceId, '2025-09-30');
    expect(s.payments.map((p) => [p.date, p.toInterest.amount])).toEqual([['2025-06-15', 27381]]);
    expect(s.totals.totalDue).toEqual({ amount: 653985, currency: 'EUR' });
  });

  it("applies the organisation's contractual rate with the legal floor", async () => {
    await t.db.updateTable('organisations').set({ late_penalty_rate: '5' }).where('id', '=', orgId).execute();
    const s = await computeInvoicePenalties(t.db, orgId, invoiceId, '2025-05-31');
    // 2025-H1 floor 3 × 3.71 = 11.13 % > 5 %.
    expect(s.lines[0]).toMatchObject({ ratePct: '11.13', rateKind: 'floor' });
    expect(s.warnings.map((w) => w.code)).toContain('FLOOR_APPLIED');
  });

  it('ignores payments received after the statement date', async () => {
    const s = await computeInvoicePenalties(t.db, orgId, invoiceId, '2025-05-31');
    expect(s.payments).toEqual([]);
  });
});
