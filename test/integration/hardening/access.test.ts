import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PORTAL_IP_RATE_LIMIT, PORTAL_RATE_LIMIT } from '../../../src/api/routes/portal.js';
import { loadConfig } from '../../../src/config.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { testServer } from '../api/factories.js';

const signUp = (app: FastifyInstance, email: string) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-up',
    payload: { organisationName: 'Open SARL', name: 'Eve', email, password: 'long enough pw' },
  });

it('reads RELANCE_SIGN_UP as a flag, off when unset', () => {
  expect(loadConfig({}).RELANCE_SIGN_UP).toBe(false);
  expect(loadConfig({ RELANCE_SIGN_UP: 'true' }).RELANCE_SIGN_UP).toBe(true);
  expect(() => loadConfig({ RELANCE_SIGN_UP: 'maybe' })).toThrow(/RELANCE_SIGN_UP/);
});

describeEngines('sign-up setting and the portal per-address limit (issue 14, items 2–3)', (engine) => {
  let t: TestDb;
  let closed: FastifyInstance;
  let open: FastifyInstance;

  beforeAll(async () => {
    t = await createTestDb(engine);
    closed = await testServer(t);
    open = await testServer(t, undefined, { RELANCE_SIGN_UP: 'true' });
  });
  afterAll(async () => {
    await closed.close();
    await open.close();
    await t.drop();
  });

  it('refuses sign-up by default and creates nothing', async () => {
    const before = await t.db.selectFrom('organisations').select('id').execute();
    const r = await signUp(closed, 'eve@open.fr');
    expect(r.statusCode, r.body).toBe(403);
    expect(r.json().detail).toMatch(/Sign-up is closed/);
    expect(await t.db.selectFrom('organisations').select('id').execute()).toHaveLength(before.length);
  });

  it('creates the organisation and its admin when RELANCE_SIGN_UP=true', async () => {
    const r = await signUp(open, 'eve@open.fr');
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().user.role).toBe('admin');
  });

  it('limits one address across portal tokens, not only per token', async () => {
    expect(PORTAL_IP_RATE_LIMIT).toBeGreaterThan(PORTAL_RATE_LIMIT);
    const statuses: number[] = [];
    for (let i = 0; i <= PORTAL_IP_RATE_LIMIT; i++) {
      // A different (invalid) token each time: the per-token limit never triggers.
      const r = await closed.inject({
        method: 'GET',
        url: `/portal-api/guess${i}/summary`,
        remoteAddress: '10.9.9.9',
      });
      statuses.push(r.statusCode);
    }
    expect(statuses.slice(0, PORTAL_IP_RATE_LIMIT).every((s) => s === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const other = await closed.inject({
      method: 'GET',
      url: '/portal-api/guess/summary',
      remoteAddress: '10.9.9.8',
    });
    expect(other.statusCode).toBe(404);
  });
});
