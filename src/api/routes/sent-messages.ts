import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withOrg } from '../../db/connection.js';
import { getSentMessage } from '../../services/dunning/get-sent-message.js';
import type { ApiDeps } from '../context.js';
import { readRoles, requireRole } from '../plugins/auth.js';
import { problemResponses } from '../schemas/common.js';

const sentMessageSchema = z.object({
  actionId: z.string(),
  channel: z.string(),
  locale: z.string(),
  subject: z.string(),
  html: z.string(),
  text: z.string(),
  sms: z.string(),
  letter: z.string(),
  contentSha256: z.string(),
  sentAt: z.string(),
  matchesEvidence: z.boolean(),
});

export const sentMessageRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/customers/:id/messages/:actionId',
    {
      schema: {
        tags: ['dunning'],
        summary: 'A reminder exactly as it was sent, checked against the hash on the evidence file',
        params: z.object({ id: z.uuid(), actionId: z.uuid() }),
        response: { 200: sentMessageSchema, ...problemResponses },
      },
    },
    async (request) => {
      const auth = requireRole(request, readRoles);
      const m = await withOrg(deps.handle.db, auth.orgId, (trx) =>
        getSentMessage(trx, auth.orgId, request.params.id, request.params.actionId),
      );
      return { ...m, sentAt: new Date(m.sentAt).toISOString() };
    },
  );
};
