import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { readPortalToken, signPortalToken } from '../../../src/domain/portal/token.js';
import { portalSigningKey } from '../../../src/services/portal/portal-access.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { NOW, type OrgFixture, orgWithKey, testServer } from '../api/factories.js';
import { type SmtpFixture, startSmtpFixture } from '../channels/smtp-fixture.js';

interface Browser {
  cookie: string;
  csrf: string;
}

function cookieOf(r: LightMyRequestResponse): string {
  const c = r.cookies.find((x) => x.name === 'relance_session');
  if (!c) throw new Error(`no session cookie in ${r.statusCode} ${r.body}`);
  return `relance_session=${c.value}`;
}

const browserOf = (r: LightMyRequestResponse): Browser => ({ cookie: cookieOf(r), csrf: r.json().csrfToken });
const tokenOf = (link: string) => decodeURIComponent(link.split('#')[1] ?? '');

describeEngines('users and invitations: invite, join, roles, deactivation, attacks', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let smtp: SmtpFixture;
  let admin: Browser;
  let other: OrgFixture;
  let bobLink = '';
  let bob: Browser;
  let bobId = '';

  const call = (
    who: Browser,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) =>
    app.inject({
      method,
      url,
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrf },
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t, undefined, { RELANCE_SIGN_UP: 'true' });
    smtp = await startSmtpFixture();
    const up = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-up',
      payload: {
        organisationName: 'Gamma SARL',
        name: 'Alice',
        email: 'alice@gamma.fr',
        password: 'long enough pw',
      },
    });
    expect(up.statusCode, up.body).toBe(201);
    admin = browserOf(up);
    other = await orgWithKey(t.db, 'Delta SAS');
    const s = await call(admin, 'PUT', '/api/v1/settings', {
      channels: { senderEmail: 'relances@gamma.fr', smtpUrl: `smtp://127.0.0.1:${smtp.port}` },
    });
    expect(s.statusCode, s.body).toBe(200);
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    await t.drop();
  });

  it("invites by email through the organisation's SMTP server and answers the link", async () => {
    const r = await call(admin, 'POST', '/api/v1/users/invitations', {
      email: 'Bob@Gamma.fr',
      role: 'viewer',
    });
    expect(r.statusCode, r.body).toBe(201);
    const body = r.json();
    expect(body).toMatchObject({ emailed: true, invitation: { email: 'bob@gamma.fr', role: 'viewer' } });
    bobLink = body.link;
    expect(bobLink).toMatch(/^http:\/\/localhost(:\d+)?\/invitation#/);
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0];
    expect(mail?.envelopeTo).toEqual(['bob@gamma.fr']);
    expect(mail?.parsed.text).toContain(bobLink);
    const list = await call(admin, 'GET', '/api/v1/users');
    expect(list.json().invitations.map((i: { email: string }) => i.email)).toEqual(['bob@gamma.fr']);
  });

  it('refuses an email that already has an account', async () => {
    const r = await call(admin, 'POST', '/api/v1/users/invitations', {
      email: 'alice@gamma.fr',
      role: 'viewer',
    });
    expect(r.statusCode).toBe(409);
  });

  it('lets the invitee see the invitation, keeps the link after a refused password, then joins once', async () => {
    const token = tokenOf(bobLink);
    const d = await app.inject({ method: 'POST', url: '/api/v1/invitations/describe', payload: { token } });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toMatchObject({ organisationName: 'Gamma SARL', email: 'bob@gamma.fr', role: 'viewer' });

    const weak = await app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token, name: 'Bob', password: 'short' },
    });
    expect(weak.statusCode).toBe(400);

    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token, name: 'Bob Martin', password: 'bob long password' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().user).toMatchObject({ email: 'bob@gamma.fr', role: 'viewer', name: 'Bob Martin' });
    bob = browserOf(ok);
    bobId = ok.json().user.id;
    const session = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: bob.cookie },
    });
    expect(session.json().user.role).toBe('viewer');
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'bob@gamma.fr', password: 'bob long password' },
    });
    expect(signIn.statusCode).toBe(200);

    // Single use: the same link again, even with another password, creates nothing.
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token, name: 'Mallory', password: 'mallory password' },
    });
    expect(again.statusCode).toBe(404);
    const users = await call(admin, 'GET', '/api/v1/users');
    expect(
      users
        .json()
        .users.map((u: { email: string }) => u.email)
        .sort(),
    ).toEqual(['alice@gamma.fr', 'bob@gamma.fr']);
    expect(users.json().invitations).toEqual([]);
  });

  it('refuses forged, tampered, cross-purpose and expired invitation tokens with one answer', async () => {
    const inv = await call(admin, 'POST', '/api/v1/users/invitations', {
      email: 'carol@gamma.fr',
      role: 'collector',
    });
    const token = tokenOf(inv.json().link);
    const claims = readPortalToken(token);
    if (!claims) throw new Error('unreadable token');
    const [payload, sig] = token.split('.') as [string, string];
    const flipped = `${payload}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    // Signed with the organisation's portal key instead of the invitation key: a debtor's
    // portal link must never open an account.
    const portalKey = await withOrg(t.db, claims.orgId, (trx) =>
      portalSigningKey(trx, claims.orgId, {}, false),
    );
    if (!portalKey) throw new Error('no key');
    const crossPurpose = signPortalToken(claims, portalKey);
    for (const bad of [flipped, crossPurpose, 'garbage', `${payload}.${payload}`]) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/invitations/accept',
        payload: { token: bad, name: 'Eve', password: 'eve long password' },
      });
      expect(r.statusCode, bad).toBe(404);
      expect(r.json().detail).toContain('not valid');
    }
    const later = await testServer(t, new Date(NOW.getTime() + 8 * 86_400_000));
    const expired = await later.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token, name: 'Carol', password: 'carol long password' },
    });
    await later.close();
    expect(expired.statusCode).toBe(404);
    // A newer invitation to the same address replaces this one.
    await call(admin, 'POST', '/api/v1/users/invitations', { email: 'carol@gamma.fr', role: 'viewer' });
    const replaced = await app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token, name: 'Carol', password: 'carol long password' },
    });
    expect(replaced.statusCode).toBe(404);
  });

  it("refuses a viewer's writes", async () => {
    expect(
      (await call(bob, 'PUT', '/api/v1/settings', { organisation: { legalName: 'Pwned' } })).statusCode,
    ).toBe(403);
    expect(
      (await call(bob, 'POST', '/api/v1/users/invitations', { email: 'eve@x.fr', role: 'admin' })).statusCode,
    ).toBe(403);
    expect((await call(bob, 'PATCH', `/api/v1/users/${bobId}`, { role: 'admin' })).statusCode).toBe(403);
    expect((await call(bob, 'GET', '/api/v1/users')).statusCode).toBe(403);
    // And a write without the CSRF header, even from the admin's cookie.
    const noCsrf = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${bobId}`,
      headers: { cookie: admin.cookie },
      payload: { role: 'admin' },
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it("answers 404 for another organisation's users", async () => {
    for (const [method, url, payload] of [
      ['PATCH', `/api/v1/users/${bobId}`, { role: 'admin' }],
      ['POST', `/api/v1/users/${bobId}/deactivate`, undefined],
    ] as const) {
      const r = await app.inject({ method, url, headers: other.auth, ...(payload ? { payload } : {}) });
      expect(r.statusCode, `${method} ${url}`).toBe(404);
    }
    const list = await app.inject({ method: 'GET', url: '/api/v1/users', headers: other.auth });
    expect(list.json().users).toEqual([]);
    const session = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: bob.cookie },
    });
    expect(session.json().user.role).toBe('viewer');
  });

  it("changes a role, effective on the user's open session at once", async () => {
    const r = await call(admin, 'PATCH', `/api/v1/users/${bobId}`, { role: 'collector' });
    expect(r.statusCode, r.body).toBe(200);
    const session = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: bob.cookie },
    });
    expect(session.json().user.role).toBe('collector');
  });

  it('keeps one active admin', async () => {
    const me = (await call(admin, 'GET', '/api/v1/auth/session')).json().user.id;
    const demote = await call(admin, 'PATCH', `/api/v1/users/${me}`, { role: 'viewer' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().errors[0].code).toBe('last_admin');
    expect((await call(admin, 'POST', `/api/v1/users/${me}/deactivate`)).statusCode).toBe(409);
  });

  it('deactivates a user: their stolen session dies and they cannot sign in', async () => {
    const r = await call(admin, 'POST', `/api/v1/users/${bobId}/deactivate`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().sessionsRevoked).toBe(2);
    const stolen = await app.inject({
      method: 'GET',
      url: '/api/v1/invoices',
      headers: { cookie: bob.cookie },
    });
    expect(stolen.statusCode).toBe(401);
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'bob@gamma.fr', password: 'bob long password' },
    });
    expect(signIn.statusCode).toBe(401);
    const back = await call(admin, 'POST', `/api/v1/users/${bobId}/reactivate`);
    expect(back.json().disabledAt).toBeNull();
    // Reactivation does not revive old sessions.
    const still = await app.inject({
      method: 'GET',
      url: '/api/v1/invoices',
      headers: { cookie: bob.cookie },
    });
    expect(still.statusCode).toBe(401);
  });

  it('signs out everywhere: every session of the user, cookies stolen before included', async () => {
    const second = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'alice@gamma.fr', password: 'long enough pw' },
    });
    const laptop = browserOf(second);
    const r = await call(admin, 'POST', '/api/v1/auth/sign-out-everywhere');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().revoked).toBeGreaterThanOrEqual(2);
    for (const who of [admin, laptop]) {
      const g = await app.inject({ method: 'GET', url: '/api/v1/settings', headers: { cookie: who.cookie } });
      expect(g.statusCode).toBe(401);
    }
  });

  it('refuses forged and malformed API keys', async () => {
    const real = other.token;
    const forged = `${real.slice(0, -4)}${real.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    for (const key of [forged, 'rk_deadbeef_notasecret', 'not-a-key']) {
      const r = await app.inject({
        method: 'GET',
        url: '/api/v1/settings',
        headers: { authorization: `Bearer ${key}` },
      });
      expect(r.statusCode, key).toBe(401);
    }
  });
});
