import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../../src/api/server.js';
import { linkSignature, trackingToken } from '../../../src/channels/email/tracking.js';
import { loadConfig } from '../../../src/config.js';
import { withOrg } from '../../../src/db/connection.js';
import { createLogger, redactSecrets } from '../../../src/logger.js';
import { createPortalLink } from '../../../src/services/portal/create-portal-link.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { makeCustomers, makeInvoices, NOW, orgWithKey } from '../api/factories.js';

const SECRET = 'a-test-secret-of-32-characters!!';
const BASE = 'http://127.0.0.1:3000';

it('redacts portal paths, signed query parameters, API keys and bearer headers from a text', () => {
  const portal = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB';
  expect(redactSecrets(`GET /portal-api/${portal}/summary`)).toBe('GET /portal-api/[redacted]/summary');
  expect(redactSecrets(`/portal/${portal}?x=1`)).toBe('/portal/[redacted]?x=1');
  expect(redactSecrets('/hooks/t/c?t=abc&u=https%3A%2F%2Fx&s=sig')).toBe(
    '/hooks/t/c?t=[redacted]&u=[redacted]&s=[redacted]',
  );
  expect(redactSecrets('Bearer rk_abcd_0123456789abcdef')).toBe('Bearer [redacted]');
  expect(redactSecrets('key rk_abcd_0123456789abcdef used')).toBe('key [redacted] used');
  expect(redactSecrets('at DefaultConnectionProvider.provideConnection')).toBe(
    'at DefaultConnectionProvider.provideConnection',
  );
});

describeEngines('no token in the server log (issue 14, item 1)', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let lines = '';
  const tokens: string[] = [];

  beforeAll(async () => {
    t = await createTestDb(engine);
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines += chunk.toString();
        cb();
      },
    });
    app = await buildServer({
      handle: t,
      config: loadConfig({ RELANCE_SECRET: SECRET, LOG_LEVEL: 'debug' }),
      log: createLogger('debug', sink),
      now: () => NOW,
      webDir: false,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('logs a full portal, tracking and API session without any token it was given', async () => {
    const o = await orgWithKey(t.db, 'Logs SAS');
    tokens.push(o.token);
    const [c] = await makeCustomers(t.db, o.org.id, 1);
    const [inv] = await makeInvoices(t.db, o.org.id, [c?.id ?? ''], 1);
    const link = await withOrg(t.db, o.org.id, (trx) =>
      createPortalLink(
        trx,
        o.org.id,
        { customerId: c?.id ?? '' },
        { baseUrl: BASE, now: NOW, appSecret: SECRET },
      ),
    );
    const portal = link.url.slice(`${BASE}/portal/`.length);
    tokens.push(portal);
    const track = trackingToken(SECRET, { orgId: o.org.id, deliveryKey: 'dk-1' });
    tokens.push(track);
    const target = `${BASE}/portal/${portal}`;
    const sig = linkSignature(SECRET, track, target);
    tokens.push(sig);

    const calls = [
      { method: 'GET' as const, url: `/portal-api/${portal}/summary` },
      { method: 'GET' as const, url: `/portal-api/${portal}/nothing-here` },
      {
        method: 'POST' as const,
        url: `/portal-api/${portal}/invoices/${inv?.id}/dispute`,
        payload: { bad: 1 },
      },
      { method: 'GET' as const, url: `/portal/${portal}`, headers: { accept: 'text/html' } },
      { method: 'GET' as const, url: `/hooks/t/o.gif?t=${encodeURIComponent(track)}` },
      {
        method: 'GET' as const,
        url: `/hooks/t/c?t=${encodeURIComponent(track)}&u=${encodeURIComponent(target)}&s=${sig}`,
      },
      { method: 'GET' as const, url: '/api/v1/invoices', headers: { authorization: `Bearer ${o.token}` } },
      { method: 'GET' as const, url: '/api/v1/nowhere', headers: { authorization: `Bearer ${o.token}` } },
      { method: 'POST' as const, url: '/api/v1/invitations/describe', payload: { token: `${portal}x` } },
    ];
    for (const call of calls) await app.inject(call);
    expect(lines).toContain('/portal-api/[redacted]/summary');
    expect(lines.split('\n').length).toBeGreaterThan(calls.length);
    for (const token of tokens) {
      expect(lines.includes(token), `token ${token.slice(0, 12)}… found in the log`).toBe(false);
      expect(lines.includes(encodeURIComponent(token))).toBe(false);
    }
  });
});
