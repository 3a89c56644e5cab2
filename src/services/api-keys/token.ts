import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API tokens read `rk_<prefix>_<secret>`: the prefix (12 lowercase hex characters, public,
 * unique) finds the key row; the secret (32 random bytes, base64url) is checked against
 * its SHA-256. A fast hash is enough for 256 bits of entropy: nothing to brute-force.
 */
const TOKEN = /^rk_([a-z0-9]{8,32})_([A-Za-z0-9_-]{20,100})$/;

export interface ParsedToken {
  prefix: string;
  secret: string;
}

export function newToken(): { token: string; prefix: string; secretSha256: string } {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { token: `rk_${prefix}_${secret}`, prefix, secretSha256: sha256Hex(secret) };
}

export function parseToken(token: string): ParsedToken | undefined {
  const m = TOKEN.exec(token);
  if (!m?.[1] || !m[2]) return undefined;
  return { prefix: m[1], secret: m[2] };
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** Constant-time comparison of the secret's hash with the stored one. */
export function secretMatches(secret: string, storedSha256: string): boolean {
  const a = Buffer.from(sha256Hex(secret), 'hex');
  const b = Buffer.from(storedSha256, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
