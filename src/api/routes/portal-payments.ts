import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { paymentProvidersOf } from '../../channels/payments/registry.js';
import { MAX_AMOUNT_MINOR } from '../../domain/money/index.js';
import { acceptPaymentPlan } from '../../services/payment-plans/accept-payment-plan.js';
import { listPlanViews } from '../../services/payment-plans/list-payment-plans.js';
import type { PaymentPlanView } from '../../services/payment-plans/plan-view.js';
import { createCheckout } from '../../services/payments/create-checkout.js';
import { withPortalAccess } from '../../services/portal/portal-access.js';
import {
  invoiceDocument,
  type PortalFile,
  paymentPlanDocument,
  statementDocument,
} from '../../services/portal/portal-documents.js';
import { requestPaymentPlan } from '../../services/portal/request-payment-plan.js';
import type { ApiDeps } from '../context.js';
import { isoDate, problemResponse } from '../schemas/common.js';

const tokenParam = z.object({ token: z.string().min(1).max(200) });

const portalProblems = {
  400: problemResponse('Invalid parameters (each error names its field)'),
  404: problemResponse('The link is not valid or has expired (one answer whatever the cause)'),
  429: problemResponse('Too many requests from this address for this link'),
};

export const portalPlanSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(['proposed', 'pending_approval', 'active', 'completed', 'defaulted', 'cancelled']),
    currency: z.string().length(3),
    totalMinor: z.number().int(),
    invoiceIds: z.array(z.uuid()),
    graceDays: z.number().int().describe('Days after a due date before an instalment counts as missed'),
    createdAt: z.string(),
    acceptedAt: z.string().nullable(),
    covers: z
      .object({
        basis: z.literal('principal'),
        principalMinor: z.number().int(),
        penaltiesNotIncludedMinor: z.number().int(),
        indemnitiesNotIncludedMinor: z.number().int(),
        asOf: isoDate,
        currency: z.string().length(3),
      })
      .nullable()
      .describe(
        'What the total covers: the principal; penalties and indemnities accrued to asOf are not in it',
      ),
    instalments: z.array(
      z.object({
        seq: z.number().int().describe('0 is the down payment'),
        dueDate: isoDate,
        amountMinor: z.number().int(),
        paidMinor: z.number().int(),
        status: z.enum(['due', 'paid', 'missed']),
      }),
    ),
  })
  .meta({ id: 'PortalPaymentPlan' });

export const toPortalPlan = (p: PaymentPlanView): z.infer<typeof portalPlanSchema> => ({
  id: p.id,
  status: p.status,
  currency: p.currency,
  totalMinor: p.totalMinor,
  invoiceIds: p.invoiceIds,
  graceDays: p.graceDays,
  createdAt: p.createdAt,
  acceptedAt: p.acceptedAt,
  covers: p.covers,
  instalments: p.instalments,
});

function sendFile(reply: FastifyReply, f: PortalFile, disposition: 'inline' | 'attachment' = 'attachment') {
  const ascii = f.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return reply
    .type(f.mimeType)
    .header('content-disposition', `${disposition}; filename="${ascii}"`)
    .header('etag', `"${f.sha256}"`)
    .header('x-content-type-options', 'nosniff')
    .send(f.content);
}

/**
 * The portal's payment routes (plans, downloads), registered inside portalRoutes so they
 * share its rate limit and its no-store / no-referrer headers.
 */
