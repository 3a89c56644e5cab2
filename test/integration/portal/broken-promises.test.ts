import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { listEvidence } from '../../../src/db/queries/evidence.js';
import { addDays } from '../../../src/domain/calendar/index.js';
import { checkBrokenPromises } from '../../../src/services/portal/promise-to-pay.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { makeCustomers, makeInvoices, makePayment, orgWithKey } from '../api/factories.js';

describeEngines('broken promises to pay', (engine) => {
  let t: TestDb;
  let orgId: string;
  let ids: { unpaid: string; paid: string; later: string };

  beforeAll(async () => {
    t = await createTestDb(engine);
    orgId = (await orgWithKey(t.db, 'Gamma SAS')).org.id;
    const cs = await makeCustomers(t.db, orgId, 3);
    const [a, b, c] = cs.map((x) => x.id) as [string, string, string];
    const inv = await makeInvoices(t.db, orgId, [a, b, c], 3);
    const invOf = (cid: string) => inv.find((i) => i.customer_id === cid) as (typeof inv)[number];
    // b pays in full: its promise is kept.
    await makePayment(t.db, orgId, b, invOf(b).balance_minor, { [invOf(b).id]: invOf(b).balance_minor });
    const promise = (customerId: string, invoiceId: string, promisedDate: string) => ({
      org_id: orgId,
      customer_id: customerId,
      invoice_ids: [invoiceId],
      amount_minor: 100,
      currency: 'EUR',
      promised_date: promisedDate,
      grace_days: 3,
    });
    const rows = await t.db
      .insertInto('promises_to_pay')
      .values([
        promise(a, invOf(a).id, '2026-03-01'),
        promise(b, invOf(b).id, '2026-03-01'),
        // Grace ends on 2026-03-15, the day of the check: still active.
        promise(c, invOf(c).id, '2026-03-12'),
      ])
      .returning(['id', 'customer_id'])
      .execute();
    const idOf = (cid: string) => rows.find((r) => r.customer_id === cid)?.id as string;
    ids = { unpaid: idOf(a), paid: idOf(b), later: idOf(c) };
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('breaks unpaid promises past grace with a task, keeps paid ones, leaves the others active', async () => {
    const r = await withOrg(t.db, orgId, (trx) => checkBrokenPromises(trx, orgId, '2026-03-15'));
    expect(r).toEqual({ broken: 1, kept: 1, tasksCreated: 1 });
    const status = new Map(
      (await t.db.selectFrom('promises_to_pay').select(['id', 'status']).execute()).map((p) => [
        p.id,
        p.status,
      ]),
    );
    expect(status.get(ids.unpaid)).toBe('broken');
    expect(status.get(ids.paid)).toBe('kept');
    expect(status.get(ids.later)).toBe('active');
    const tasks = await t.db.selectFrom('tasks').selectAll().where('kind', '=', 'broken_promise').execute();
    expect(tasks).toHaveLength(1);
    expect((tasks[0]?.detail as { promiseId?: string } | undefined)?.promiseId).toBe(ids.unpaid);
    const broken = await t.db
      .selectFrom('promises_to_pay')
      .select('customer_id')
      .where('id', '=', ids.unpaid)
      .executeTakeFirstOrThrow();
    const ev = await withOrg(t.db, orgId, (trx) => listEvidence(trx, orgId, broken.customer_id));
    expect(ev.map((e) => e.summary)).toEqual(['promise to pay of 2026-03-01 broken: dunning resumes']);
  });

  it('does nothing the second time: resolved promises are not resolved again', async () => {
    const r = await withOrg(t.db, orgId, (trx) => checkBrokenPromises(trx, orgId, '2026-03-15'));
    expect(r).toEqual({ broken: 0, kept: 0, tasksCreated: 0 });
    const later = await withOrg(t.db, orgId, (trx) =>
      checkBrokenPromises(trx, orgId, addDays('2026-03-15', 1)),
    );
    expect(later.broken).toBe(1);
    expect(
      await t.db.selectFrom('tasks').select('id').where('kind', '=', 'broken_promise').execute(),
    ).toHaveLength(2);
  });
});
