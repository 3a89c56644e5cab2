import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { createUser } from '../../../src/services/auth/create-user.js';
import { portalItems } from '../../../src/services/portal/open-portal.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import {
  bearer,
  keyFor,
  makeCustomers,
  makeInvoices,
  type OrgFixture,
  orgWithKey,
  TODAY,
  testServer,
} from '../api/factories.js';

/** The day the dry runs plan for: Monday after the fixed "today" (Sunday 2026-03-15). */
const RUN_DAY = '2026-03-16';

interface PreviewCustomer {
  customerId: string;
  actions: { stepKey: string; items: { invoiceNumber: string }[] }[];
  postponed: { items?: { invoiceNumber: string }[] }[];
  excluded: { invoiceNumber: string; reason: string }[];
}

describeEngines('case actions from the customer file (today 2026-03-15)', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;
  let b: OrgFixture;
  let viewer: { authorization: string };
  let collector: { authorization: string };
  let c: { dispute: string; pause: string; promise: string };
  let inv: Record<string, string>;
  const disputes: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    a = await orgWithKey(t.db, 'Cases SAS');
    b = await orgWithKey(t.db, 'Elsewhere SAS');
    viewer = bearer(await keyFor(t.db, a.org.id, 'viewer'));
    collector = bearer(await keyFor(t.db, a.org.id, 'collector'));
    const customers = await makeCustomers(t.db, a.org.id, 3, (i) => ({
      name: ['Litige SARL', 'Pause SAS', 'Promesse EURL'][i] as string,
    }));
    const [d, p, pr] = customers.map((x) => x.id) as [string, string, string];
    c = { dispute: d, pause: p, promise: pr };
    // Due 2026-02-20: 24 days late on the run day, the second reminder's age (15 ≤ 24 < 30).
    const spec: [string, string, number][] = [
      ['D-REJ', d, 300_000],
      ['D-UP', d, 100_000],
      ['P-ONE', p, 200_000],
      ['H-ONE', pr, 150_000],
    ];
    const rows = await makeInvoices(t.db, a.org.id, [d], spec.length, (i) => {
      const [number, customer, gross] = spec[i] as [string, string, number];
      return {
        invoice_number: number,
        customer_id: customer,
        issue_date: '2026-01-21',
        due_date: '2026-02-20',
        gross_minor: gross,
      };
    });
    inv = Object.fromEntries(rows.map((x) => [x.invoice_number, x.id]));
    for (const n of ['D-REJ', 'D-UP']) {
      const r = await post(`/customers/${d}/calls`, {
        outcome: 'dispute',
        invoiceId: inv[n],
        disputeReason: 'quality',
      });
      expect(r.statusCode, r.body).toBe(201);
      disputes[n] = r.json().disputeId;
    }
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  const get = (url: string, headers = a.auth) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
  function post(url: string, payload: unknown, headers = a.auth) {
    return app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload: payload as object });
  }

  /** Where an invoice stands in the dry run of RUN_DAY: the step planned, or why it is left out. */
  async function previewOf(customerId: string, number: string): Promise<string> {
    const res = await get(`/dunning/preview?date=${RUN_DAY}`);
    expect(res.statusCode, res.body).toBe(200);
    const mine = (res.json().customers as PreviewCustomer[]).find((x) => x.customerId === customerId);
    const action = mine?.actions.find((x) => x.items.some((i) => i.invoiceNumber === number));
    if (action) return `action:${action.stepKey}`;
    const excluded = mine?.excluded.find((e) => e.invoiceNumber === number);
    if (excluded) return `excluded:${excluded.reason}`;
    return 'absent';
  }

  async function lastEvidence(customerId: string) {
    const timeline = (await get(`/customers/${customerId}/timeline`)).json();
    expect(timeline.intact).toBe(true);
    return timeline.entries.at(-1) as { kind: string; summary: string; payload: Record<string, unknown> };
  }

  it('rejects a dispute: the invoice is due again (first reminder: none was sent before), the task is done, the portal says rejected', async () => {
    expect(await previewOf(c.dispute, 'D-REJ')).toBe('excluded:disputed');
    const res = await post(`/disputes/${disputes['D-REJ']}/resolve`, {
      outcome: 'rejected',
      reason: 'Pièces conformes au bon de commande',
      comment: 'Photos du contrôle qualité jointes',
    });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.status).toBe('rejected');
    expect(r.creditNote).toBeNull();
    expect(r.balanceDue).toMatchObject({ amount: 300_000, currency: 'EUR' });
    expect(r.completedTaskIds).toHaveLength(1);
    const task = await t.db
      .selectFrom('tasks')
      .select(['status', 'kind', 'outcome'])
      .where('id', '=', r.completedTaskIds[0])
      .executeTakeFirstOrThrow();
    expect(task).toMatchObject({ status: 'done', kind: 'dispute' });
    expect(task.outcome).toContain('rejected');
    const invoice = await t.db
      .selectFrom('invoices')
      .select(['disputed', 'status'])
      .where('id', '=', inv['D-REJ'] as string)
      .executeTakeFirstOrThrow();
    expect(invoice).toEqual({ disputed: false, status: 'open' });
    expect(await previewOf(c.dispute, 'D-REJ')).toBe('action:first_reminder');
    const last = await lastEvidence(c.dispute);
    expect(last.kind).toBe('dispute');
    expect(last.summary).toContain('D-REJ rejected: Pièces conformes');
    expect(String(last.payload.by)).toMatch(/^api-key:/);
    const items = await withOrg(t.db, a.org.id, (trx) => portalItems(trx, a.org.id, c.dispute, TODAY));
    const shown = items.find((i) => i.invoiceNumber === 'D-REJ');
    expect(shown?.disputed).toBe(false);
    expect(shown?.dispute?.status).toBe('rejected');
    const again = await post(`/disputes/${disputes['D-REJ']}/resolve`, { outcome: 'upheld', reason: 'oops' });
    expect(again.statusCode).toBe(409);
  });

  it('upholds a dispute with a full credit note: the invoice is credited and leaves dunning', async () => {
    const id = disputes['D-UP'] as string;
    const byCollector = await post(
      `/disputes/${id}/resolve`,
      { outcome: 'upheld', reason: 'Lot défectueux', creditNoteAmountMinor: 100_000 },
      collector,
    );
    expect(byCollector.statusCode).toBe(403);
    const tooMuch = await post(`/disputes/${id}/resolve`, {
      outcome: 'upheld',
      reason: 'Lot défectueux',
      creditNoteAmountMinor: 100_001,
    });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().errors[0].field).toBe('creditNoteAmountMinor');
    const noReason = await post(`/disputes/${id}/resolve`, { outcome: 'upheld', reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    // Nothing was written by the refused attempts.
    const still = await t.db
      .selectFrom('disputes')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(still.status).toBe('open');

    // An imported credit note already took the first number: the next free one is used.
    await t.db
      .insertInto('credit_notes')
      .values({
        org_id: a.org.id,
        customer_id: c.dispute,
        credit_note_number: 'D-UP-AV1',
        issue_date: '2026-03-01',
        currency: 'EUR',
        gross_minor: 500,
      })
      .execute();
    const res = await post(`/disputes/${id}/resolve`, {
      outcome: 'upheld',
      reason: 'Lot défectueux',
      creditNoteAmountMinor: 100_000,
    });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.status).toBe('resolved');
    expect(r.creditNote.creditNoteNumber).toBe('D-UP-AV2');
    expect(r.creditNote.amount).toMatchObject({ amount: 100_000, currency: 'EUR' });
    expect(r.balanceDue.amount).toBe(0);
    const invoice = await t.db
      .selectFrom('invoices')
      .select(['disputed', 'status', 'credited_minor'])
      .where('id', '=', inv['D-UP'] as string)
      .executeTakeFirstOrThrow();
    expect(invoice).toEqual({ disputed: false, status: 'credited', credited_minor: 100_000 });
    expect(await previewOf(c.dispute, 'D-UP')).toBe('absent');
    const statement = (await get(`/customers/${c.dispute}/statement`)).json();
    expect(
      statement.lines.some(
        (l: { kind: string; reference: string }) => l.kind === 'credit_note' && l.reference === 'D-UP-AV2',
      ),
    ).toBe(true);
    const kase = (await get(`/customers/${c.dispute}/case`)).json();
    const d = kase.disputes.find((x: { id: string }) => x.id === id);
    expect(d.status).toBe('resolved');
    expect(d.resolution).toBe('Lot défectueux');
    expect(d.creditNote.creditNoteNumber).toBe('D-UP-AV2');
  });

  it('pauses the whole account, then ends the pause early: the item is plannable again at once', async () => {
    expect(await previewOf(c.pause, 'P-ONE')).toBe('action:first_reminder');
    const past = await post(`/customers/${c.pause}/pauses`, { until: '2026-03-01', reason: 'Négociation' });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors[0].field).toBe('until');
    const res = await post(`/customers/${c.pause}/pauses`, { until: '2026-03-31', reason: 'Négociation' });
    expect(res.statusCode, res.body).toBe(201);
    const pauseId = res.json().pauseId as string;
    expect(await previewOf(c.pause, 'P-ONE')).toBe('excluded:paused');
    expect((await lastEvidence(c.pause)).summary).toBe('account paused until 2026-03-31: Négociation');

    const end = await post(`/pauses/${pauseId}/end`, { reason: 'Accord trouvé' });
    expect(end.statusCode, end.body).toBe(200);
    expect(await previewOf(c.pause, 'P-ONE')).toBe('action:first_reminder');
    expect((await post(`/pauses/${pauseId}/end`, {})).statusCode).toBe(409);
    const kase = (await get(`/customers/${c.pause}/case`)).json();
    expect(kase.pauses[0]).toMatchObject({ id: pauseId, invoice: null, endReason: 'Accord trouvé' });
    expect(kase.pauses[0].endedAt).not.toBeNull();
    expect((await lastEvidence(c.pause)).summary).toContain('ended early: Accord trouvé');
  });

  it('ends an invoice pause made by the bulk action', async () => {
    const bulk = await post('/invoices/bulk', {
      action: 'pause',
      invoiceIds: [inv['P-ONE']],
      until: '2026-04-10',
      reason: 'Relevé en attente',
    });
    expect(bulk.statusCode, bulk.body).toBe(200);
    expect(await previewOf(c.pause, 'P-ONE')).toBe('excluded:paused');
    const pause = (await get(`/customers/${c.pause}/case`)).json().pauses[0];
    expect(pause.invoice.invoiceNumber).toBe('P-ONE');
    expect((await post(`/pauses/${pause.id}/end`, {})).statusCode).toBe(200);
    expect(await previewOf(c.pause, 'P-ONE')).toBe('action:first_reminder');
  });

  it('marks a promise broken by hand (task for the collector), another kept; a closed promise answers 409', async () => {
    const call = await post(`/customers/${c.promise}/calls`, {
      outcome: 'promise',
      promiseDate: '2026-03-20',
    });
    expect(call.statusCode, call.body).toBe(201);
    const promiseId = call.json().promiseId as string;
    expect(await previewOf(c.promise, 'H-ONE')).toBe('excluded:promise_to_pay');
    const bad = await post(`/promises/${promiseId}/close`, { status: 'forgotten', reason: 'x' });
    expect(bad.statusCode).toBe(400);
    const res = await post(`/promises/${promiseId}/close`, { status: 'broken', reason: 'Refuse de payer' });
    expect(res.statusCode, res.body).toBe(200);
    const task = await t.db
      .selectFrom('tasks')
      .select(['kind', 'status'])
      .where('id', '=', res.json().followUpTaskId)
      .executeTakeFirstOrThrow();
    expect(task).toEqual({ kind: 'broken_promise', status: 'open' });
    expect(await previewOf(c.promise, 'H-ONE')).toBe('action:first_reminder');
    expect((await post(`/promises/${promiseId}/close`, { status: 'kept', reason: 'x' })).statusCode).toBe(
      409,
    );

    const second = await post(`/customers/${c.promise}/calls`, {
      outcome: 'promise',
      promiseDate: '2026-03-25',
    });
    const kept = await post(`/promises/${second.json().promiseId}/close`, {
      status: 'kept',
      reason: 'Virement reçu',
    });
    expect(kept.statusCode, kept.body).toBe(200);
    const kase = (await get(`/customers/${c.promise}/case`)).json();
    expect(kase.promises.map((p: { status: string }) => p.status)).toEqual(['kept', 'broken']);
    expect(kase.promises[0].resolution).toBe('Virement reçu');
    const last = await lastEvidence(c.promise);
    expect(last.kind).toBe('promise_to_pay');
    expect(last.summary).toContain('marked kept: Virement reçu');
  });

  it('puts a customer on credit hold and releases it, each with a reason in the evidence file', async () => {
    const missing = await post(`/customers/${c.promise}/credit-hold`, { hold: true });
    expect(missing.statusCode).toBe(400);
    const on = await post(`/customers/${c.promise}/credit-hold`, { hold: true, reason: 'Encours dépassé' });
    expect(on.statusCode, on.body).toBe(200);
    expect((await get(`/customers/${c.promise}`)).json().creditHold).toBe(true);
    expect((await get(`/customers/${c.promise}/case`)).json().creditHold).toMatchObject({
      on: true,
      reason: 'Encours dépassé',
    });
    expect(
      (await post(`/customers/${c.promise}/credit-hold`, { hold: true, reason: 'encore' })).statusCode,
    ).toBe(409);
    const off = await post(`/customers/${c.promise}/credit-hold`, { hold: false, reason: 'Règlement reçu' });
    expect(off.statusCode, off.body).toBe(200);
    const kase = (await get(`/customers/${c.promise}/case`)).json();
    expect(kase.creditHold).toEqual({ on: false, reason: null, since: null });
    const last = await lastEvidence(c.promise);
    expect(last.summary).toBe('credit hold released: Règlement reçu');
    expect(last.payload.previousReason).toBe('Encours dépassé');
  });

  it('publishes the case routes and their schemas in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const path of [
      '/api/v1/customers/{id}/case',
      '/api/v1/disputes/{id}/resolve',
      '/api/v1/customers/{id}/pauses',
      '/api/v1/pauses/{id}/end',
      '/api/v1/promises/{id}/close',
      '/api/v1/customers/{id}/credit-hold',
    ])
      expect(doc.paths[path], path).toBeDefined();
    const body =
      doc.paths['/api/v1/disputes/{id}/resolve'].post.requestBody.content['application/json'].schema;
    const resolved = body.$ref ? doc.components.schemas.ResolveDispute : body;
    expect(resolved.properties.outcome.enum).toEqual(['upheld', 'rejected']);
  });

  describe('attacks', () => {
    it('refuses every write to a viewer with 403 and changes nothing', async () => {
      const kase = (await get(`/customers/${c.pause}/case`)).json();
      const writes: [string, unknown][] = [
        [`/disputes/${disputes['D-REJ']}/resolve`, { outcome: 'upheld', reason: 'x' }],
        [`/customers/${c.pause}/pauses`, { until: '2026-03-31', reason: 'x' }],
        [`/pauses/${kase.pauses[0].id}/end`, {}],
        [`/promises/${crypto.randomUUID()}/close`, { status: 'kept', reason: 'x' }],
        [`/customers/${c.pause}/credit-hold`, { hold: true, reason: 'x' }],
      ];
      for (const [url, body] of writes) expect((await post(url, body, viewer)).statusCode, url).toBe(403);
      expect((await get(`/customers/${c.pause}/case`, viewer)).statusCode).toBe(200);
      expect((await get(`/customers/${c.pause}/case`)).json()).toEqual(kase);
    });

    it("answers 404 for another organisation's ids, reads or writes", async () => {
      const other = await makeCustomers(t.db, b.org.id, 1);
      const otherId = other[0]?.id as string;
      // Two invoices: one disputed, the other still promisable.
      const [otherInvoice] = await makeInvoices(t.db, b.org.id, [otherId], 2);
      const d = await post(
        `/customers/${otherId}/calls`,
        { outcome: 'dispute', invoiceId: otherInvoice?.id, disputeReason: 'price' },
        b.auth,
      );
      expect(d.statusCode, d.body).toBe(201);
      const p = await post(`/customers/${otherId}/pauses`, { until: '2026-03-31', reason: 'theirs' }, b.auth);
      const pr = await post(
        `/customers/${otherId}/calls`,
        { outcome: 'promise', promiseDate: '2026-03-20' },
        b.auth,
      );
      const attempts: [string, unknown][] = [
        [`/disputes/${d.json().disputeId}/resolve`, { outcome: 'rejected', reason: 'x' }],
        [`/customers/${otherId}/pauses`, { until: '2026-03-31', reason: 'x' }],
        [`/pauses/${p.json().pauseId}/end`, {}],
        [`/promises/${pr.json().promiseId}/close`, { status: 'kept', reason: 'x' }],
        [`/customers/${otherId}/credit-hold`, { hold: true, reason: 'x' }],
      ];
      for (const [url, body] of attempts) expect((await post(url, body)).statusCode, url).toBe(404);
      expect((await get(`/customers/${otherId}/case`)).statusCode).toBe(404);
      // Theirs is untouched.
      const theirs = (await get(`/customers/${otherId}/case`, b.auth)).json();
      expect(theirs.disputes[0].status).toBe('open');
      expect(theirs.pauses[0].endedAt).toBeNull();
      expect(theirs.promises[0].status).toBe('active');
      expect(theirs.creditHold.on).toBe(false);
    });

    it('needs the CSRF token with a browser session', async () => {
      await createUser(t.db, a.org.id, {
        email: 'claire@cases.test',
        name: 'Claire',
        password: 'a-long-password-1',
        role: 'collector',
      });
      const s = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email: 'claire@cases.test', password: 'a-long-password-1' },
      });
      const cookie = s.cookies.find((x) => x.name === 'relance_session');
      expect(cookie).toBeDefined();
      const headers = { cookie: `relance_session=${cookie?.value}` };
      const body = { hold: true, reason: 'Encours dépassé' };
      const url = `/customers/${c.pause}/credit-hold`;
      expect((await post(url, body, headers as never)).statusCode).toBe(403);
      const ok = await post(url, body, { ...headers, 'x-csrf-token': s.json().csrfToken } as never);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(String((await lastEvidence(c.pause)).payload.by)).toMatch(/^user:/);
    });
  });
});
