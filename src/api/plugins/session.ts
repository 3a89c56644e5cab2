import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { resolveSession } from '../../services/auth/resolve-session.js';
import { csrfMatches, SESSION_COOKIE } from '../../services/auth/session-token.js';
import type { AuthContext, Authenticator } from './auth.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Proves identity from the session cookie. A cookie rides along on cross-site requests, so
 * unsafe methods must also carry the session's CSRF token in a header, which a foreign page
 * can neither read nor set (OWASP CSRF cheat sheet, synchronizer token pattern).
 */
export function sessionAuthenticator(db: Kysely<Database>, now: () => Date): Authenticator {
  return async (request) => {
    const token = request.cookies?.[SESSION_COOKIE];
    if (!token) return undefined;
    const live = await resolveSession(db, token, now());
    if (!SAFE_METHODS.has(request.method)) {
      const given = request.headers[CSRF_HEADER];
      if (typeof given !== 'string' || !csrfMatches(token, given)) {
        throw new AppError(
          'FORBIDDEN',
          'Missing or wrong X-CSRF-Token header (get it from GET /api/v1/auth/session)',
        );
      }
    }
    const ctx: AuthContext = {
      orgId: live.user.org_id,
      role: live.user.role,
      via: 'session',
      userId: live.user.id,
      sessionId: live.session.id,
    };
    return ctx;
  };
}

export function setSessionCookie(reply: FastifyReply, config: Config, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.PUBLIC_URL?.startsWith('https://') ?? false,
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

export function sessionToken(request: FastifyRequest): string | undefined {
  return request.cookies?.[SESSION_COOKIE];
}
