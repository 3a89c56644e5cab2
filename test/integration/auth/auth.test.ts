import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../../../src/services/auth/create-user.js';
import { DEMO_EMAIL, DEMO_PASSWORD, ensureDemoUser } from '../../../src/services/auth/demo-user.js';
import { hashPassword, verifyPassword } from '../../../src/services/auth/password.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { makeCustomers, orgWithKey, testServer } from '../api/factories.js';

function cookieOf(r: LightMyRequestResponse): string {
  const c = r.cookies.find((x) => x.name === 'relance_session');
  if (!c) throw new Error(`no session cookie in ${r.statusCode} ${r.body}`);
  return `relance_session=${c.value}`;
}

describeEngines('web sessions: sign-up, sign-in, CSRF, sign-out', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;

  async function signIn(email: string, password: string, ip = '10.0.0.1') {
    return app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email, password },
      remoteAddress: ip,
    });
  }

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t, undefined, { RELANCE_SIGN_UP: 'true' });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('hashes passwords with a salt and verifies only the right one', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  it('signs up an organisation with its admin, sets an HTTP-only SameSite cookie and answers the session', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-up',
      payload: {
        organisationName: 'Gamma SARL',
        name: 'Alice',
        email: 'Alice@Gamma.fr',
        password: 'long enough pw',
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    const set = r.cookies.find((c) => c.name === 'relance_session');
    expect(set?.httpOnly).toBe(true);
    expect(set?.sameSite).toBe('Lax');
    expect(r.json().user).toMatchObject({ email: 'alice@gamma.fr', role: 'admin' });
    const s = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: cookieOf(r) },
    });
    expect(s.statusCode).toBe(200);
    expect(s.json().organisation.name).toBe('Gamma SARL');
    expect(s.json().csrfToken).toBe(r.json().csrfToken);
    const stored = await t.db
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', 'alice@gamma.fr')
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).not.toContain('long enough pw');
  });

  it('refuses a second account with the same email and a short password', async () => {
    const dup = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-up',
      payload: { organisationName: 'Other', name: 'A', email: 'alice@gamma.fr', password: 'long enough pw' },
    });
    expect(dup.statusCode).toBe(409);
    expect(
      await t.db.selectFrom('organisations').select('id').where('legal_name', '=', 'Other').execute(),
    ).toHaveLength(0);
    const short = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-up',
      payload: { organisationName: 'Short', name: 'A', email: 'b@short.fr', password: 'short' },
    });
    expect(short.statusCode).toBe(400);
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const wrong = await signIn('alice@gamma.fr', 'not the password', '10.0.0.2');
    const unknown = await signIn('nobody@gamma.fr', 'not the password', '10.0.0.2');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    expect(wrong.cookies).toHaveLength(0);
  });

  it('rate-limits sign-in per IP and email after 10 attempts, even with the right password', async () => {
    for (let i = 0; i < 10; i++)
      expect((await signIn('alice@gamma.fr', 'bad password!', '10.0.0.9')).statusCode).toBe(401);
    const blocked = await signIn('alice@gamma.fr', 'long enough pw', '10.0.0.9');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('RATE_LIMITED');
    // Another address is not blocked by this one's attempts.
    expect((await signIn('alice@gamma.fr', 'long enough pw', '10.0.0.10')).statusCode).toBe(200);
  });

  it('requires the CSRF header for cookie writes but not for reads or API keys', async () => {
    const a = await orgWithKey(t.db, 'Csrf SAS');
    await createUser(t.db, a.org.id, {
      email: 'acc@csrf.fr',
      name: 'Acc',
      password: 'long enough pw',
      role: 'admin',
    });
    const s = await signIn('acc@csrf.fr', 'long enough pw', '10.0.1.1');
    const cookie = cookieOf(s);
    const csrf = s.json().csrfToken as string;
    const body = { name: 'UI key', role: 'viewer' };
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/customers', headers: { cookie } })).statusCode,
    ).toBe(200);
    const noCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { cookie },
      payload: body,
    });
    expect(noCsrf.statusCode).toBe(403);
    const badCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      // Change the last character for certain (a token may already end with "A").
      headers: { cookie, 'x-csrf-token': `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}` },
      payload: body,
    });
    expect(badCsrf.statusCode).toBe(403);
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: body,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const byKey = await app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: a.auth,
      payload: body,
    });
    expect(byKey.statusCode).toBe(201);
  });

  it('refuses a viewer cookie writing and scopes reads to the own organisation', async () => {
    const a = await orgWithKey(t.db, 'Viewer SAS');
    const b = await orgWithKey(t.db, 'Foreign SAS');
    const [foreign] = await makeCustomers(t.db, b.org.id, 1);
    await makeCustomers(t.db, a.org.id, 2);
    await createUser(t.db, a.org.id, {
      email: 'v@viewer.fr',
      name: 'V',
      password: 'long enough pw',
      role: 'viewer',
    });
    const s = await signIn('v@viewer.fr', 'long enough pw', '10.0.2.1');
    const headers = { cookie: cookieOf(s), 'x-csrf-token': s.json().csrfToken as string };
    const w = await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers, payload: { name: 'x' } });
    expect(w.statusCode).toBe(403);
    const list = await app.inject({ method: 'GET', url: '/api/v1/customers', headers });
    expect(list.json().items).toHaveLength(2);
    const other = await app.inject({ method: 'GET', url: `/api/v1/customers/${foreign?.id}`, headers });
    expect(other.statusCode).toBe(404);
  });

  it('refuses a stolen cookie after sign-out, and every session after sign-out-everywhere', async () => {
    const a = await orgWithKey(t.db, 'Out SAS');
    await createUser(t.db, a.org.id, {
      email: 'o@out.fr',
      name: 'O',
      password: 'long enough pw',
      role: 'collector',
    });
    const s1 = await signIn('o@out.fr', 'long enough pw', '10.0.3.1');
    const c1 = cookieOf(s1);
    const out = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: { cookie: c1, 'x-csrf-token': s1.json().csrfToken },
    });
    expect(out.statusCode).toBe(204);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/customers', headers: { cookie: c1 } })).statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: c1 } })).statusCode,
    ).toBe(401);

    const s2 = await signIn('o@out.fr', 'long enough pw', '10.0.3.2');
    const s3 = await signIn('o@out.fr', 'long enough pw', '10.0.3.3');
    const noCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out-everywhere',
      headers: { cookie: cookieOf(s2) },
    });
    expect(noCsrf.statusCode).toBe(403);
    const all = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out-everywhere',
      headers: { cookie: cookieOf(s2), 'x-csrf-token': s2.json().csrfToken },
    });
    expect(all.statusCode).toBe(200);
    expect(all.json().revoked).toBe(2);
    for (const s of [s2, s3]) {
      expect(
        (await app.inject({ method: 'GET', url: '/api/v1/customers', headers: { cookie: cookieOf(s) } }))
          .statusCode,
      ).toBe(401);
    }
  });

  it('refuses a forged cookie', async () => {
    const r = await app.inject({
      method: 'GET',
      url: '/api/v1/customers',
      headers: { cookie: 'relance_session=forged-token-value' },
    });
    expect(r.statusCode).toBe(401);
  });

  it('creates the demo user once and lets it sign in', async () => {
    const a = await orgWithKey(t.db, 'Demo SAS');
    expect((await ensureDemoUser(t.db, a.org.id)).created).toBe(true);
    expect((await ensureDemoUser(t.db, a.org.id)).created).toBe(false);
    const s = await signIn(DEMO_EMAIL, DEMO_PASSWORD, '10.0.4.1');
    expect(s.statusCode).toBe(200);
    expect(s.json().user.role).toBe('admin');
  });
});
