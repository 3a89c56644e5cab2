import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import {
  bearer,
  keyFor,
  makeCustomers,
  makeInvoices,
  makePayment,
  type OrgFixture,
  orgWithKey,
  testServer,
} from './factories.js';

/** A multipart/form-data body built by hand, as a client would send it. */
function multipart(fields: Record<string, string>, file?: { name: string; type: string; content: Buffer }) {
  const boundary = `----relance${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const pdf = Buffer.concat([
  Buffer.from('%PDF-1.4\n'),
  Buffer.alloc(5000, 7),
  Buffer.from([0, 255, 128, 13, 10]),
  Buffer.from('\n%%EOF\n'),
]);

describeEngines('API tenant isolation, documents and imports', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;
  let b: OrgFixture;
  const bIds = { customer: '', invoice: '', payment: '', document: '' };
  let aCustomer = '';
  let aInvoice = '';

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    a = await orgWithKey(t.db, 'Alpha SAS');
    b = await orgWithKey(t.db, 'Beta SARL');
    const [ac] = await makeCustomers(t.db, a.org.id, 1, () => ({ name: 'Alpha client' }));
    const [bc] = await makeCustomers(t.db, b.org.id, 1, () => ({ name: 'Beta client' }));
    if (!ac || !bc) throw new Error('no customers');
    aCustomer = ac.id;
    bIds.customer = bc.id;
    aInvoice = (await makeInvoices(t.db, a.org.id, [ac.id], 3))[0]?.id as string;
    const bInv = await makeInvoices(t.db, b.org.id, [bc.id], 3);
    bIds.invoice = bInv[0]?.id as string;
    bIds.payment = (await makePayment(t.db, b.org.id, bc.id, 1_000, { [bIds.invoice]: 1_000 })).id;
    const up = multipart(
      { kind: 'contract', customerId: bc.id },
      { name: 'contrat.pdf', type: 'application/pdf', content: pdf },
    );
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      headers: { ...b.auth, ...up.headers },
      payload: up.payload,
    });
    expect(r.statusCode).toBe(201);
    bIds.document = r.json().id;
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it("does not list another organisation's customers, invoices, payments or documents", async () => {
    for (const url of [
      '/api/v1/customers',
      '/api/v1/invoices',
      '/api/v1/payments',
      '/api/v1/documents',
      '/api/v1/credit-notes',
    ]) {
      const mine = await app.inject({ url, headers: a.auth });
      expect(mine.statusCode).toBe(200);
      const body = JSON.stringify(mine.json());
      expect(body).not.toContain(bIds.customer);
      expect(body).not.toContain('Beta client');
      expect(body).not.toContain(bIds.invoice);
    }
    const theirs = await app.inject({ url: '/api/v1/documents', headers: b.auth });
    expect(theirs.json().items.map((d: { id: string }) => d.id)).toEqual([bIds.document]);
    const filtered = await app.inject({
      url: `/api/v1/invoices?customerId=${bIds.customer}`,
      headers: a.auth,
    });
    expect(filtered.json().items).toEqual([]);
  });

  it("answers 404 for another organisation's rows fetched by id", async () => {
    for (const url of [
      `/api/v1/customers/${bIds.customer}`,
      `/api/v1/invoices/${bIds.invoice}`,
      `/api/v1/payments/${bIds.payment}`,
      `/api/v1/documents/${bIds.document}`,
      `/api/v1/documents/${bIds.document}/content`,
    ]) {
      const r = await app.inject({ url, headers: a.auth });
      expect(`${url} ${r.statusCode}`).toBe(`${url} 404`);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    // The owner sees them: the 404 above is isolation, not a broken route.
    expect((await app.inject({ url: `/api/v1/invoices/${bIds.invoice}`, headers: b.auth })).statusCode).toBe(
      200,
    );
  });

  it("cannot attach a document to another organisation's invoice or customer", async () => {
    const up = multipart(
      { kind: 'proof_of_delivery', invoiceId: bIds.invoice },
      { name: 'pod.pdf', type: 'application/pdf', content: pdf },
    );
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      headers: { ...a.auth, ...up.headers },
      payload: up.payload,
    });
    expect(r.statusCode).toBe(404);
    const up2 = multipart(
      { kind: 'contract', customerId: bIds.customer },
      { name: 'c.pdf', type: 'application/pdf', content: pdf },
    );
    const r2 = await app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      headers: { ...a.auth, ...up2.headers },
      payload: up2.payload,
    });
    expect(r2.statusCode).toBe(404);
  });

  it('stores an uploaded document with its SHA-256 and size and returns identical bytes', async () => {
    const up = multipart(
      { kind: 'proof_of_delivery', invoiceId: aInvoice },
      { name: 'bon de livraison é.pdf', type: 'application/pdf', content: pdf },
    );
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      headers: { ...a.auth, ...up.headers },
      payload: up.payload,
    });
    expect(r.statusCode).toBe(201);
    const doc = r.json();
    expect(doc.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(doc.sizeBytes).toBe(pdf.length);
    expect(doc.customerId).toBe(aCustomer);
    const dl = await app.inject({ url: `/api/v1/documents/${doc.id}/content`, headers: a.auth });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers.etag).toBe(`"${doc.sha256}"`);
    expect(dl.headers['content-disposition']).toContain("filename*=UTF-8''bon%20de%20livraison%20%C3%A9.pdf");
    expect(Buffer.compare(dl.rawPayload, pdf)).toBe(0);
    const inv = await app.inject({ url: `/api/v1/invoices/${aInvoice}`, headers: a.auth });
    expect(inv.json().documents.map((d: { id: string }) => d.id)).toEqual([doc.id]);
  });

  it('refuses executables, mislabelled files and uploads without an owner', async () => {
    const exe = multipart(
      { kind: 'other', customerId: aCustomer },
      { name: 'x.exe', type: 'application/x-msdownload', content: Buffer.from('MZ') },
    );
    const r1 = await app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      headers: { ...a.auth, ...exe.headers },
      payload: exe.payload,
    });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().errors[0].field).toBe('file');
    const fake = multipart(
      { kind: 'other', customerId: aCustomer },
      { name: 'x.pdf', type: 'application/pdf', content: Buffer.from('<html>') },
    );
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/documents',
          headers: { ...a.auth, ...fake.headers },
          payload: fake.payload,
        })
      ).statusCode,
    ).toBe(400);
    const orphan = multipart({ kind: 'other' }, { name: 'x.pdf', type: 'application/pdf', content: pdf });
    const r3 = await app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      headers: { ...a.auth, ...orphan.headers },
      payload: orphan.payload,
    });
    expect(r3.statusCode).toBe(400);
    const badKind = multipart(
      { kind: 'selfie', customerId: aCustomer },
      { name: 'x.pdf', type: 'application/pdf', content: pdf },
    );
    const r4 = await app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      headers: { ...a.auth, ...badKind.headers },
      payload: badKind.payload,
    });
    expect(r4.statusCode).toBe(400);
    expect(r4.json().errors[0]).toMatchObject({ field: 'kind', value: 'selfie' });
  });

  it('refuses a document over 20 MB with 413', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20 * 1024 * 1024 + 10)]);
    const up = multipart(
      { kind: 'other', customerId: aCustomer },
      { name: 'big.pdf', type: 'application/pdf', content: big },
    );
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      headers: { ...a.auth, ...up.headers },
      payload: up.payload,
    });
    expect(r.statusCode).toBe(413);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    const count = await t.db
      .selectFrom('documents')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('filename', '=', 'big.pdf')
      .executeTakeFirst();
    expect(Number(count?.n)).toBe(0);
  });

  it('imports into the caller organisation only, and answers 201 with the summary', async () => {
    const csv = Buffer.from('Code client;Raison sociale\nA-100;Nouvelle SARL\nA-101;Autre SAS\n', 'utf8');
    const up = multipart({}, { name: 'clients.csv', type: 'text/csv', content: csv });
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/imports/customers',
      headers: { ...a.auth, ...up.headers },
      payload: up.payload,
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      status: 'committed',
      rowsRead: 2,
      accepted: 2,
      rejected: 0,
      created: 2,
    });
    const inB = await t.db
      .selectFrom('customers')
      .select('external_ref')
      .where('org_id', '=', b.org.id)
      .execute();
    expect(inB.map((c) => c.external_ref)).toEqual(['C00001']);
    const inA = await t.db
      .selectFrom('customers')
      .select('external_ref')
      .where('org_id', '=', a.org.id)
      .execute();
    expect(inA.map((c) => c.external_ref).sort()).toEqual(['A-100', 'A-101', 'C00001']);
    const batches = await app.inject({ url: '/api/v1/imports', headers: a.auth });
    expect(batches.json().items[0]).toMatchObject({ entity: 'customers', status: 'committed', rowsRead: 2 });
    expect((await app.inject({ url: '/api/v1/imports', headers: b.auth })).json().items).toEqual([]);
    const one = await app.inject({ url: `/api/v1/imports/${r.json().batchId}`, headers: b.auth });
    expect(one.statusCode).toBe(404);
  });

  it("rejects invoices that name another organisation's customer, with 422 problem+json", async () => {
    // C00001 exists in B; A's own C00001 exists too, so use a ref only B has.
    await makeCustomers(t.db, b.org.id, 1, () => ({ external_ref: 'ONLY-B', name: 'Only in Beta' }));
    const csv = Buffer.from(
      "N° facture;Code client;Date facture;Date d'échéance;Montant TTC\nX-1;ONLY-B;01/02/2026;03/03/2026;120,00\n",
      'utf8',
    );
    const up = multipart(
      // The dates read both ways: the order is said (issue 17 §3).
      { mode: 'all-or-nothing', dateFormat: 'DD/MM/YYYY' },
      { name: 'factures.csv', type: 'text/csv', content: csv },
    );
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/imports/invoices',
      headers: { ...a.auth, ...up.headers },
      payload: up.payload,
    });
    expect(r.statusCode).toBe(422);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    const p = r.json();
    expect(p.code).toBe('IMPORT_REJECTED');
    expect(p.summary).toMatchObject({ status: 'rejected', rowsRead: 1, rejected: 1, accepted: 0 });
    expect(p.errors[0]).toMatchObject({ line: 2, value: 'ONLY-B' });
    const bInvoices = await t.db
      .selectFrom('invoices')
      .select('invoice_number')
      .where('invoice_number', '=', 'X-1')
      .execute();
    expect(bInvoices).toEqual([]);
  });

  it('keeps valid rows in accept-valid mode and still reports the rejected ones', async () => {
    const csv = Buffer.from('Code client;Raison sociale\nA-200;Bonne SARL\n;Sans code\n', 'utf8');
    const up = multipart({ mode: 'accept-valid' }, { name: 'clients.csv', type: 'text/csv', content: csv });
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/imports/customers',
      headers: { ...a.auth, ...up.headers },
      payload: up.payload,
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().summary).toMatchObject({ status: 'committed', rowsRead: 2, accepted: 1, rejected: 1 });
    expect(r.json().errors[0].line).toBe(3);
  });

  it('applies a column mapping given as JSON', async () => {
    const csv = Buffer.from('Ident;Libellé\nA-300;Mappée SAS\n', 'utf8');
    const up = multipart(
      { mapping: JSON.stringify({ Ident: 'externalRef', Libellé: 'name' }) },
      { name: 'c.csv', type: 'text/csv', content: csv },
    );
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/imports/customers',
      headers: { ...a.auth, ...up.headers },
      payload: up.payload,
    });
    expect(r.statusCode).toBe(201);
    const bad = multipart({ mapping: '{not json' }, { name: 'c.csv', type: 'text/csv', content: csv });
    const r2 = await app.inject({
      method: 'POST',
      url: '/api/v1/imports/customers',
      headers: { ...a.auth, ...bad.headers },
      payload: bad.payload,
    });
    expect(r2.statusCode).toBe(400);
    expect(r2.json().errors[0].field).toBe('mapping');
  });

  it('lets only accountants and admins import', async () => {
    const token = await keyFor(t.db, a.org.id, 'collector');
    const up = multipart(
      {},
      { name: 'c.csv', type: 'text/csv', content: Buffer.from('Code client;Nom\nZ;Z\n') },
    );
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/imports/customers',
      headers: { ...bearer(token), ...up.headers },
      payload: up.payload,
    });
    expect(r.statusCode).toBe(403);
    const accountant = await keyFor(t.db, a.org.id, 'accountant');
    const up2 = multipart(
      {},
      { name: 'c.csv', type: 'text/csv', content: Buffer.from('Code client;Nom\nZ-1;Zed\n') },
    );
    const r2 = await app.inject({
      method: 'POST',
      url: '/api/v1/imports/customers',
      headers: { ...bearer(accountant), ...up2.headers },
      payload: up2.payload,
    });
    expect(r2.statusCode).toBe(201);
  });

  it('records a payment through the API and allocates it to the oldest invoice', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/payments',
      headers: a.auth,
      payload: {
        customerId: aCustomer,
        paymentReference: 'VIR-API-1',
        receivedOn: '2026-03-10',
        amount: 2_500,
      },
    });
    expect(r.statusCode).toBe(201);
    const p = r.json();
    expect(p.amount).toEqual({ amount: 2500, currency: 'EUR', decimal: '25.00' });
    expect(p.allocations).toHaveLength(1);
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/payments',
      headers: a.auth,
      payload: {
        customerId: aCustomer,
        paymentReference: 'VIR-API-1',
        receivedOn: '2026-03-10',
        amount: 2_500,
      },
    });
    expect(again.statusCode).toBe(409);
    const intoB = await app.inject({
      method: 'POST',
      url: '/api/v1/payments',
      headers: a.auth,
      payload: {
        customerId: bIds.customer,
        paymentReference: 'VIR-API-2',
        receivedOn: '2026-03-10',
        amount: 100,
      },
    });
    expect(intoB.statusCode).toBe(404);
  });

  it('imports an XLSX workbook uploaded through the API', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Clients');
    ws.addRow(['Code client', 'Raison sociale']);
    ws.addRow(['X-1', 'Classeur SARL']);
    ws.addRow(['X-2', 'Tableur SAS']);
    const content = Buffer.from(await wb.xlsx.writeBuffer());
    const up = multipart(
      {},
      {
        name: 'clients.xlsx',
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        content,
      },
    );
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/imports/customers',
      headers: { ...a.auth, ...up.headers },
      payload: up.payload,
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ rowsRead: 2, accepted: 2, created: 2 });
  });

  it('refuses document uploads from a viewer before reading the file', async () => {
    const token = await keyFor(t.db, a.org.id, 'viewer');
    const up = multipart(
      { kind: 'other', customerId: aCustomer },
      { name: 'x.pdf', type: 'application/pdf', content: pdf },
    );
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      headers: { ...bearer(token), ...up.headers },
      payload: up.payload,
    });
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe('FORBIDDEN');
  });
});
