import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { listWorklist } from '../../../src/db/queries/worklist.js';
import { rawPriority } from '../../../src/domain/prioritisation/index.js';
import { createUser } from '../../../src/services/auth/create-user.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import {
  bearer,
  keyFor,
  makeCustomers,
  makeInvoices,
  makePayment,
  type OrgFixture,
  orgWithKey,
  TODAY,
  testServer,
} from '../api/factories.js';

interface Entry {
  type: 'task' | 'item';
  id: string;
  kind: string;
  customer: { id: string; name: string };
  invoice: { id: string; invoiceNumber: string } | null;
  daysLate: number;
  assignee: { id: string; name: string | null } | null;
  priority: {
    score: number;
    factors: { factor: string; points: number; max: number; value: number }[];
  } | null;
}

describeEngines('worklist, tasks, calls and bulk actions through the API (today 2026-03-15)', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;
  let b: OrgFixture;
  let viewer: { authorization: string };
  let collectorId: string;
  let c: { strategic: string; standard: string; reliable: string; quiet: string };
  let inv: Record<string, string>;
  let callTaskId: string;

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    a = await orgWithKey(t.db, 'Worklist SAS');
    b = await orgWithKey(t.db, 'Other SAS');
    viewer = bearer(await keyFor(t.db, a.org.id, 'viewer'));
    collectorId = (
      await createUser(t.db, a.org.id, {
        email: 'claire@worklist.test',
        name: 'Claire Collectrice',
        password: 'a-long-password-1',
        role: 'collector',
      })
    ).id;
    await createUser(t.db, a.org.id, {
      email: 'victor@worklist.test',
      name: 'Victor Viewer',
      password: 'a-long-password-1',
      role: 'viewer',
    });
    const customers = await makeCustomers(t.db, a.org.id, 4, (i) => ({
      name: ['Stratège SA', 'Standard SARL', 'Fiable SAS', 'Calme EURL'][i] as string,
      segment: i === 0 ? 'strategic' : 'standard',
    }));
    const [s, st, r, q] = customers.map((x) => x.id) as [string, string, string, string];
    c = { strategic: s, standard: st, reliable: r, quiet: q };
    const rows = await makeInvoices(t.db, a.org.id, [s], 8, (i) => {
      const spec: [string, string, string, number][] = [
        ['S-BIG', s, '2026-01-14', 2_500_000], // 60 days late, 25 000 €
        ['S-NEW', s, '2026-03-10', 50_000], // 5 days late
        ['T-MID', st, '2026-02-13', 300_000], // 30 days late
        ['T-OLD', st, '2025-12-15', 80_000], // 90 days late
        ['R-LATE', r, '2026-03-01', 120_000], // 14 days late
        ['R-PAID', r, '2026-01-31', 40_000], // paid on time below
        ['Q-FUT', q, '2026-04-15', 90_000], // not due yet
        ['Q-LATE', q, '2026-03-05', 10_000], // 10 days late
      ];
      const [number, customer, due, gross] = spec[i] as [string, string, string, number];
      return {
        invoice_number: number,
        customer_id: customer,
        issue_date: '2025-12-01',
        due_date: due,
        gross_minor: gross,
      };
    });
    inv = Object.fromEntries(rows.map((x) => [x.invoice_number, x.id]));
    await makePayment(t.db, a.org.id, r, 40_000, { [inv['R-PAID'] as string]: 40_000 });
    const task = await t.db
      .insertInto('tasks')
      .values([
        {
          org_id: a.org.id,
          customer_id: st,
          kind: 'call',
          title: 'Call Standard SARL',
          due_date: '2026-03-14',
        },
        { org_id: a.org.id, customer_id: q, kind: 'follow_up', title: 'Later', due_date: '2026-03-20' },
      ])
      .returning(['id', 'kind'])
      .execute();
    callTaskId = task.find((x) => x.kind === 'call')?.id as string;
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const get = (url: string, headers = a.auth) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
  const post = (url: string, payload: unknown, headers = a.auth) =>
    app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload: payload as object });

  it('puts due tasks first, then overdue items by score, each score explained', async () => {
    const res = await get('/worklist');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { items: Entry[]; asOf: string };
    expect(body.asOf).toBe(TODAY);
    const kinds = body.items.map((e) => e.kind);
    expect(kinds[0]).toBe('call');
    // The task due on the 20th is not due yet; the invoice due in April is not overdue.
    expect(body.items.filter((e) => e.type === 'task')).toHaveLength(1);
    const numbers = body.items.filter((e) => e.type === 'item').map((e) => e.invoice?.invoiceNumber);
    expect(numbers.sort()).toEqual(['R-LATE', 'Q-LATE', 'S-BIG', 'S-NEW', 'T-MID', 'T-OLD'].sort());
    const items = body.items.filter((e) => e.type === 'item');
    const scores = items.map((e) => e.priority?.score ?? -1);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    expect(items[0]?.invoice?.invoiceNumber).toBe('S-BIG');
    for (const e of items) {
      const sum = e.priority?.factors.reduce((s, f) => s + f.points, 0) ?? 0;
      expect(Math.abs(sum - (e.priority?.score ?? 0))).toBeLessThan(0.3);
    }
    const big = items[0]?.priority?.factors;
    expect(big?.find((f) => f.factor === 'strategic')?.points).toBe(10);
    expect(big?.find((f) => f.factor === 'lateness')?.value).toBe(60);
  });

  it('ranks in SQL with the same score as the pure function', async () => {
    const page = await withOrg(t.db, a.org.id, (trx) =>
      listWorklist(trx, a.org.id, { asOf: TODAY, kinds: ['item'] }, { limit: 100 }),
    );
    expect(page.items.length).toBe(6);
    for (const r of page.items) {
      const js = rawPriority({
        amountOverdueMinor: Number(r.balance_minor),
        currency: r.currency ?? 'EUR',
        daysLate: r.days_late,
        paidInvoices: r.paid_invoices,
        paidOnTime: r.paid_on_time,
        brokenPromises: r.broken_promises,
        strategic: r.strategic,
        revenueShare: r.revenue_share,
        modelRecovery: r.model_recovery,
      });
      expect(Math.abs(Number(r.score) - js)).toBeLessThan(1e-9);
    }
    const reliable = page.items.find((r) => r.invoice_number === 'R-LATE');
    expect(reliable?.paid_invoices).toBe(1);
    // Paid on 1 March, due 31 January: paid, but late.
    expect(reliable?.paid_on_time).toBe(0);
  });

  it('pages with a cursor without repeating or losing an entry', async () => {
    const all = (await get('/worklist?limit=100')).json().items.map((e: Entry) => e.id);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/worklist?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: Entry[]; nextCursor: string | null };
      walked.push(...body.items.map((e) => e.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all);
  });

  it('assigns a customer to a collector and filters the worklist by assignee and kind', async () => {
    const bad = await post(`/customers/${c.standard}/assign`, { collector: a.org.id });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe('collector');
    expect((await post(`/customers/${c.standard}/assign`, { collector: collectorId })).statusCode).toBe(204);
    const mine = (await get(`/worklist?assignee=${collectorId}`)).json().items as Entry[];
    expect(mine.map((e) => e.invoice?.invoiceNumber ?? e.kind).sort()).toEqual(
      ['T-MID', 'T-OLD', 'call'].sort(),
    );
    expect(mine[0]?.assignee?.name).toBe('Claire Collectrice');
    const calls = (await get('/worklist?kind=call')).json().items as Entry[];
    expect(calls.map((e) => e.id)).toEqual([callTaskId]);
    const unassigned = (await get('/worklist?assignee=unassigned&kind=item')).json().items as Entry[];
    expect(unassigned.every((e) => e.customer.id !== c.standard)).toBe(true);
  });

  it('lists, reassigns and completes tasks; completing twice is a conflict', async () => {
    const list = await get(`/tasks?status=open&customerId=${c.quiet}`);
    expect(list.json().items).toHaveLength(1);
    const later = list.json().items[0].id as string;
    const assigned = await post(`/tasks/${later}/assign`, { assignee: collectorId });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json().assignee.id).toBe(collectorId);
    const done = await post(`/tasks/${later}/complete`, { outcome: 'Checked: nothing to do' });
    expect(done.statusCode).toBe(200);
    expect(done.json().status).toBe('done');
    expect((await post(`/tasks/${later}/complete`, { outcome: 'again' })).statusCode).toBe(409);
    const timeline = (await get(`/customers/${c.quiet}/timeline`)).json();
    expect(timeline.intact).toBe(true);
    expect(timeline.entries.at(-1).kind).toBe('task_done');
  });

  it('logs a call with a promise: the task is done, dunning of the items pauses, the timeline shows it', async () => {
    const res = await post(`/customers/${c.standard}/calls`, {
      outcome: 'promise',
      note: 'Le comptable paie vendredi',
      promiseDate: '2026-03-20',
      taskId: callTaskId,
    });
    expect(res.statusCode).toBe(201);
    const r = res.json();
    expect(r.promiseId).toBeTruthy();
    expect(r.completedTaskId).toBe(callTaskId);
    const promise = await t.db
      .selectFrom('promises_to_pay')
      .selectAll()
      .where('id', '=', r.promiseId)
      .executeTakeFirstOrThrow();
    expect(promise.status).toBe('active');
    expect(Number(promise.amount_minor)).toBe(380_000);
    const preview = (await get('/dunning/preview?date=2026-03-18')).json();
    const mine = preview.customers.find((x: { customerId: string }) => x.customerId === c.standard);
    const excluded = mine.excluded.map(
      (e: { invoiceNumber: string; reason: string }) => `${e.invoiceNumber}:${e.reason}`,
    );
    expect(excluded.sort()).toEqual(['T-MID:promise_to_pay', 'T-OLD:promise_to_pay']);
    const timeline = (await get(`/customers/${c.standard}/timeline`)).json();
    const last = timeline.entries.at(-1);
    expect(last.kind).toBe('promise_to_pay');
    expect(last.channel).toBe('phone');
    expect(last.summary).toContain('Le comptable paie vendredi');
    const work = (await get('/worklist')).json().items as Entry[];
    expect(work.some((e) => e.customer.id === c.standard)).toBe(false);
    const file = (await get(`/customers/${c.standard}/file`)).json();
    expect(file.calls[0].outcome).toBe('promise');
    expect(file.promises[0].status).toBe('active');
    expect(file.assignedCollector).toBe(collectorId);
  });

  it('logs a call with a dispute: the invoice leaves dunning; missing fields are named', async () => {
    const missing = await post(`/customers/${c.reliable}/calls`, {
      outcome: 'dispute',
      invoiceId: inv['R-LATE'],
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].field).toBe('disputeReason');
    const past = await post(`/customers/${c.reliable}/calls`, {
      outcome: 'promise',
      promiseDate: '2026-03-01',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors[0].field).toBe('promiseDate');
    const badShape = await post(`/customers/${c.reliable}/calls`, { outcome: 'maybe' });
    expect(badShape.statusCode).toBe(400);
    const res = await post(`/customers/${c.reliable}/calls`, {
      outcome: 'dispute',
      invoiceId: inv['R-LATE'],
      disputeReason: 'quality',
      note: 'Pièces défectueuses',
    });
    expect(res.statusCode).toBe(201);
    const invoice = await t.db
      .selectFrom('invoices')
      .select(['disputed', 'status'])
      .where('id', '=', inv['R-LATE'] as string)
      .executeTakeFirstOrThrow();
    expect(invoice).toEqual({ disputed: true, status: 'disputed' });
    const work = (await get('/worklist')).json().items as Entry[];
    expect(work.some((e) => e.type === 'item' && e.invoice?.invoiceNumber === 'R-LATE')).toBe(false);
    expect(work.some((e) => e.kind === 'dispute' && e.customer.id === c.reliable)).toBe(true);
  });

  it('schedules a call back after no answer', async () => {
    const res = await post(`/customers/${c.quiet}/calls`, { outcome: 'no_answer' });
    expect(res.statusCode).toBe(201);
    const task = await t.db
      .selectFrom('tasks')
      .selectAll()
      .where('id', '=', res.json().followUpTaskId)
      .executeTakeFirstOrThrow();
    expect(task.kind).toBe('call');
    expect(task.due_date).toBe('2026-03-17');
  });

  it('bulk-pauses invoices in one go, and changes nothing when one id is not ours', async () => {
    const before = await t.db
      .selectFrom('dunning_pauses')
      .select('id')
      .where('org_id', '=', a.org.id)
      .execute();
    const foreign = await makeCustomers(t.db, b.org.id, 1);
    const [other] = await makeInvoices(t.db, b.org.id, [foreign[0]?.id as string], 1, () => ({
      invoice_number: 'B-1',
    }));
    const bad = await post('/invoices/bulk', {
      action: 'pause',
      invoiceIds: [inv['S-BIG'], other?.id],
      until: '2026-04-01',
      reason: 'négociation',
    });
    expect(bad.statusCode).toBe(404);
    expect(bad.json().detail).toContain(other?.id);
    expect(bad.json().errors[0].value).toBe(other?.id);
    const after = await t.db
      .selectFrom('dunning_pauses')
      .select('id')
      .where('org_id', '=', a.org.id)
      .execute();
    expect(after.length).toBe(before.length);

    const past = await post('/invoices/bulk', {
      action: 'pause',
      invoiceIds: [inv['S-BIG']],
      until: '2026-03-01',
      reason: 'x',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors[0].field).toBe('until');

    const ok = await post('/invoices/bulk', {
      action: 'pause',
      invoiceIds: [inv['S-BIG'], inv['S-NEW']],
      until: '2026-04-01',
      reason: 'négociation',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ action: 'pause', changed: 2, unchanged: 0, customers: 1 });
    const work = (await get('/worklist?kind=item')).json().items as Entry[];
    expect(work.some((e) => e.customer.id === c.strategic)).toBe(false);
    const timeline = (await get(`/customers/${c.strategic}/timeline`)).json();
    expect(timeline.entries.at(-1).kind).toBe('pause');
  });

  it('bulk-assigns and bulk-disputes invoices', async () => {
    const assign = await post('/invoices/bulk', {
      action: 'assign',
      invoiceIds: [inv['Q-LATE']],
      collector: collectorId,
    });
    expect(assign.json().changed).toBe(1);
    const mine = (await get(`/worklist?assignee=${collectorId}&kind=item`)).json().items as Entry[];
    expect(mine.map((e) => e.invoice?.invoiceNumber)).toContain('Q-LATE');
    const byCollector = (await get(`/invoices?collector=${collectorId}`)).json().items;
    expect(byCollector.map((i: { invoiceNumber: string }) => i.invoiceNumber).sort()).toEqual([
      'Q-LATE',
      'T-MID',
      'T-OLD',
    ]);
    const strategic = (await get('/invoices?segment=strategic')).json().items;
    expect(strategic.map((i: { invoiceNumber: string }) => i.invoiceNumber).sort()).toEqual([
      'S-BIG',
      'S-NEW',
    ]);
    const paidOne = await post('/invoices/bulk', {
      action: 'dispute',
      invoiceIds: [inv['Q-LATE'], inv['R-PAID']],
      disputeReason: 'price',
    });
    expect(paidOne.statusCode).toBe(409);
    expect(paidOne.json().errors[0].value).toBe(inv['R-PAID']);
    const dispute = await post('/invoices/bulk', {
      action: 'dispute',
      invoiceIds: [inv['Q-LATE'], inv['R-LATE']],
      disputeReason: 'price',
    });
    expect(dispute.statusCode).toBe(200);
    // R-LATE already has an open dispute from the call: left as it is.
    expect(dispute.json()).toMatchObject({ changed: 1, unchanged: 1 });
  });

  it('gives a statement of account with a running balance', async () => {
    const res = await get(`/customers/${c.reliable}/statement`);
    expect(res.statusCode).toBe(200);
    const lines = res.json().lines as { kind: string; balance: { amount: number } }[];
    expect(lines.map((l) => l.kind)).toEqual(['invoice', 'invoice', 'payment']);
    expect(lines.at(-1)?.balance.amount).toBe(120_000);
  });

  it('lets a viewer read but not write', async () => {
    expect((await get('/worklist', viewer)).statusCode).toBe(200);
    expect((await get('/tasks', viewer)).statusCode).toBe(200);
    expect((await post(`/customers/${c.quiet}/calls`, { outcome: 'other' }, viewer)).statusCode).toBe(403);
    expect((await post(`/customers/${c.quiet}/assign`, { collector: null }, viewer)).statusCode).toBe(403);
    expect(
      (
        await post(
          '/invoices/bulk',
          { action: 'assign', invoiceIds: [inv['Q-LATE']], collector: null },
          viewer,
        )
      ).statusCode,
    ).toBe(403);
    const someTask = (await get('/tasks')).json().items[0].id;
    expect((await post(`/tasks/${someTask}/complete`, { outcome: 'x' }, viewer)).statusCode).toBe(403);
  });

  it("answers 404 for another organisation's customers, tasks and invoices", async () => {
    expect((await get(`/customers/${c.quiet}/file`, b.auth)).statusCode).toBe(404);
    expect((await get(`/customers/${c.quiet}/statement`, b.auth)).statusCode).toBe(404);
    expect((await post(`/customers/${c.quiet}/calls`, { outcome: 'other' }, b.auth)).statusCode).toBe(404);
    expect((await post(`/customers/${c.quiet}/assign`, { collector: null }, b.auth)).statusCode).toBe(404);
    const someTask = (await get('/tasks')).json().items[0].id;
    expect((await post(`/tasks/${someTask}/complete`, { outcome: 'x' }, b.auth)).statusCode).toBe(404);
    expect((await post(`/tasks/${someTask}/assign`, { assignee: null }, b.auth)).statusCode).toBe(404);
    const bulk = await post(
      '/invoices/bulk',
      { action: 'assign', invoiceIds: [inv['Q-LATE']], collector: null },
      b.auth,
    );
    expect(bulk.statusCode).toBe(404);
    const theirs = (await get('/worklist', b.auth)).json().items as Entry[];
    expect(theirs.map((e) => e.invoice?.invoiceNumber)).toEqual(['B-1']);
  });
});
