import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  getMessageTemplate,
  listMessageTemplates,
  saveMessageTemplate,
} from '../../services/dunning/message-templates.js';
import { type ApiDeps, inOrg } from '../context.js';
import { adminRoles, readRoles } from '../plugins/auth.js';
import { problemResponse, problemResponses } from '../schemas/common.js';
import { templateOverrideSchema } from '../schemas/message-templates.js';
import { actorOf } from './dunning-policies.js';

const parts = <T extends z.ZodType>(t: T) => z.object({ subject: t, html: t, text: t, sms: t, letter: t });

const templateSchema = z
  .object({
    templateKey: z.string(),
    locale: z.enum(['fr', 'en']),
    defaults: parts(z.string()),
    override: parts(z.string().nullable()),
    version: z.number().int(),
    updatedBy: z.string().nullable(),
    updatedAt: z.string().nullable(),
    variables: z.record(z.string(), z.array(z.string())),
  })
  .meta({ id: 'MessageTemplate' });

const keyParams = z.object({ key: z.string().min(1).max(100), locale: z.enum(['fr', 'en']) });

/** Per-organisation editing of the message templates (issues 3 and 6); versioned like policies. */
export const messageTemplateRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/dunning/templates',
    {
      schema: {
        tags: ['dunning'],
        summary: 'Every template key × language, with its default text and the current edit',
        response: { 200: z.object({ templates: z.array(templateSchema) }), ...problemResponses },
      },
    },
    async (request) => ({
      templates: await inOrg(deps, request, readRoles, (trx, auth) => listMessageTemplates(trx, auth.orgId)),
    }),
  );

  app.get(
    '/dunning/templates/:key/:locale',
    {
      schema: {
        tags: ['dunning'],
        summary: 'One template: default text and current edit',
        params: keyParams,
        response: { 200: templateSchema, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, (trx, auth) =>
        getMessageTemplate(trx, auth.orgId, request.params.key, request.params.locale),
      ),
  );

  app.put(
    '/dunning/templates/:key/:locale',
    {
      schema: {
        tags: ['dunning'],
        summary: 'Edit a template: validated, then saved as a new version (older versions are kept)',
        description:
          'A part that fails to parse or names an unknown variable is refused (400) with the part and line in the details.',
        params: keyParams,
        body: templateOverrideSchema,
        response: { 200: templateSchema, ...problemResponses, 409: problemResponse('Edited meanwhile') },
      },
    },
    async (request) =>
      inOrg(deps, request, adminRoles, (trx, auth) =>
        saveMessageTemplate(
          trx,
          auth.orgId,
          request.params.key,
          request.params.locale,
          request.body,
          actorOf(auth),
        ),
      ),
  );

  app.delete(
    '/dunning/templates/:key/:locale',
    {
      schema: {
        tags: ['dunning'],
        summary: 'Back to the default text, saved as a new version',
        params: keyParams,
        response: { 200: templateSchema, ...problemResponses, 409: problemResponse('Edited meanwhile') },
      },
    },
    async (request) =>
      inOrg(deps, request, adminRoles, (trx, auth) =>
        saveMessageTemplate(trx, auth.orgId, request.params.key, request.params.locale, {}, actorOf(auth)),
      ),
  );
};
