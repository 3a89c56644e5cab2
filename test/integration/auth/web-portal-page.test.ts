import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../../src/api/server.js';
import { loadConfig } from '../../../src/config.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

describeEngines('serving the debtor portal page', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relance-portal-web-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root">app shell</div>');
    writeFileSync(join(dir, 'portal.html'), '<!doctype html><div id="root">portal shell</div>');
    t = await createTestDb(engine);
    app = await buildServer({
      handle: t,
      config: loadConfig({ LOG_LEVEL: 'silent' }),
      log: pino({ level: 'silent' }),
      webDir: dir,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves portal.html, uncached and without referrer, for any /portal/<token> navigation', async () => {
    for (const url of ['/portal/abc.def', '/portal/not-a-token/', '/portal/x?utm=1']) {
      const r = await app.inject({ url, headers: { accept: 'text/html,*/*' } });
      expect(r.statusCode, url).toBe(200);
      expect(r.body).toContain('portal shell');
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
    }
    // The team app keeps its own page.
    expect((await app.inject({ url: '/invoices', headers: { accept: 'text/html' } })).body).toContain(
      'app shell',
    );
  });

  it('keeps problem+json 404s for API clients and unknown portal API paths', async () => {
    for (const [url, accept] of [
      ['/portal/abc', 'application/json'],
      ['/portal-api/abc/nowhere', 'text/html'],
    ] as const) {
      const r = await app.inject({ url, headers: { accept } });
      expect(r.statusCode, url).toBe(404);
      expect(r.headers['content-type']).toMatch(/problem\+json/);
    }
    const post = await app.inject({ method: 'POST', url: '/portal/abc', headers: { accept: 'text/html' } });
    expect(post.statusCode).toBe(404);
    expect(post.body).not.toContain('portal shell');
  });
});
