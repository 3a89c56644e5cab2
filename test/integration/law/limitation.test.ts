import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { refreshBalances } from '../../../src/db/queries/balances.js';
import { listEvidence } from '../../../src/db/queries/evidence.js';
import { verifyChain } from '../../../src/domain/dunning/index.js';
import { createLimitationTasks } from '../../../src/services/law/create-limitation-tasks.js';
import { listLimitationWarnings } from '../../../src/services/law/list-limitation-warnings.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { type CaseFixture, seedCase } from './case-fixture.js';

describeEngines('limitation warnings and tasks', (engine) => {
  let t: TestDb;
  let c: CaseFixture;
  beforeAll(async () => {
    t = await createTestDb(engine);
    c = await seedCase(t.db);
    // A consumer: 2 years from the performance date (L218-2 C. consom.), not from the invoice.
    const consumer = await t.db
      .insertInto('customers')
      .values({ org_id: c.orgId, external_ref: 'PART-1', name: 'Mme Durand', kind: 'b2c' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('invoices')
      .values({
        org_id: c.orgId,
        customer_id: consumer.id,
        invoice_number: 'P-2028-001',
        performance_date: '2028-03-20',
        issue_date: '2028-04-01',
        due_date: '2028-05-01',
        currency: 'EUR',
        gross_minor: 45_000,
      })
      .execute();
    await refreshBalances(t.db, c.orgId, { all: true });
  });
  afterAll(async () => t.drop());

  it('lists what lapses within the horizon, tightest first, with the start used', async () => {
    const w = await listLimitationWarnings(t.db, c.orgId, '2030-03-05');
    expect(w.map((x) => [x.invoiceNumber, x.startBasis, x.start, x.deadline, x.threshold])).toEqual([
      ['P-2028-001', 'performance', '2028-03-20', '2030-03-20', 30],
      ['F-2025-002', 'issue', '2025-05-31', '2030-05-31', 90],
      ['F-2025-003', 'issue', '2025-06-01', '2030-06-01', 90],
    ]);
  });

  it('creates one follow-up task per invoice and threshold, and records it as evidence', async () => {
    const count = async () =>
      (
        await t.db
          .selectFrom('tasks')
          .select(['invoice_id', 'detail'])
          .where('org_id', '=', c.orgId)
          .where('kind', '=', 'follow_up')
          .execute()
      ).length;
    expect(await createLimitationTasks(t.db, c.orgId, '2030-04-01')).toEqual({ created: 3 }); // 3 × 90 days (P-2028-001 lapsed)
    expect(await createLimitationTasks(t.db, c.orgId, '2030-04-02')).toEqual({ created: 0 });
    // 2030-05-10: F-2025-002 and F-2025-003 reach 30 days; F-2025-001 (2030-06-15) is still at 90.
    expect(await createLimitationTasks(t.db, c.orgId, '2030-05-10')).toEqual({ created: 2 });
    expect(await count()).toBe(5);
    const chain = await withOrg(t.db, c.orgId, (trx) => listEvidence(trx, c.orgId, c.customerId));
    expect(verifyChain(chain)).toMatchObject({ ok: true, count: 2 + 5 });
    expect(chain.at(-1)?.summary).toMatch(
      /Limitation alert \(30 days\): F-2025-00[23] lapses on 2030-06-0?[13]/,
    );
  });

  it('restarts the period from the day the debtor accepted a payment plan (acknowledgment of debt)', async () => {
    const inv = await t.db
      .selectFrom('invoices')
      .select(['id', 'customer_id', 'balance_minor'])
      .where('org_id', '=', c.orgId)
      .where('invoice_number', '=', 'P-2028-001')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('payment_plans')
      .values({
        org_id: c.orgId,
        customer_id: inv.customer_id,
        status: 'active',
        invoice_ids: [inv.id],
        currency: 'EUR',
        total_minor: Number(inv.balance_minor),
        // 10 January 2029, 09:30 in Paris.
        accepted_at: new Date('2029-01-10T08:30:00Z'),
        accepted_name: 'Mme Durand',
      })
      .execute();
    const w = await listLimitationWarnings(t.db, c.orgId, '2030-03-05', { horizonDays: 400 });
    const consumer = w.find((x) => x.invoiceNumber === 'P-2028-001');
    // Two years from the acceptance, not from the performance date (2030-03-20).
    expect(consumer?.deadline).toBe('2031-01-10');
    expect(w.find((x) => x.invoiceNumber === 'F-2025-002')?.deadline).toBe('2030-05-31');
    const usual = await listLimitationWarnings(t.db, c.orgId, '2030-03-05');
    expect(usual.map((x) => x.invoiceNumber)).not.toContain('P-2028-001');
  });
});
