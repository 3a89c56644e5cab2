import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  deriveOrgKey,
  portalLinkUsable,
  portalTokenHash,
  readPortalToken,
  signPortalToken,
  verifyPortalToken,
} from '../../../src/domain/portal/index.js';

const orgId = '3f2b8c1e-7a4d-4e2b-9c1f-0a1b2c3d4e5f';
const linkId = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const key = randomBytes(32);

/** Flip one character of the token at `index` to another base64url character. */
function flip(token: string, index: number): string {
  const c = token[index] as string;
  const other = c === 'A' ? 'B' : 'A';
  return token.slice(0, index) + other + token.slice(index + 1);
}

describe('portal token', () => {
  it('round-trips the organisation and link ids through sign and verify', () => {
    const token = signPortalToken({ orgId, linkId }, key);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    expect(verifyPortalToken(token, key)).toEqual({ orgId, linkId });
  });

  it('reads the claims without the key but verifies only with it', () => {
    const token = signPortalToken({ orgId, linkId }, key);
    expect(readPortalToken(token)).toEqual({ orgId, linkId });
    expect(verifyPortalToken(token, randomBytes(32))).toBeNull();
  });

  it('refuses a token with any payload character changed', () => {
    const token = signPortalToken({ orgId, linkId }, key);
    for (const i of [0, 10, 21, 41]) expect(verifyPortalToken(flip(token, i), key)).toBeNull();
  });

  it('refuses a token with any signature character changed', () => {
    const token = signPortalToken({ orgId, linkId }, key);
    for (const i of [44, 60, 85]) expect(verifyPortalToken(flip(token, i), key)).toBeNull();
  });

  it('refuses a signature moved onto another link id', () => {
    const a = signPortalToken({ orgId, linkId }, key);
    const b = signPortalToken({ orgId, linkId: randomUUID() }, key);
    const spliced = `${b.split('.')[0]}.${a.split('.')[1]}`;
    expect(verifyPortalToken(spliced, key)).toBeNull();
  });

  it('refuses malformed tokens without throwing', () => {
    for (const bad of [
      '',
      'abc',
      'a.b',
      `${'A'.repeat(43)}`,
      `${'A'.repeat(43)}.${'A'.repeat(42)}`,
      '../../etc',
    ]) {
      expect(verifyPortalToken(bad, key)).toBeNull();
      expect(readPortalToken(bad)).toBeNull();
    }
  });

  it('derives a different key per organisation from one application secret', () => {
    const secret = 'a-long-application-secret';
    const k1 = deriveOrgKey(secret, orgId);
    const k2 = deriveOrgKey(secret, randomUUID());
    expect(k1.equals(deriveOrgKey(secret, orgId))).toBe(true);
    expect(k1.equals(k2)).toBe(false);
    const token = signPortalToken({ orgId, linkId }, k1);
    expect(verifyPortalToken(token, k2)).toBeNull();
  });

  it('hashes tokens to 64 hex characters, different per token', () => {
    const t1 = signPortalToken({ orgId, linkId }, key);
    const t2 = signPortalToken({ orgId, linkId: randomUUID() }, key);
    expect(portalTokenHash(t1)).toMatch(/^[0-9a-f]{64}$/);
    expect(portalTokenHash(t1)).not.toBe(portalTokenHash(t2));
  });

  it('treats a link as dead from its expiry instant and once revoked', () => {
    const expiresAt = new Date('2026-04-01T10:00:00Z');
    expect(portalLinkUsable({ expiresAt, revokedAt: null }, new Date('2026-04-01T09:59:59.999Z'))).toBe(true);
    expect(portalLinkUsable({ expiresAt, revokedAt: null }, new Date('2026-04-01T10:00:00Z'))).toBe(false);
    expect(
      portalLinkUsable(
        { expiresAt, revokedAt: new Date('2026-03-01T00:00:00Z') },
        new Date('2026-03-15T00:00:00Z'),
      ),
    ).toBe(false);
  });
});
