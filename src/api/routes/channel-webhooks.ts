import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PIXEL_GIF } from '../../channels/email/tracking.js';
import type { WebhookRequest } from '../../channels/sms/provider.js';
import { AppError } from '../../errors.js';
import { handleEmailWebhook, handleSmsWebhook } from '../../services/channels/handle-webhooks.js';
import { clickTarget, recordTracking } from '../../services/channels/record-tracking.js';
import type { ApiDeps } from '../context.js';
import { problemResponses } from '../schemas/common.js';

export const HOOKS_PREFIX = '/hooks';

/**
 * The URL the provider signed: PUBLIC_URL when set (behind a proxy the Host header is not
 * the public one), else what this server was called on.
 */
function publicUrl(deps: ApiDeps, request: FastifyRequest): string {
  const base = deps.config.PUBLIC_URL?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`;
  return `${base}${request.url}`;
}

function webhookRequest(deps: ApiDeps, request: FastifyRequest): WebhookRequest {
  return {
    url: publicUrl(deps, request),
    headers: request.headers,
    rawBody: typeof request.body === 'string' ? request.body : '',
  };
}

const receivedSchema = z.object({
  received: z.number().int(),
  inserted: z.number().int(),
});

/**
 * Provider webhooks: no session or API key — each request is authenticated by the
 * provider's signature, checked against the organisation's own credentials, over the raw
 * body (hence this scope's own parser: re-serialised JSON would not match the signature).
 */
export const channelWebhookRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.post(
    '/sms/:orgId/:provider',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'SMS delivery receipts and inbound SMS (Twilio, Brevo), signed by the provider',
        security: [],
        params: z.object({ orgId: z.uuid(), provider: z.enum(['twilio', 'brevo']) }),
      },
    },
    async (request, reply) => {
      const { orgId, provider } = request.params;
      const outcome = await handleSmsWebhook(deps.handle.db, orgId, provider, webhookRequest(deps, request));
      request.log.info({ orgId, provider, kind: outcome.kind }, 'sms webhook');
      // Twilio reads the answer to an inbound message as TwiML: an empty Response sends nothing back.
      if (outcome.kind === 'inbound' && provider === 'twilio') {
        return reply.type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
      }
      return reply.status(204).send();
    },
  );

  // Open/click tracking (organisations that opted in): GET, so no body parser is involved.
  app.get(
    '/t/o.gif',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Email open pixel (opt-in tracking); always a 1×1 GIF',
        security: [],
        querystring: z.object({ t: z.string().max(600).default('') }),
      },
    },
    async (request, reply) => {
      try {
        await recordTracking(deps.handle.db, deps.config.RELANCE_SECRET, request.query.t, 'open', deps.now());
      } catch (err) {
        // A mail client showing a broken image helps nobody: log it and serve the pixel.
        request.log.warn({ err }, 'open not recorded');
      }
      return reply
        .type('image/gif')
        .header('cache-control', 'no-store, private')
        .header('referrer-policy', 'no-referrer')
        .send(PIXEL_GIF);
    },
  );

  app.get(
    '/t/c',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Email link redirect (opt-in tracking); only to links signed for that message',
        security: [],
        querystring: z.object({ t: z.string().max(600), u: z.string().max(4000), s: z.string().max(100) }),
      },
    },
    async (request, reply) => {
      const token = request.query.t;
      const target = clickTarget(deps.config.RELANCE_SECRET, token, request.query.u, request.query.s);
      if (!target) throw new AppError('VALIDATION', 'unknown or unsigned link');
      await recordTracking(deps.handle.db, deps.config.RELANCE_SECRET, token, 'click', deps.now());
      return reply.header('cache-control', 'no-store').redirect(target, 302);
    },
  );

  app.post(
    '/email/:orgId',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Email bounces, complaints and deliveries from a relay, signed with X-Relance-Signature',
        description:
          'Body: one event, an array, or {events:[...]}; each {id?, messageId, type: delivered|bounce|complaint|open|click, bounceType?, status?, occurredAt?}. X-Relance-Signature: sha256=<hex HMAC-SHA256 of the raw body>.',
        security: [],
        params: z.object({ orgId: z.uuid() }),
        response: { 200: receivedSchema, ...problemResponses },
      },
    },
    async (request) => {
      const r = await handleEmailWebhook(
        deps.handle.db,
        request.params.orgId,
        webhookRequest(deps, request),
        deps.config.RELANCE_SECRET,
      );
      request.log.info({ orgId: request.params.orgId, ...r }, 'email webhook');
      return { received: r.received, inserted: r.inserted };
    },
  );
};
