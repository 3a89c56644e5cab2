import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getOrganisation } from '../../db/queries/organisations.js';
import { roles } from '../../services/api-keys/create-api-key.js';
import { passwordSchema } from '../../services/auth/create-user.js';
import { acceptInvitation, describeInvitation } from '../../services/users/accept-invitation.js';
import type { ApiDeps } from '../context.js';
import { setSessionCookie } from '../plugins/session.js';
import { problemResponses } from '../schemas/common.js';

export const INVITATIONS_API_PREFIX = '/api/v1/invitations';

/** 43 + 1 + 43 base64url characters; anything else is refused before any lookup. */
const tokenSchema = z.string().max(100);

/**
 * The invitee's side, before they have an account: authorised by the signed token alone.
 * The token travels in the body (never the URL), so it stays out of access logs.
 */
export const invitationRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  const secret = { appSecret: deps.config.RELANCE_SECRET };

  app.post(
    '/describe',
    {
      schema: {
        tags: ['auth'],
        summary: 'What an invitation link is for (organisation, email, role)',
        security: [],
        body: z.object({ token: tokenSchema }),
        response: {
          200: z.object({
            organisationName: z.string(),
            email: z.string(),
            role: z.enum(roles),
            expiresAt: z.string(),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const i = await describeInvitation(deps.handle.db, request.body.token, secret, deps.now());
      return { ...i, expiresAt: i.expiresAt.toISOString() };
    },
  );

  app.post(
    '/accept',
    {
      schema: {
        tags: ['auth'],
        summary: 'Join with the invited email and role: set a name and password, and sign in',
        security: [],
        body: z.object({
          token: tokenSchema,
          name: z.string().trim().min(1).max(200),
          password: passwordSchema,
        }),
        response: {
          201: z.object({
            user: z.object({ id: z.uuid(), email: z.string(), name: z.string(), role: z.enum(roles) }),
            organisation: z.object({
              id: z.uuid(),
              name: z.string(),
              currency: z.string(),
              locale: z.string(),
            }),
            csrfToken: z.string(),
            expiresAt: z.string(),
          }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const s = await acceptInvitation(deps.handle.db, request.body, secret, deps.now());
      setSessionCookie(reply, deps.config, s.token, s.expiresAt);
      const org = await getOrganisation(deps.handle.db, s.user.org_id);
      request.log.info({ userId: s.user.id }, 'invitation accepted');
      return reply.status(201).send({
        user: { id: s.user.id, email: s.user.email, name: s.user.name, role: s.user.role },
        organisation: {
          id: s.user.org_id,
          name: org?.legal_name ?? '',
          currency: org?.currency.trim() ?? 'EUR',
          locale: org?.locale ?? 'fr-FR',
        },
        csrfToken: s.csrfToken,
        expiresAt: s.expiresAt.toISOString(),
      });
    },
  );
};
