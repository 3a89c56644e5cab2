import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A portal token: `<payload>.<signature>`, both base64url. The payload is the organisation
 * id and the link id (two UUIDs, 32 bytes), so verification knows which organisation's key
 * to use without a cross-tenant lookup; the signature is HMAC-SHA256 over a domain-separated
 * string with that organisation's key. The link row (hash, expiry, revocation) is checked
 * after the signature, so a forged token never reaches the database beyond the key lookup.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TOKEN = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/;
const CONTEXT = 'relance-portal-v1';

export interface PortalTokenClaims {
  orgId: string;
  linkId: string;
}

function uuidBytes(id: string): Buffer {
  const lower = id.toLowerCase();
  if (!UUID.test(lower)) throw new RangeError(`not a UUID: ${id}`);
  return Buffer.from(lower.replaceAll('-', ''), 'hex');
}

function bytesUuid(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function sign(payload: string, key: Buffer): Buffer {
  return createHmac('sha256', key).update(`${CONTEXT}.${payload}`, 'utf8').digest();
}

/**
 * The organisation's signing key derived from the application secret, so one configured
 * secret never signs two organisations' tokens with the same key.
 */
export function deriveOrgKey(appSecret: string, orgId: string): Buffer {
  return createHmac('sha256', appSecret).update(`${CONTEXT}.org.${orgId.toLowerCase()}`, 'utf8').digest();
}

export function signPortalToken(claims: PortalTokenClaims, key: Buffer): string {
  const payload = Buffer.concat([uuidBytes(claims.orgId), uuidBytes(claims.linkId)]).toString('base64url');
  return `${payload}.${sign(payload, key).toString('base64url')}`;
}

/** The claims a token says it carries, before any signature check; null if malformed. */
export function readPortalToken(token: string): PortalTokenClaims | null {
  const m = TOKEN.exec(token);
  if (!m) return null;
  const raw = Buffer.from(m[1] as string, 'base64url');
  // Re-encoding must give the same text: rejects non-canonical encodings of the same bytes.
  if (raw.length !== 32 || raw.toString('base64url') !== m[1]) return null;
  return { orgId: bytesUuid(raw.subarray(0, 16)), linkId: bytesUuid(raw.subarray(16)) };
}

/** Constant-time check of the signature; false for anything malformed. */
export function verifyPortalToken(token: string, key: Buffer): PortalTokenClaims | null {
  const claims = readPortalToken(token);
  if (!claims) return null;
  const [payload, signature] = token.split('.') as [string, string];
  const given = Buffer.from(signature, 'base64url');
  if (given.toString('base64url') !== signature) return null;
  const expected = sign(payload, key);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return claims;
}

/** What the database stores instead of the token. */
export function portalTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether a link is usable at `now` (expiry is exclusive: a link dies at its instant). */
export function portalLinkUsable(link: { expiresAt: Date; revokedAt: Date | null }, now: Date): boolean {
  return link.revokedAt === null && now.getTime() < link.expiresAt.getTime();
}

export const DEFAULT_PORTAL_LINK_DAYS = 30;
export const MAX_PORTAL_LINK_DAYS = 365;
