import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database, Role } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { verifyApiKey } from '../../services/api-keys/verify-api-key.js';

/** Who is calling, once authenticated. Every ledger query is scoped to `orgId`. */
export interface AuthContext {
  orgId: string;
  role: Role;
  /** Which credential proved it. */
  via: 'api-key' | 'session';
  keyId?: string;
  /** Set for browser sessions (see ./session.ts). */
  userId?: string;
  sessionId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

/**
 * One way of proving identity. Returns undefined when the request does not carry this kind
 * of credential (the next authenticator is tried) and throws when it carries a bad one.
 */
export type Authenticator = (request: FastifyRequest) => Promise<AuthContext | undefined>;

export function apiKeyAuthenticator(db: Kysely<Database>): Authenticator {
  return async (request) => {
    const header = request.headers.authorization;
    if (!header) return undefined;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m?.[1]) throw new AppError('UNAUTHENTICATED', 'Authorization must be "Bearer rk_…"');
    const id = await verifyApiKey(db, m[1]);
    return { orgId: id.orgId, role: id.role, keyId: id.keyId, via: 'api-key' };
  };
}

/** onRequest hook for a scope of routes: runs before validation, so an anonymous caller
 * learns nothing about the routes' parameters. */
export function authenticate(authenticators: Authenticator[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    for (const auth of authenticators) {
      const ctx = await auth(request);
      if (ctx) {
        request.auth = ctx;
        return;
      }
    }
    reply.header('www-authenticate', 'Bearer realm="relance"');
    throw new AppError('UNAUTHENTICATED', 'Missing credentials: sign in, or send Authorization: Bearer rk_…');
  };
}

export const readRoles: readonly Role[] = ['admin', 'accountant', 'collector', 'viewer'];
/** Changing the ledger in bulk (imports) or recording money needs accounting rights. */
export const ledgerWriteRoles: readonly Role[] = ['admin', 'accountant'];
/** Attaching evidence is part of a collector's work. */
export const documentWriteRoles: readonly Role[] = ['admin', 'accountant', 'collector'];
export const adminRoles: readonly Role[] = ['admin'];

export function requireAuth(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new AppError('UNAUTHENTICATED', 'Authentication required');
  return request.auth;
}

/** The caller's context if its role is one of `allowed`, else 403. */
export function requireRole(request: FastifyRequest, allowed: readonly Role[]): AuthContext {
  const auth = requireAuth(request);
  if (!allowed.includes(auth.role)) {
    throw new AppError('FORBIDDEN', `This action needs one of the roles: ${allowed.join(', ')}`);
  }
  return auth;
}
