import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../../src/api/server.js';
import { loadConfig } from '../../../src/config.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

describeEngines('serving the web app', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relance-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root">app shell</div>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
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

  it('serves index.html at / and for browser navigations to app routes', async () => {
    for (const url of ['/', '/invoices?overdue=true']) {
      const r = await app.inject({ url, headers: { accept: 'text/html,*/*' } });
      expect(r.statusCode, url).toBe(200);
      expect(r.body).toContain('app shell');
    }
    const js = await app.inject({ url: '/assets/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
  });

  it('keeps problem+json 404s for the API, the docs and non-browser clients', async () => {
    for (const [url, accept] of [
      ['/api/v1/nowhere', 'text/html'],
      ['/nowhere', 'application/json'],
    ] as const) {
      const r = await app.inject({ url, headers: { accept } });
      expect([401, 404], url).toContain(r.statusCode);
      expect(r.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
  });
});
