import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { listEvidence } from '../../../src/db/queries/evidence.js';
import { addDays } from '../../../src/domain/calendar/index.js';
import { planDunningRun } from '../../../src/services/dunning/plan-dunning-run.js';
import { checkPaymentPlans } from '../../../src/services/payment-plans/track-payment-plans.js';
import { recordPayment } from '../../../src/services/payments/record-payment.js';
import { createPortalLink } from '../../../src/services/portal/create-portal-link.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { keyFor, makeCustomers, makeInvoices, NOW, orgWithKey, TODAY, testServer } from '../api/factories.js';

const BASE = 'https://pay.example.com';

interface Plan {
  id: string;
  status: string;
  totalMinor: number;
  instalments: { seq: number; dueDate: string; amountMinor: number; paidMinor: number; status: string }[];
}

describeEngines('payment plan tracking, dunning pause and approval', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let orgId: string;
  let auth: { authorization: string };
  let customers: { id: string; name: string }[];

  const tokenFor = async (customerId: string) =>
    (
      await withOrg(t.db, orgId, (trx) =>
        createPortalLink(trx, orgId, { customerId }, { baseUrl: BASE, now: NOW }),
      )
    ).url.slice(`${BASE}/portal/`.length);
  const openPlan = async (customerId: string, instalments: number): Promise<Plan> => {
    const token = await tokenFor(customerId);
    const r = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/payment-plan`,
      payload: { instalments, firstDate: addDays(TODAY, 5) },
    });
    expect(r.statusCode, r.body).toBe(200);
    const plan = (r.json() as { plan: Plan }).plan;
    if (plan.status === 'proposed') {
      const a = await app.inject({
        method: 'POST',
        url: `/portal-api/${token}/payment-plans/${plan.id}/accept`,
        payload: { acceptTerms: true, name: 'Marie Curie' },
      });
      expect(a.statusCode, a.body).toBe(200);
      return (a.json() as { plan: Plan }).plan;
    }
    return plan;
  };
  const planOf = async (id: string) => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/payment-plans', headers: auth });
    expect(r.statusCode, r.body).toBe(200);
    const p = (r.json() as { plans: Plan[] }).plans.find((x) => x.id === id);
    if (!p) throw new Error(`plan ${id} not listed`);
    return p;
  };
  const dunning = async (customerId: string, now: Date) => {
    const run = await planDunningRun(t.db, orgId, {
      now,
      dryRun: true,
      collectPlans: true,
      customerIds: [customerId],
    });
    const plan = run.plans.find((p) => p.plan.customerId === customerId)?.plan;
    return {
      excluded: new Map((plan?.excluded ?? []).map((e) => [e.invoiceId, e.reason])),
      actioned: new Set(
        [...(plan?.actions ?? []), ...(plan?.postponed ?? []).map((p) => p.action)].flatMap((a) =>
          a.items.map((i) => i.invoiceId),
        ),
      ),
    };
  };

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    const o = await orgWithKey(t.db, 'Delta Services SARL');
    orgId = o.org.id;
    auth = o.auth;
    await t.db
      .updateTable('organisations')
      .set({
        settings: JSON.stringify({
          portal: {
            paymentPlan: { maxInstalments: 4, minInstalmentMinor: 1_000, graceDays: 3 },
            paymentPlanLimits: { maxInstalments: 10 },
          },
        }),
      })
      .where('id', '=', orgId)
      .execute();
    customers = await makeCustomers(t.db, orgId, 3);
    await t.db
      .insertInto('contacts')
      .values(
        customers.map((c, i) => ({
          org_id: orgId,
          customer_id: c.id,
          email: `c${i}@client.example`,
          is_primary: true,
        })),
      )
      .execute();
    await makeInvoices(
      t.db,
      orgId,
      customers.map((c) => c.id),
      6,
    );
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('pauses dunning while the plan is kept, marks instalments paid in order, and defaults a missed plan', async () => {
    const c = customers[0] as (typeof customers)[number];
    const before = await dunning(c.id, NOW);
    expect(before.actioned.size).toBeGreaterThan(0);

    const plan = await openPlan(c.id, 3);
    expect(plan.status).toBe('active');
    const paused = await dunning(c.id, NOW);
    expect(paused.actioned.size).toBe(0);
    expect([...paused.excluded.values()].every((r) => r === 'payment_plan')).toBe(true);
    expect(paused.excluded.size).toBe(before.actioned.size);

    const [i1, i2, i3] = plan.instalments as [
      Plan['instalments'][0],
      Plan['instalments'][0],
      Plan['instalments'][0],
    ];
    // The first instalment and part of the second, paid by transfer.
    await recordPayment(t.db, orgId, {
      customerId: c.id,
      paymentReference: 'VIR-PLAN-1',
      receivedOn: i1.dueDate,
      amount: i1.amountMinor + 100,
    });
    let p = await planOf(plan.id);
    expect(p.instalments.map((i) => [i.seq, i.paidMinor, i.status])).toEqual([
      [1, i1.amountMinor, 'paid'],
      [2, 100, 'due'],
      [3, 0, 'due'],
    ]);

    // Before the second instalment's grace ends, nothing happens.
    const inGrace = addDays(i2.dueDate, 3);
    const quiet = await withOrg(t.db, orgId, (trx) => checkPaymentPlans(trx, orgId, inGrace, NOW));
    expect(quiet).toEqual({ completed: 0, defaulted: 0, tasksCreated: 0 });
    expect((await dunning(c.id, new Date(`${inGrace}T11:00:00Z`))).actioned.size).toBe(0);

    // One day after: the plan stops protecting the items even before the daily check…
    const late = addDays(i2.dueDate, 4);
    const lateNow = new Date(`${late}T11:00:00Z`);
    expect((await dunning(c.id, lateNow)).excluded.size).toBe(0);
    // …and the daily check defaults it, with a task and evidence.
    const r = await withOrg(t.db, orgId, (trx) => checkPaymentPlans(trx, orgId, late, lateNow));
    expect(r).toEqual({ completed: 0, defaulted: 1, tasksCreated: 1 });
    p = await planOf(plan.id);
    expect(p.status).toBe('defaulted');
    expect(p.instalments.map((i) => i.status)).toEqual(['paid', 'missed', 'due']);
    const tasks = await t.db
      .selectFrom('tasks')
      .selectAll()
      .where('customer_id', '=', c.id)
      .where('kind', '=', 'broken_promise')
      .execute();
    expect(tasks).toHaveLength(1);
    expect((tasks[0]?.detail as { planId?: string } | undefined)?.planId).toBe(plan.id);
    const ev = await withOrg(t.db, orgId, (trx) => listEvidence(trx, orgId, c.id));
    expect(ev.some((e) => e.kind === 'payment_plan' && e.payload.status === 'defaulted')).toBe(true);
    const resumed = await dunning(c.id, lateNow);
    expect(resumed.actioned.size).toBeGreaterThan(0);
    expect(i3.seq).toBe(3);
  });

  it('completes a plan once everything is paid', async () => {
    const c = customers[1] as (typeof customers)[number];
    const plan = await openPlan(c.id, 2);
    await recordPayment(t.db, orgId, {
      customerId: c.id,
      paymentReference: 'VIR-PLAN-ALL',
      receivedOn: TODAY,
      amount: plan.totalMinor,
    });
    const p = await planOf(plan.id);
    expect(p.status).toBe('completed');
    expect(p.instalments.every((i) => i.status === 'paid' && i.paidMinor === i.amountMinor)).toBe(true);
  });

  it('lets a collector approve a plan pending approval, which the debtor can then accept', async () => {
    const c = customers[2] as (typeof customers)[number];
    const plan = await openPlan(c.id, 6);
    expect(plan.status).toBe('pending_approval');
    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/payment-plans?status=pending_approval',
      headers: auth,
    });
    expect((list.json() as { plans: Plan[] }).plans.map((x) => x.id)).toEqual([plan.id]);

    const viewer = await keyFor(t.db, orgId, 'viewer');
    const denied = await app.inject({
      method: 'POST',
      url: `/api/v1/payment-plans/${plan.id}/approve`,
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(denied.statusCode).toBe(403);
    const ok = await app.inject({
      method: 'POST',
      url: `/api/v1/payment-plans/${plan.id}/approve`,
      headers: auth,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((ok.json() as { plan: Plan }).plan.status).toBe('proposed');
    const twice = await app.inject({
      method: 'POST',
      url: `/api/v1/payment-plans/${plan.id}/approve`,
      headers: auth,
    });
    expect(twice.statusCode).toBe(409);
    const task = await t.db
      .selectFrom('tasks')
      .selectAll()
      .where('customer_id', '=', c.id)
      .where('kind', '=', 'follow_up')
      .executeTakeFirstOrThrow();
    expect(task.status).toBe('done');

    const token = await tokenFor(c.id);
    const acc = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/payment-plans/${plan.id}/accept`,
      payload: { acceptTerms: true, name: 'Marie Curie' },
    });
    expect(acc.statusCode, acc.body).toBe(200);
    expect((acc.json() as { plan: Plan }).plan.status).toBe('active');
    // Other organisations see nothing.
    const other = await orgWithKey(t.db, 'Epsilon SA');
    const foreign = await app.inject({ method: 'GET', url: '/api/v1/payment-plans', headers: other.auth });
    expect((foreign.json() as { plans: Plan[] }).plans).toEqual([]);
    const foreignApprove = await app.inject({
      method: 'POST',
      url: `/api/v1/payment-plans/${plan.id}/approve`,
      headers: other.auth,
    });
    expect(foreignApprove.statusCode).toBe(404);
  });
});
