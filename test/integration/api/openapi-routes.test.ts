import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../../src/api/server.js';
import { loadConfig } from '../../../src/config.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';

/**
 * The OpenAPI document at /docs/json must describe every route the server registers, and
 * nothing it does not: an integrator reads the document, not the code. Routes are collected
 * as Fastify registers them (onRoute), so a route added without a schema, or a schema for a
 * route that moved, fails here.
 */

/** "/x/:id/:name.pdf" → "/x/{id}/{name}.pdf", as OpenAPI writes parameters. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** Served but not part of the API contract, each for a stated reason. */
const NOT_IN_DOCUMENT: Record<string, string> = {
  // The document itself and its viewer.
  '/docs': 'Swagger UI',
};

describe('the OpenAPI document and the registered routes', () => {
  let t: TestDb;
  let app: FastifyInstance;
  const registered: string[] = [];
  beforeAll(async () => {
    t = await createTestDb('pglite');
    app = await buildServer({
      handle: t,
      config: loadConfig({ LOG_LEVEL: 'silent' }),
      log: pino({ level: 'silent' }),
      webDir: false,
      onRoute: (r) => {
        for (const m of [r.method].flat()) {
          if (m !== 'HEAD' && m !== 'OPTIONS') registered.push(`${m} ${openApiPath(r.url)}`);
        }
      },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('serves the document', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(200);
  });

  it('documents every registered route and only those', async () => {
    const api = registered.filter(
      (r) => !Object.keys(NOT_IN_DOCUMENT).some((p) => r.split(' ')[1]?.startsWith(p)),
    );
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(api.length).toBeGreaterThan(100);
    expect([...new Set(api)].sort()).toEqual([...new Set(documented)].sort());
  });

  it('gives every documented operation a summary and its error responses', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, { summary?: string; responses?: Record<string, unknown> }>>;
    };
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!op.summary) missing.push(`${method.toUpperCase()} ${path}: no summary`);
        if (!op.responses || Object.keys(op.responses).length === 0) {
          missing.push(`${method.toUpperCase()} ${path}: no responses`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
