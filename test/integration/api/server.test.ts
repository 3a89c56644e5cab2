import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../../src/api/server.js';
import { loadConfig } from '../../../src/config.js';
import type { Database } from '../../../src/db/schema/index.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { bearer, keyFor, type OrgFixture, orgWithKey, testServer } from './factories.js';

describeEngines('API server: health, OpenAPI, errors and authentication', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;
  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    a = await orgWithKey(t.db, 'Alpha SAS');
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('reports the database as reachable on /health', async () => {
    const r = await app.inject({ method: 'GET', url: '/health' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ status: 'ok', database: { engine, reachable: true } });
  });

  it('echoes a caller request id and makes one when absent', async () => {
    const given = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await app.inject({ method: 'GET', url: '/health' });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'a b\u0000' },
    });
    expect(hostile.headers['x-request-id']).not.toBe('a b\u0000');
  });

  it('serves an OpenAPI 3 document generated from the route schemas', async () => {
    const r = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/health',
      '/api/v1/customers',
      '/api/v1/customers/{id}',
      '/api/v1/invoices',
      '/api/v1/invoices/{id}',
      '/api/v1/payments',
      '/api/v1/payments/{id}',
      '/api/v1/credit-notes',
      '/api/v1/documents',
      '/api/v1/documents/{id}/content',
      '/api/v1/imports/{entity}',
      '/api/v1/imports',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const params = doc.paths['/api/v1/invoices'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['status', 'overdue', 'sort', 'limit', 'cursor', 'asOf']));
    expect(doc.components.securitySchemes.apiKey.scheme).toBe('bearer');
    const ui = await app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('answers problem+json naming the field for a bad query parameter', async () => {
    const r = await app.inject({
      method: 'GET',
      url: '/api/v1/invoices?limit=9999&sort=color',
      headers: a.auth,
    });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    const p = r.json();
    expect(p).toMatchObject({
      status: 400,
      code: 'VALIDATION',
      type: 'https://relance.dev/problems/validation',
    });
    expect(p.instance).toBe('/api/v1/invoices');
    const fields = p.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['limit', 'sort']));
    expect(p.errors.find((e: { field: string }) => e.field === 'limit').value).toBe('9999');
  });

  it('refuses a cursor from another sort', async () => {
    const cursor = Buffer.from(
      JSON.stringify({ s: 'dueDate', d: 'asc', k: '2026-01-01', i: '00000000-0000-4000-8000-000000000000' }),
    ).toString('base64url');
    const r = await app.inject({ url: `/api/v1/invoices?sort=issueDate&cursor=${cursor}`, headers: a.auth });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].field).toBe('cursor');
  });

  it('answers 404 problem+json for unknown routes and unknown ids', async () => {
    const r = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.json().code).toBe('NOT_FOUND');
    const id = await app.inject({
      url: '/api/v1/invoices/00000000-0000-4000-8000-000000000000',
      headers: a.auth,
    });
    expect(id.statusCode).toBe(404);
    expect(id.json().code).toBe('NOT_FOUND');
  });

  it('answers 401 for a missing, forged or revoked key', async () => {
    const missing = await app.inject({ url: '/api/v1/customers' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.json().code).toBe('UNAUTHENTICATED');

    const prefix = a.token.split('_')[1];
    const forged = await app.inject({
      url: '/api/v1/customers',
      headers: bearer(`rk_${prefix}_${'x'.repeat(43)}`),
    });
    expect(forged.statusCode).toBe(401);
    const garbage = await app.inject({ url: '/api/v1/customers', headers: { authorization: 'Bearer nope' } });
    expect(garbage.statusCode).toBe(401);

    const token = await keyFor(t.db, a.org.id, 'viewer');
    expect((await app.inject({ url: '/api/v1/customers', headers: bearer(token) })).statusCode).toBe(200);
    const keys = await app.inject({ url: '/api/v1/api-keys', headers: a.auth });
    const viewerKey = keys.json().items.find((k: { role: string }) => k.role === 'viewer');
    const del = await app.inject({
      method: 'DELETE',
      url: `/api/v1/api-keys/${viewerKey.id}`,
      headers: a.auth,
    });
    expect(del.statusCode).toBe(204);
    const revoked = await app.inject({ url: '/api/v1/customers', headers: bearer(token) });
    expect(revoked.statusCode).toBe(401);
  });

  it('checks 401 before validating parameters', async () => {
    const r = await app.inject({ url: '/api/v1/invoices?limit=0' });
    expect(r.statusCode).toBe(401);
  });

  it('forbids a viewer to import or manage keys', async () => {
    const token = await keyFor(t.db, a.org.id, 'viewer');
    const keys = await app.inject({ url: '/api/v1/api-keys', headers: bearer(token) });
    expect(keys.statusCode).toBe(403);
    expect(keys.json().code).toBe('FORBIDDEN');
  });

  it('creates a key whose token works once shown and is never listed', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: a.auth,
      payload: { name: 'ERP sync', role: 'accountant' },
    });
    expect(r.statusCode).toBe(201);
    const token: string = r.json().token;
    expect(token).toMatch(/^rk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect((await app.inject({ url: '/api/v1/customers', headers: bearer(token) })).statusCode).toBe(200);
    const list = await app.inject({ url: '/api/v1/api-keys', headers: a.auth });
    expect(JSON.stringify(list.json())).not.toContain(token.split('_').slice(2).join('_'));
    const stored = await t.db.selectFrom('api_keys').select('secret_sha256').execute();
    expect(stored.every((s) => !token.includes(s.secret_sha256))).toBe(true);
  });

  it('answers 503 on /health when the database cannot be reached', async () => {
    // A real driver pointed at a port where nothing listens: the database is down.
    const pool = new pg.Pool({
      connectionString: 'postgres://relance@127.0.0.1:1/none',
      connectionTimeoutMillis: 500,
    });
    const unreachable = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const down = await testServer({ ...t, db: unreachable });
    try {
      const r = await down.inject({ url: '/health' });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toEqual({ status: 'unavailable', database: { engine, reachable: false } });
    } finally {
      await down.close();
      await unreachable.destroy();
    }
  });

  it('answers 500 problem+json without leaking the error or its stack', async () => {
    const s = await buildServer({ handle: t, config: loadConfig({}), log: pino({ level: 'silent' }) });
    s.get('/boom', async () => {
      throw new Error('password=hunter2 in /srv/relance/secret.ts');
    });
    try {
      const r = await s.inject({ url: '/boom' });
      expect(r.statusCode).toBe(500);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.json()).toMatchObject({ status: 500, code: 'INTERNAL' });
      expect(r.body).not.toContain('hunter2');
      expect(r.body).not.toContain('secret.ts');
      expect(r.body).not.toContain('    at ');
    } finally {
      await s.close();
    }
  });

  it('logs each request with its request id and never the API key', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = pino({ level: 'info', redact: ['req.headers.authorization'] }, sink);
    const s = await buildServer({ handle: t, config: loadConfig({}), log });
    try {
      await s.inject({ url: '/api/v1/customers', headers: { ...a.auth, 'x-request-id': 'trace-42' } });
      const mine = lines.map((l) => JSON.parse(l)).filter((l) => l.reqId === 'trace-42');
      expect(mine.length).toBeGreaterThanOrEqual(2);
      expect(mine.some((l) => l.res?.statusCode === 200)).toBe(true);
      expect(lines.join('\n')).not.toContain(a.token);
    } finally {
      await s.close();
    }
  });
});
