import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { orgWithKey, testServer } from '../api/factories.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/fec', name));

function upload(name: string, content: Buffer, fields: Record<string, string> = {}) {
  const boundary = `----fec${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  const payload = Buffer.concat([
    Buffer.from(parts.join('')),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEngines('POST /api/v1/imports/fec', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('imports a FEC upload and answers its summary; a file that does not balance is a 422 naming the entry', async () => {
    const { auth } = await orgWithKey(t.db, 'FEC API SARL');
    const u = upload('FEC.txt', fixture('pipe-latin1.txt'), { termsDays: '60' });
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/imports/fec',
      payload: u.payload,
      headers: { ...u.headers, ...auth },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      status: 'committed',
      dialect: { separator: 'pipe', encoding: 'iso-8859-1' },
      invoices: { created: 3 },
      dueDates: { importTerms: 3 },
      reconciliation: { customers: 2, matched: 2, mismatches: [] },
    });

    const text = fixture('sync-month2.txt').toString('utf8').replace('\t0,00\t1000,00\t', '\t0,00\t999,99\t');
    const bad = upload('FEC.txt', Buffer.from(text));
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/imports/fec',
      payload: bad.payload,
      headers: { ...bad.headers, ...auth },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({
      summary: { status: 'rejected', unbalanced: [{ ecritureNum: 'VE1' }] },
    });
    expect(JSON.stringify(refused.json())).toContain('VE VE1');
  });
});
