import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { paymentProvidersOf } from '../../channels/payments/registry.js';
import { AppError } from '../../errors.js';
import { handleProviderEvent } from '../../services/payments/handle-provider-event.js';
import type { ApiDeps } from '../context.js';
import { problemResponse } from '../schemas/common.js';

export const WEBHOOK_PREFIX = '/webhooks';

/**
 * Payment providers call POST /webhooks/payments/:provider. The signature is checked on the
 * raw bytes before anything is parsed or written: a bad signature is refused (400) with
 * nothing recorded. A verified event is acknowledged with 200 even when it is not one we
 * use, so the provider stops retrying it.
 */
export const paymentWebhookRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  const providers = paymentProvidersOf(deps.config);
  // This plugin only: keep the body as bytes, since the signature covers them exactly.
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: 256 * 1024 },
    (_req, body, done) => done(null, body),
  );

  app.post(
    '/payments/:provider',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Payment provider events (Stripe: checkout.session.* with a Stripe-Signature header)',
        security: [],
        params: z.object({ provider: z.string().min(1).max(40) }),
        response: {
          200: z.object({
            received: z.literal(true),
            outcome: z.enum(['recorded', 'duplicate', 'updated', 'ignored']),
            paymentId: z.uuid().optional(),
          }),
          400: problemResponse('Bad signature or not an event'),
          404: problemResponse('No such provider configured'),
        },
      },
    },
    async (request) => {
      const provider = providers.get(request.params.provider);
      if (!provider)
        throw new AppError('NOT_FOUND', `No payment provider "${request.params.provider}" is configured`);
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const now = deps.now();
      if (!provider.verifyWebhook(raw, request.headers, now))
        throw new AppError('VALIDATION', 'Webhook signature is missing, invalid or too old', [
          { field: 'signature', reason: 'does not verify with the configured secret' },
        ]);
      const event = provider.parseEvent(raw);
      if (!event)
        throw new AppError('VALIDATION', 'Not an event of this provider', [
          { field: 'body', reason: 'unreadable event' },
        ]);
      const r = await handleProviderEvent(deps.handle.db, provider, event, now);
      request.log.info(
        { provider: provider.name, eventId: event.id, type: event.type, outcome: r.status },
        'payment webhook',
      );
      return {
        received: true as const,
        outcome: r.status,
        ...(r.status === 'recorded' ? { paymentId: r.paymentId } : {}),
      };
    },
  );
};