export const portalPaymentRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  const secret = { appSecret: deps.config.RELANCE_SECRET };
  const providers = paymentProvidersOf(deps.config);

  app.post(
    '/:token/checkout',
    {
      schema: {
        tags: ['portal'],
        summary: 'Pay invoices online: opens a checkout at the payment provider and answers where to go',
        description:
          'The amount is what the chosen invoices owe now. The payment is recorded when the provider confirms it (webhook), not on return from the page.',
        security: [],
        params: tokenParam,
        body: z
          .object({
            invoiceIds: z.array(z.uuid()).min(1).max(100),
            methods: z
              .array(z.enum(['card', 'sepa_debit']))
              .min(1)
              .optional()
              .describe('Default: card'),
          })
          .strict(),
        response: {
          200: z.object({ redirectUrl: z.string().url(), checkoutId: z.uuid() }),
          422: problemResponse('No provider configured, or the invoices cannot be paid online together'),
          ...portalProblems,
        },
      },
    },
    async (request) => {
      const now = deps.now();
      const base = (deps.config.PUBLIC_URL ?? `${request.protocol}://${request.host}`).replace(/\/$/, '');
      const back = `${base}/portal/${encodeURIComponent(request.params.token)}`;
      const r = await createCheckout(
        deps.handle.db,
        request.params.token,
        secret,
        providers.checkout,
        {
          invoiceIds: request.body.invoiceIds,
          ...(request.body.methods ? { methods: request.body.methods } : {}),
        },
        { successUrl: `${back}?checkout=success`, cancelUrl: `${back}?checkout=cancelled` },
        now,
      );
      return { redirectUrl: r.redirectUrl, checkoutId: r.checkoutId };
    },
  );

  app.post(
    '/:token/payment-plan',
    {
      schema: {
        tags: ['portal'],
        summary: 'Ask for a payment plan (échéancier) of the open, undisputed items',
        description:
          "Within the organisation's auto-accept rules the plan is 'proposed' (accept it with POST …/payment-plans/{planId}/accept); within its approval limits it is 'pending_approval' (a collector decides). Otherwise 422 with the rules broken and the nearest plan.",
        security: [],
        params: tokenParam,
        body: z
          .object({
            instalments: z.number().int().min(1).max(120),
            firstDate: isoDate,
            downPaymentMinor: z.number().int().min(0).max(MAX_AMOUNT_MINOR).optional(),
          })
          .strict(),
        response: {
          200: z.object({ plan: portalPlanSchema }),
          409: problemResponse('A payment plan is already active for this customer'),
          422: problemResponse(
            'The plan breaks a rule: the problem lists the rules and the nearest acceptable plan',
          ),
          ...portalProblems,
        },
      },
    },
    async (request) => {
      const now = deps.now();
      const r = await withPortalAccess(deps.handle.db, request.params.token, secret, now, (trx, access) =>
        requestPaymentPlan(
          trx,
          access,
          {
            instalments: request.body.instalments,
            firstDate: request.body.firstDate,
            ...(request.body.downPaymentMinor ? { downPaymentMinor: request.body.downPaymentMinor } : {}),
          },
          now,
        ),
      );
      return { plan: toPortalPlan(r.plan) };
    },
  );

  app.get(
    '/:token/payment-plans',
    {
      schema: {
        tags: ['portal'],
        summary: 'The payment plans of the customer, newest first, with their instalments',
        security: [],
        params: tokenParam,
        response: { 200: z.object({ plans: z.array(portalPlanSchema) }), ...portalProblems },
      },
    },
    async (request) => {
      const now = deps.now();
      const plans = await withPortalAccess(deps.handle.db, request.params.token, secret, now, (trx, access) =>
        listPlanViews(trx, access.orgId, { customerId: access.customerId, limit: 50 }),
      );
      return { plans: plans.map(toPortalPlan) };
    },
  );

  app.post(
    '/:token/payment-plans/:planId/accept',
    {
      schema: {
        tags: ['portal'],
        summary: 'Accept a proposed plan: it becomes active, dunning pauses while it is kept',
        description:
          'The acceptance (name, time, address) and the SHA-256 of the agreement PDF are recorded in the evidence file as an acknowledgment of debt.',
        security: [],
        params: tokenParam.extend({ planId: z.uuid() }),
        body: z
          .object({
            acceptTerms: z.literal(true).describe('The debtor ticked "I accept the terms"'),
            name: z.string().trim().min(2).max(200).describe('Full name of the person accepting'),
          })
          .strict(),
        response: {
          200: z.object({ plan: portalPlanSchema, documentSha256: z.string() }),
          409: problemResponse('The plan is not waiting for acceptance (pending approval, already active…)'),
          ...portalProblems,
        },
      },
    },
    async (request) => {
      const now = deps.now();
      const ua = request.headers['user-agent'];
      const plan = await withPortalAccess(deps.handle.db, request.params.token, secret, now, (trx, access) =>
        acceptPaymentPlan(
          trx,
          access,
          {
            planId: request.params.planId,
            name: request.body.name,
            client: { ip: request.ip, ...(ua ? { userAgent: ua } : {}) },
          },
          now,
        ),
      );
      return { plan: toPortalPlan(plan), documentSha256: plan.documentSha256 ?? '' };
    },
  );

  app.get(
    '/:token/payment-plans/:planId.pdf',
    {
      schema: {
        tags: ['portal'],
        summary: 'The accepted plan agreement (PDF), as stored at acceptance (the ETag is its SHA-256)',
        security: [],
        params: tokenParam.extend({ planId: z.uuid() }),
      },
    },
    async (request, reply) => {
      const now = deps.now();
      const f = await withPortalAccess(deps.handle.db, request.params.token, secret, now, (trx, access) =>
        paymentPlanDocument(trx, access, request.params.planId),
      );
      return sendFile(reply, f);
    },
  );

  app.get(
    '/:token/invoices/:invoiceId.pdf',
    {
      schema: {
        tags: ['portal'],
        summary: 'The invoice: the stored invoice PDF if any, else a summary generated from the ledger',
        security: [],
        params: tokenParam.extend({ invoiceId: z.uuid() }),
      },
    },
    async (request, reply) => {
      const now = deps.now();
      const f = await withPortalAccess(deps.handle.db, request.params.token, secret, now, (trx, access) =>
        invoiceDocument(trx, access, request.params.invoiceId, now),
      );
      reply.header('x-relance-document', f.stored ? 'stored' : 'generated');
      return sendFile(reply, f);
    },
  );

  app.get(
    '/:token/statement.pdf',
    {
      schema: {
        tags: ['portal'],
        summary: 'Statement of account (PDF): open items today and totals',
        security: [],
        params: tokenParam,
      },
    },
    async (request, reply) => {
      const now = deps.now();
      const f = await withPortalAccess(deps.handle.db, request.params.token, secret, now, (trx, access) =>
        statementDocument(trx, access, now),
      );
      return sendFile(reply, f);
    },
  );
};
