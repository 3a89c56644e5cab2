import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { UserSummary } from '../../db/queries/users.js';
import { AppError } from '../../errors.js';
import { roles } from '../../services/api-keys/create-api-key.js';
import { emailSchema, passwordSchema } from '../../services/auth/create-user.js';
import { resolveSession } from '../../services/auth/resolve-session.js';
import { csrfTokenFor } from '../../services/auth/session-token.js';
import { signIn } from '../../services/auth/sign-in.js';
import { signOut, signOutEverywhere } from '../../services/auth/sign-out.js';
import { signUp } from '../../services/auth/sign-up.js';
import type { ApiDeps } from '../context.js';
import {
  clearSessionCookie,
  sessionAuthenticator,
  sessionToken,
  setSessionCookie,
} from '../plugins/session.js';
import { iso, problemResponses } from '../schemas/common.js';

/** Sign-in attempts per IP and email in the window (OWASP ASVS 2.2.1 throttling). */
export const SIGN_IN_LIMIT = { max: 10, timeWindow: 15 * 60 * 1000 };

const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(roles),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });

const sessionSchema = z
  .object({
    user: userSchema,
    organisation: z.object({ id: z.uuid(), name: z.string(), currency: z.string(), locale: z.string() }),
    csrfToken: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'Session' });

function toUser(u: UserSummary): z.infer<typeof userSchema> {
  return { id: u.id, email: u.email, name: u.name, role: u.role, createdAt: iso(u.created_at) };
}

export const authRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  const db = deps.handle.db;
  const bySession = sessionAuthenticator(db, deps.now);

  // preHandler, not onRequest: the key needs the parsed body's email.
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    errorResponseBuilder: (_req, ctx) =>
      new AppError('RATE_LIMITED', `Too many sign-in attempts; retry in ${ctx.after}`, [], {
        retryAfterSeconds: Math.ceil(ctx.ttl / 1000),
      }),
  });

  async function describe(userOrgId: string, user: UserSummary, csrfToken: string, expiresAt: Date) {
    const org = await getOrganisation(db, userOrgId);
    if (!org) throw new AppError('UNAUTHENTICATED', 'Organisation no longer exists');
    return {
      user: toUser(user),
      organisation: { id: org.id, name: org.legal_name, currency: org.currency, locale: org.locale },
      csrfToken,
      expiresAt: expiresAt.toISOString(),
    };
  }

  /** Session routes authenticate by cookie only: an API key has no session to end. */
  async function requireSession(request: FastifyRequest) {
    const ctx = await bySession(request);
    if (!ctx?.sessionId || !ctx.userId) throw new AppError('UNAUTHENTICATED', 'Not signed in');
    return ctx as typeof ctx & { sessionId: string; userId: string };
  }

  app.post(
    '/sign-up',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Create an organisation and its first admin, and sign in (only when RELANCE_SIGN_UP=true; 403 otherwise)',
        security: [],
        body: z.object({
          organisationName: z.string().trim().min(1).max(200),
          name: z.string().trim().min(1).max(200),
          email: emailSchema,
          password: passwordSchema,
        }),
        response: { 201: sessionSchema, ...problemResponses },
      },
      config: { rateLimit: { ...SIGN_IN_LIMIT, keyGenerator: (r: FastifyRequest) => `sign-up:${r.ip}` } },
    },
    async (request, reply) => {
      if (!deps.config.RELANCE_SIGN_UP) {
        throw new AppError(
          'FORBIDDEN',
          'Sign-up is closed on this server: ask an administrator for an invitation (RELANCE_SIGN_UP=true opens it)',
        );
      }
      const { organisation, user, session } = await signUp(db, request.body, deps.now());
      setSessionCookie(reply, deps.config, session.token, session.expiresAt);
      return reply
        .status(201)
        .send(await describe(organisation.id, user, session.csrfToken, session.expiresAt));
    },
  );

  app.post(
    '/sign-in',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the HTTP-only session cookie',
        security: [],
        body: z.object({ email: z.string().trim().toLowerCase().max(254), password: z.string().max(200) }),
        response: { 200: sessionSchema, ...problemResponses },
      },
      config: {
        rateLimit: {
          ...SIGN_IN_LIMIT,
          keyGenerator: (r: FastifyRequest) => {
            const email = (r.body as { email?: unknown } | undefined)?.email;
            return `sign-in:${r.ip}:${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
          },
        },
      },
    },
    async (request, reply) => {
      const s = await signIn(db, request.body, deps.now());
      setSessionCookie(reply, deps.config, s.token, s.expiresAt);
      return describe(s.user.org_id, s.user, s.csrfToken, s.expiresAt);
    },
  );

  app.get(
    '/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, organisation and the CSRF token for writes',
        security: [],
        response: { 200: sessionSchema, ...problemResponses },
      },
    },
    async (request) => {
      const token = sessionToken(request);
      if (!token) throw new AppError('UNAUTHENTICATED', 'Not signed in');
      const live = await resolveSession(db, token, deps.now());
      return describe(live.user.org_id, live.user, csrfTokenFor(token), live.session.expires_at);
    },
  );

  app.post(
    '/sign-out',
    {
      schema: {
        tags: ['auth'],
        summary: 'End this session',
        security: [],
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const ctx = await requireSession(request);
      await signOut(db, ctx.orgId, ctx.sessionId, deps.now());
      clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/sign-out-everywhere',
    {
      schema: {
        tags: ['auth'],
        summary: 'End every session of the signed-in user, this one included',
        security: [],
        response: { 200: z.object({ revoked: z.number().int() }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const ctx = await requireSession(request);
      const revoked = await signOutEverywhere(db, ctx.orgId, ctx.userId, deps.now());
      clearSessionCookie(reply);
      return { revoked };
    },
  );
};
