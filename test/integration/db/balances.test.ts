import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { refreshBalances } from '../../../src/db/queries/balances.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

describeEngines('balances derived from allocations', (engine) => {
  let t: TestDb;
  let orgId: string;
  let customerId: string;

  beforeAll(async () => {
    t = await createTestDb(engine);
    orgId = (await createOrganisation(t.db, { name: 'Balances SA' })).id;
    customerId = (
      await t.db
        .insertInto('customers')
        .values({ org_id: orgId, external_ref: 'C1', name: 'Client' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => t.drop());

  async function invoice(number: string, gross: number) {
    return (
      await t.db
        .insertInto('invoices')
        .values({
          org_id: orgId,
          customer_id: customerId,
          invoice_number: number,
          issue_date: '2026-01-01',
          due_date: '2026-01-31',
          currency: 'EUR',
          gross_minor: gross,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }

  async function payment(ref: string, amount: number) {
    return (
      await t.db
        .insertInto('payments')
        .values({
          org_id: orgId,
          customer_id: customerId,
          payment_reference: ref,
          received_on: '2026-02-10',
          currency: 'EUR',
          amount_minor: amount,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }

  const row = (id: string) =>
    t.db
      .selectFrom('invoices')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('marks an invoice partially paid, then paid, and leaves overpayment unallocated', async () => {
    const inv = await invoice('F-1', 120000);
    await refreshBalances(t.db, orgId, { invoiceIds: [inv] });
    expect(await row(inv)).toMatchObject({ balance_minor: 120000, status: 'open' });

    const p1 = await payment('P-1', 50000);
    await t.db
      .insertInto('allocations')
      .values({ org_id: orgId, invoice_id: inv, payment_id: p1, amount_minor: 50000 })
      .execute();
    await refreshBalances(t.db, orgId, { invoiceIds: [inv] });
    expect(await row(inv)).toMatchObject({
      paid_minor: 50000,
      balance_minor: 70000,
      status: 'partially_paid',
    });

    const p2 = await payment('P-2', 100000);
    await t.db
      .insertInto('allocations')
      .values({ org_id: orgId, invoice_id: inv, payment_id: p2, amount_minor: 70000 })
      .execute();
    await refreshBalances(t.db, orgId, { customerIds: [customerId] });
    expect(await row(inv)).toMatchObject({ paid_minor: 120000, balance_minor: 0, status: 'paid' });
    const p = await t.db
      .selectFrom('payments')
      .select('unallocated_minor')
      .where('id', '=', p2)
      .executeTakeFirstOrThrow();
    expect(p.unallocated_minor).toBe(30000);
  });

  it('marks a fully credited invoice as credited and a disputed open one as disputed', async () => {
    const inv = await invoice('F-2', 30000);
    const cn = (
      await t.db
        .insertInto('credit_notes')
        .values({
          org_id: orgId,
          customer_id: customerId,
          credit_note_number: 'AV-1',
          invoice_id: inv,
          issue_date: '2026-02-01',
          currency: 'EUR',
          gross_minor: 30000,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await t.db
      .insertInto('allocations')
      .values({ org_id: orgId, invoice_id: inv, credit_note_id: cn, amount_minor: 30000 })
      .execute();
    const disputed = await invoice('F-3', 10000);
    await t.db.updateTable('invoices').set({ disputed: true }).where('id', '=', disputed).execute();
    await refreshBalances(t.db, orgId, { all: true });
    expect(await row(inv)).toMatchObject({ credited_minor: 30000, balance_minor: 0, status: 'credited' });
    expect(await row(disputed)).toMatchObject({ status: 'disputed', balance_minor: 10000 });
    const c = await t.db
      .selectFrom('credit_notes')
      .select('unallocated_minor')
      .where('id', '=', cn)
      .executeTakeFirstOrThrow();
    expect(c.unallocated_minor).toBe(0);
  });

  it('never drifts: stored balances equal gross minus the sum of allocations for every invoice', async () => {
    await refreshBalances(t.db, orgId, { all: true });
    const drift = await sql<{ n: number }>`
      select count(*)::int as n from invoices i
      where i.org_id = ${orgId} and i.balance_minor <> i.gross_minor - i.written_off_minor - coalesce(
        (select sum(amount_minor) from allocations a where a.org_id = i.org_id and a.invoice_id = i.id), 0)
    `.execute(t.db);
    expect(drift.rows[0]?.n).toBe(0);
  });
});
