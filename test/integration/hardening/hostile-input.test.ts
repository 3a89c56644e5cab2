import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_AMOUNT_MINOR } from '../../../src/domain/money/index.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import {
  makeCustomers,
  makeInvoices,
  makePayment,
  type OrgFixture,
  orgWithKey,
  testServer,
} from '../api/factories.js';

/**
 * Hostile and careless input through the API (issue 14, items 4–14): every answer is a
 * problem+json naming the field, never a 500, and no single bad row breaks a page.
 */
describeEngines('hostile input through the API', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let o: OrgFixture;
  let customerId = '';

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    o = await orgWithKey(t.db, 'Hostile SAS');
    const [c] = await makeCustomers(t.db, o.org.id, 1);
    customerId = c?.id ?? '';
    await makeInvoices(t.db, o.org.id, [customerId], 2);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const get = (url: string) => app.inject({ method: 'GET', url, headers: o.auth });
  const post = (url: string, payload: unknown) =>
    app.inject({
      method: 'POST',
      url,
      headers: { ...o.auth, 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  describe('item 4: amounts', () => {
    it('refuses a payment above the documented maximum, naming the field', async () => {
      const r = await post('/api/v1/payments', {
        customerId,
        paymentReference: 'MAX-1',
        receivedOn: '2026-03-01',
        amount: 9007199254740991,
      });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().errors[0].field).toBe('amount');
      const ok = await post('/api/v1/payments', {
        customerId,
        paymentReference: 'MAX-2',
        receivedOn: '2026-03-01',
        amount: MAX_AMOUNT_MINOR,
      });
      expect(ok.statusCode, ok.body).toBe(201);
    });

    it('keeps the dashboard, the customer page and the statement up with rows past 2^53 in total', async () => {
      // Rows written before the bound (the database check is NOT VALID for old rows).
      await t.db.schema.alterTable('payments').dropConstraint('payments_amount_bound').execute();
      await makePayment(t.db, o.org.id, customerId, 9007199254740991, {}, 'OLD-1');
      await makePayment(t.db, o.org.id, customerId, 9007199254740991, {}, 'OLD-2');
      for (const url of [
        '/api/v1/dashboard',
        `/api/v1/customers/${customerId}`,
        `/api/v1/customers/${customerId}/statement`,
        '/api/v1/payments',
      ]) {
        const r = await get(url);
        expect(r.statusCode, `${url}: ${r.body.slice(0, 300)}`).toBe(200);
      }
    });

    it('reverses a payment with a reason: the invoices owe again and the evidence keeps it', async () => {
      const [c2] = await makeCustomers(t.db, o.org.id, 1, () => ({ external_ref: 'REV', name: 'Rev SARL' }));
      const [inv] = await makeInvoices(t.db, o.org.id, [c2?.id ?? ''], 1, () => ({
        invoice_number: 'REV-F1',
      }));
      if (!inv) throw new Error('no invoice');
      const pay = await post('/api/v1/payments', {
        customerId: c2?.id,
        paymentReference: 'REV-1',
        receivedOn: '2026-03-02',
        amount: 500,
        allocations: [{ invoiceId: inv.id, amount: 500 }],
      });
      expect(pay.statusCode, pay.body).toBe(201);
      const after = await get(`/api/v1/invoices/${inv.id}`);
      expect(after.json().balanceDue.amount).toBe(Number(inv.balance_minor) - 500);
      const noReason = await post(`/api/v1/payments/${pay.json().id}/reverse`, { reason: '' });
      expect(noReason.statusCode).toBe(400);
      const rev = await post(`/api/v1/payments/${pay.json().id}/reverse`, { reason: 'chèque impayé' });
      expect(rev.statusCode, rev.body).toBe(200);
      expect(rev.json().allocations).toHaveLength(1);
      expect((await get(`/api/v1/invoices/${inv.id}`)).json().balanceDue.amount).toBe(
        Number(inv.balance_minor),
      );
      expect((await get(`/api/v1/payments/${pay.json().id}`)).statusCode).toBe(404);
      const ev = await t.db
        .selectFrom('evidence')
        .select(['summary', 'payload'])
        .where('org_id', '=', o.org.id)
        .where('customer_id', '=', c2?.id ?? '')
        .where('kind', '=', 'payment')
        .execute();
      expect(ev.map((e) => e.summary)).toContain('payment REV-1 reversed: chèque impayé');
      const again = await post(`/api/v1/payments/${pay.json().id}/reverse`, { reason: 'twice' });
      expect(again.statusCode).toBe(404);
    });
  });

  describe('item 5: NUL characters', () => {
    it('answers 400 naming the query parameter', async () => {
      for (const url of ['/api/v1/customers?q=a%00b', '/api/v1/invoices?q=a%00b']) {
        const r = await get(url);
        expect(r.statusCode, r.body).toBe(400);
        expect(r.headers['content-type']).toContain('application/problem+json');
        expect(r.json().errors[0].field).toBe('q');
      }
    });
    it('answers 400 naming the JSON field', async () => {
      const r = await post('/api/v1/payments', {
        customerId,
        paymentReference: 'A\u0000B',
        receivedOn: '2026-03-01',
        amount: 100,
      });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().errors[0].field).toBe('paymentReference');
    });
  });

  describe('item 6: deep bodies and huge penalty amounts', () => {
    it('answers a deeply nested body with a 400 problem naming the body', async () => {
      const deep = `{"a":${'['.repeat(100_000)}1${']'.repeat(100_000)}}`;
      const r = await post('/api/v1/payments', deep);
      expect(r.statusCode, r.body.slice(0, 200)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().errors[0].field).toBe('body');
    });
    it('answers a huge penalties amount with a 400 naming the amount', async () => {
      for (const amount of ['90071992547409.91', '99999999999999999999']) {
        const r = await post('/api/v1/penalties/compute', {
          jurisdiction: 'FR',
          amount,
          dueDate: '2025-01-01',
          until: '2025-06-01',
        });
        expect(r.statusCode, r.body).toBe(400);
        expect(r.json().errors[0].field).toBe('amount');
      }
    });
  });
});
