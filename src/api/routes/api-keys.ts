import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiKeySummary, listApiKeys } from '../../db/queries/api-keys.js';
import { createApiKey, roles } from '../../services/api-keys/create-api-key.js';
import { revokeApiKey } from '../../services/api-keys/revoke-api-key.js';
import { type ApiDeps, inOrg } from '../context.js';
import { adminRoles } from '../plugins/auth.js';
import { idParam, iso, isoOrNull, problemResponses } from '../schemas/common.js';

const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    role: z.enum(roles),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });

function toApiKey(k: ApiKeySummary): z.infer<typeof apiKeySchema> {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    role: k.role,
    createdAt: iso(k.created_at),
    lastUsedAt: isoOrNull(k.last_used_at),
    revokedAt: isoOrNull(k.revoked_at),
  };
}

export const apiKeyRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/api-keys',
    {
      schema: {
        tags: ['access'],
        summary: "The organisation's API keys (admin)",
        response: { 200: z.object({ items: z.array(apiKeySchema) }), ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, adminRoles, async (trx, auth) => ({
        items: (await listApiKeys(trx, auth.orgId)).map(toApiKey),
      })),
  );

  app.post(
    '/api-keys',
    {
      schema: {
        tags: ['access'],
        summary: 'Create an API key (admin); the token is shown in this answer only',
        body: z.object({ name: z.string().trim().min(1).max(100), role: z.enum(roles).default('viewer') }),
        response: { 201: apiKeySchema.extend({ token: z.string() }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const created = await inOrg(deps, request, adminRoles, (trx, auth) =>
        createApiKey(trx, auth.orgId, request.body),
      );
      return reply.status(201).send({ ...toApiKey(created.key), token: created.token });
    },
  );

  app.delete(
    '/api-keys/:id',
    {
      schema: {
        tags: ['access'],
        summary: 'Revoke an API key (admin)',
        params: idParam,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await inOrg(deps, request, adminRoles, (trx, auth) => revokeApiKey(trx, auth.orgId, request.params.id));
      return reply.status(204).send(null);
    },
  );
};
