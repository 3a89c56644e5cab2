import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { bearer, keyFor, type OrgFixture, orgWithKey, testServer } from './factories.js';

const eur = (amount: number) => ({ amount, currency: 'EUR' });

describeEngines('the ledger API for an ERP: upserts, batches, lookups, idempotency', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;
  let b: OrgFixture;
  let viewer: { authorization: string };

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    a = await orgWithKey(t.db, 'ERP Alpha SAS');
    b = await orgWithKey(t.db, 'ERP Beta SAS');
    viewer = bearer(await keyFor(t.db, a.org.id, 'viewer'));
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const put = (url: string, payload: unknown, headers: Record<string, string> = a.auth) =>
    app.inject({ method: 'PUT', url: `/api/v1${url}`, headers, payload: payload as object });
  const post = (url: string, payload: unknown, headers: Record<string, string> = a.auth) =>
    app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload: payload as object });
  const get = (url: string, headers: Record<string, string> = a.auth) =>
    app.inject({ method: 'GET', url: `/api/v1${url}`, headers });

  it('creates a customer by reference, then reports updated and unchanged', async () => {
    const first = await put('/customers/by-ref/ERP-001', {
      name: 'Boulangerie Martin SARL',
      siren: '552 100 554',
      email: 'compta@martin.example',
      paymentTermsDays: 45,
      creditLimit: eur(500_000),
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ outcome: 'created' });
    const again = await put('/customers/by-ref/ERP-001', {
      name: 'Boulangerie Martin SARL',
      siren: '552 100 554',
      email: 'compta@martin.example',
      paymentTermsDays: 45,
      creditLimit: eur(500_000),
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ id: first.json().id, outcome: 'unchanged' });
    const renamed = await put('/customers/by-ref/ERP-001', { name: 'Boulangerie Martin & Fils SARL' });
    expect(renamed.json()).toEqual({ id: first.json().id, outcome: 'updated' });

    const found = await get('/customers/by-ref/ERP-001', viewer);
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({
      id: first.json().id,
      externalRef: 'ERP-001',
      name: 'Boulangerie Martin & Fils SARL',
      creditLimit: { amount: 500_000, currency: 'EUR', decimal: '5000.00' },
      paymentTermsDays: 45,
    });
  });

  it('upserts an invoice with money in the API shape and dates as in imports, and finds it by number', async () => {
    const res = await put('/invoices/by-number/FA-ERP-1', {
      customerRef: 'ERP-001',
      issueDate: '2026-02-01',
      dueDate: '03/03/2026',
      net: eur(100_000),
      tax: eur(20_000),
      gross: eur(120_000),
      poReference: 'PO-77',
    });
    expect(res.statusCode).toBe(201);
    const found = await get('/invoices/by-number/FA-ERP-1');
    expect(found.json()).toMatchObject({
      invoiceNumber: 'FA-ERP-1',
      dueDate: '2026-03-03',
      gross: { amount: 120_000, decimal: '1200.00', currency: 'EUR' },
      balanceDue: { amount: 120_000 },
      customer: { externalRef: 'ERP-001' },
      poReference: 'PO-77',
    });
  });

  it('returns every validation error at once, each naming its field, and writes nothing', async () => {
    const res = await post('/invoices/batch', {
      records: [
        {
          invoiceNumber: 'FA-ERP-2',
          customerRef: 'ERP-001',
          issueDate: '2026-02-10',
          dueDate: '2026-03-10',
          gross: eur(5000),
        },
        {
          invoiceNumber: 'FA-ERP-3',
          customerRef: 'ERP-001',
          issueDate: 'le 10 février',
          dueDate: '2026-01-01',
          gross: eur(5000),
        },
        {
          invoiceNumber: 'FA-ERP-4',
          customerRef: 'NOBODY',
          issueDate: '2026-02-10',
          dueDate: '2026-03-10',
          gross: eur(5000),
        },
      ],
    });
    expect(res.statusCode).toBe(422);
    const fields = (res.json().errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['records.1.issueDate', 'records.2.customerRef']));
    expect((await get('/invoices/by-number/FA-ERP-2')).statusCode).toBe(404);
  });

  it('refuses money sent as a bare number, naming the field, before anything is read', async () => {
    const res = await put('/invoices/by-number/FA-ERP-5', {
      customerRef: 'ERP-001',
      issueDate: '2026-02-10',
      dueDate: '2026-03-10',
      gross: 120.5,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'gross' })]);
  });

  it('refuses a batch whose records carry different fields, rather than clear the missing ones', async () => {
    const res = await post('/customers/batch', {
      records: [
        { externalRef: 'ERP-001', name: 'Boulangerie Martin & Fils SARL', paymentTermsDays: 30 },
        { externalRef: 'ERP-030', name: 'Sans délai' },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({
      field: 'records.1',
      reason: expect.stringContaining('paymentTermsDays'),
    });
    expect((await get('/customers/by-ref/ERP-001')).json().paymentTermsDays).toBe(45);
  });

  it('refuses a key in the body that differs from the path', async () => {
    const res = await put('/customers/by-ref/ERP-002', { externalRef: 'ERP-003', name: 'X' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'externalRef' });
  });

  it('keeps the valid records in accept-valid mode and names the refused ones', async () => {
    const res = await post('/customers/batch', {
      mode: 'accept-valid',
      records: [
        { externalRef: 'ERP-010', name: 'Garage Dupont' },
        { externalRef: 'ERP-011', name: '' },
      ],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'records.1.name' })]);
    expect((await get('/customers/by-ref/ERP-010')).statusCode).toBe(200);
    expect((await get('/customers/by-ref/ERP-011')).statusCode).toBe(404);
  });

  it('replays the first answer for a repeated Idempotency-Key and refuses it for another body', async () => {
    const headers = { ...a.auth, 'idempotency-key': 'erp-pay-42' };
    const payload = {
      records: [
        {
          paymentReference: 'VIR-42',
          customerRef: 'ERP-001',
          receivedOn: '2026-03-05',
          amount: eur(20_000),
          invoiceNumbers: ['FA-ERP-1'],
        },
      ],
    };
    const first = await post('/payments/batch', payload, headers);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ created: 1 });
    const replay = await post('/payments/batch', payload, headers);
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    const other = await post(
      '/payments/batch',
      { records: [{ ...payload.records[0], amount: eur(1) }] },
      headers,
    );
    expect(other.statusCode).toBe(422);
    expect(other.json().errors[0]).toMatchObject({ field: 'Idempotency-Key' });
    // The payment was written once: the invoice owes 1,200.00 - 200.00.
    const inv = await get('/invoices/by-number/FA-ERP-1');
    expect(inv.json().balanceDue).toMatchObject({ amount: 100_000 });
    // Keys are per organisation: another organisation may use the same one.
    const otherOrg = await post(
      '/customers/batch',
      { records: [{ externalRef: 'B-1', name: 'Beta client' }] },
      {
        ...b.auth,
        'idempotency-key': 'erp-pay-42',
      },
    );
    expect(otherOrg.statusCode).toBe(200);
  });

  it('needs a role that may write the ledger, and keeps organisations apart', async () => {
    expect((await put('/customers/by-ref/ERP-020', { name: 'Nope' }, viewer)).statusCode).toBe(403);
    expect((await get('/customers/by-ref/ERP-001', b.auth)).statusCode).toBe(404);
  });
});
