import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { keyFor, makeCustomers, type OrgFixture, orgWithKey, testServer } from '../api/factories.js';

function multipart(fields: Record<string, string>, file: { name: string; content: string }) {
  const boundary = `----relance${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.from(file.content, 'utf8'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

// "Num" is no known synonym: the preview must say invoiceNumber is unmapped until the user maps it.
const FILE = [
  'Num;Code client;Date facture;Date d’échéance;Montant TTC',
  'X-1;C00001;05/01/2026;04/02/2026;1 200,00',
  'X-2;C00002;12/01/2026;11/02/2026;300,00',
  'X-3;C00001;31/02/2026;01/03/2026;10,00',
  'X-4;NOBODY;15/01/2026;14/02/2026;50,00',
].join('\n');

describeEngines('import preview: mapping, first rows, row errors, nothing kept, then confirm', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    a = await orgWithKey(t.db, 'Alpha SAS');
    await makeCustomers(t.db, a.org.id, 2);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const preview = (fields: Record<string, string>, headers = a.auth) => {
    const m = multipart(fields, { name: 'factures.csv', content: FILE });
    return app.inject({
      method: 'POST',
      url: '/api/v1/imports/invoices/preview',
      headers: { ...headers, ...m.headers },
      payload: m.payload,
    });
  };
  const counts = async () => ({
    invoices: Number(
      (
        await t.db
          .selectFrom('invoices')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    batches: Number(
      (
        await t.db
          .selectFrom('import_batches')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    history: Number(
      (
        await t.db
          .selectFrom('ledger_history')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  });

  it('shows the detected columns and the missing required field before any row is checked', async () => {
    const r = await preview({});
    expect(r.statusCode, r.body).toBe(200);
    const p = r.json();
    expect(p.detected).toMatchObject({ format: 'csv', delimiter: ';' });
    expect(p.columns).toMatchObject({ Num: null, 'Code client': 'customerRef', 'Montant TTC': 'gross' });
    expect(p.mappingProblems.map((e: { field?: string }) => e.field)).toContain('invoiceNumber');
    expect(p.sample).toHaveLength(4);
    expect(p.sample[0]).toEqual({
      line: 2,
      cells: {
        Num: 'X-1',
        'Code client': 'C00001',
        'Date facture': '05/01/2026',
        'Date d’échéance': '04/02/2026',
        'Montant TTC': '1 200,00',
      },
    });
    expect(p.fields).toContainEqual({ name: 'invoiceNumber', required: true });
  });

  it('with the mapping, reports every row error and the counts, and keeps nothing', async () => {
    const before = await counts();
    const r = await preview({ mapping: JSON.stringify({ Num: 'invoiceNumber' }) });
    expect(r.statusCode, r.body).toBe(200);
    const p = r.json();
    expect(p.mappingProblems).toEqual([]);
    expect(p.columns.Num).toBe('invoiceNumber');
    expect(p).toMatchObject({ rowsRead: 4, rowsWithErrors: 2, created: 2, updated: 0 });
    const byLine = Object.fromEntries(
      p.errors.map((e: { line: number; field?: string }) => [e.line, e.field]),
    );
    // Line 4: a date that does not exist; line 5: a customer only the ledger can refuse.
    expect(byLine).toEqual({ 4: 'issueDate', 5: 'customerRef' });
    expect(await counts()).toEqual(before);
  });

  it('confirms by importing the same file with the same mapping', async () => {
    const m = multipart(
      { mode: 'accept-valid', mapping: JSON.stringify({ Num: 'invoiceNumber' }) },
      { name: 'factures.csv', content: FILE },
    );
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/imports/invoices',
      headers: { ...a.auth, ...m.headers },
      payload: m.payload,
    });
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json().summary).toMatchObject({ accepted: 2, rejected: 2, created: 2 });
    expect((await counts()).invoices).toBe(2);
    const again = await preview({ mapping: JSON.stringify({ Num: 'invoiceNumber' }) });
    expect(again.json()).toMatchObject({ created: 0, unchanged: 2 });
  });

  it('needs accounting rights', async () => {
    const viewer = await keyFor(t.db, a.org.id, 'viewer');
    const r = await preview({}, { authorization: `Bearer ${viewer}` });
    expect(r.statusCode).toBe(403);
  });
});
