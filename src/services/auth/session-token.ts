import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../api-keys/token.js';

export const SESSION_COOKIE = 'relance_session';
export const SESSION_DAYS = 14;

/** 32 random bytes: the cookie value. Only its SHA-256 reaches the database. */
export function newSessionToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: sha256Hex(token) };
}

export function sessionTokenHash(token: string): string {
  return sha256Hex(token);
}

/**
 * The CSRF token is bound to the session: an HMAC of the session token, so it needs no
 * storage, changes with every session, and cannot be computed by a page that cannot read
 * the HTTP-only cookie.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('relance-csrf').digest('base64url');
}

export function csrfMatches(sessionToken: string, given: string): boolean {
  const a = Buffer.from(csrfTokenFor(sessionToken));
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
