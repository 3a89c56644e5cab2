import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Invitation } from '../../db/queries/invitations.js';
import type { UserSummary } from '../../db/queries/users.js';
import { roles } from '../../services/api-keys/create-api-key.js';
import { inviteUser } from '../../services/users/invite-user.js';
import {
  cancelInvitation,
  changeUserRole,
  deactivateUser,
  listUsersAndInvitations,
  reactivateUser,
} from '../../services/users/manage-users.js';
import { type ApiDeps, inOrg } from '../context.js';
import { adminRoles, requireRole } from '../plugins/auth.js';
import { idParam, iso, isoOrNull, problemResponse, problemResponses } from '../schemas/common.js';

const orgUserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(roles),
    createdAt: z.string(),
    disabledAt: z.string().nullable(),
  })
  .meta({ id: 'OrgUser' });

const invitationSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: z.enum(roles),
    createdAt: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'Invitation' });

const toUser = (u: UserSummary): z.infer<typeof orgUserSchema> => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  createdAt: iso(u.created_at),
  disabledAt: isoOrNull(u.disabled_at),
});

const toInvitation = (i: Invitation): z.infer<typeof invitationSchema> => ({
  id: i.id,
  email: i.email,
  role: i.role,
  createdAt: iso(i.created_at),
  expiresAt: iso(i.expires_at),
});

const conflict = { 409: problemResponse('Email already registered, or the last active admin') };

export const userRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: "The organisation's users and pending invitations (admin)",
        response: {
          200: z.object({ users: z.array(orgUserSchema), invitations: z.array(invitationSchema) }),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      inOrg(deps, request, adminRoles, async (trx, auth) => {
        const r = await listUsersAndInvitations(trx, auth.orgId, deps.now());
        return { users: r.users.map(toUser), invitations: r.invitations.map(toInvitation) };
      }),
  );

  app.post(
    '/users/invitations',
    {
      schema: {
        tags: ['users'],
        summary: 'Invite someone by email with a role (admin); answers the single-use link',
        description:
          "The link is valid 7 days and works once. It is emailed through the organisation's SMTP server (or the instance's) when one is configured and the organisation has a sender address; `emailed` says whether it was.",
        body: z.object({ email: z.string().max(254), role: z.enum(roles) }),
        response: {
          201: z.object({ invitation: invitationSchema, link: z.string(), emailed: z.boolean() }),
          ...conflict,
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const auth = requireRole(request, adminRoles);
      const r = await inviteUser(deps.handle.db, auth.orgId, request.body, {
        invitedBy: auth.userId ?? null,
        now: deps.now(),
        baseUrl: deps.config.PUBLIC_URL ?? `${request.protocol}://${request.host}`,
        secret: { appSecret: deps.config.RELANCE_SECRET },
        smtpUrl: deps.config.SMTP_URL,
        log: request.log,
      });
      request.log.info({ invitationId: r.invitation.id, emailed: r.emailed }, 'user invited');
      return reply
        .status(201)
        .send({ invitation: toInvitation(r.invitation), link: r.link, emailed: r.emailed });
    },
  );

  app.delete(
    '/users/invitations/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Cancel a pending invitation (admin)',
        params: idParam,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await inOrg(deps, request, adminRoles, (trx, auth) =>
        cancelInvitation(trx, auth.orgId, request.params.id, deps.now()),
      );
      return reply.status(204).send(null);
    },
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: "Change a user's role (admin); applies to their open sessions at once",
        params: idParam,
        body: z.object({ role: z.enum(roles) }),
        response: { 200: orgUserSchema, ...conflict, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, adminRoles, async (trx, auth) =>
        toUser(await changeUserRole(trx, auth.orgId, request.params.id, request.body.role)),
      ),
  );

  app.post(
    '/users/:id/deactivate',
    {
      schema: {
        tags: ['users'],
        summary: 'Deactivate a user and end all their sessions (admin)',
        params: idParam,
        response: {
          200: z.object({ user: orgUserSchema, sessionsRevoked: z.number().int() }),
          ...conflict,
          ...problemResponses,
        },
      },
    },
    async (request) =>
      inOrg(deps, request, adminRoles, async (trx, auth) => {
        const r = await deactivateUser(trx, auth.orgId, request.params.id, deps.now());
        return { user: toUser(r.user), sessionsRevoked: r.sessionsRevoked };
      }),
  );

  app.post(
    '/users/:id/reactivate',
    {
      schema: {
        tags: ['users'],
        summary: 'Let a deactivated user sign in again (admin)',
        params: idParam,
        response: { 200: orgUserSchema, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, adminRoles, async (trx, auth) =>
        toUser(await reactivateUser(trx, auth.orgId, request.params.id)),
      ),
  );
};
