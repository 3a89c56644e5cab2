import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { approvePaymentPlan } from '../../services/payment-plans/approve-payment-plan.js';
import { listPlanViews } from '../../services/payment-plans/list-payment-plans.js';
import type { PaymentPlanView } from '../../services/payment-plans/plan-view.js';
import { type ApiDeps, inOrg } from '../context.js';
import { documentWriteRoles, readRoles } from '../plugins/auth.js';
import { idParam, isoDate, listQuery, problemResponse, problemResponses } from '../schemas/common.js';

const statuses = ['proposed', 'pending_approval', 'active', 'completed', 'defaulted', 'cancelled'] as const;

export const paymentPlanSchema = z
  .object({
    id: z.uuid(),
    customerId: z.uuid(),
    status: z.enum(statuses),
    currency: z.string().length(3),
    totalMinor: z.number().int(),
    invoiceIds: z.array(z.uuid()),
    graceDays: z.number().int(),
    createdAt: z.string(),
    approvedAt: z.string().nullable(),
    acceptedAt: z.string().nullable(),
    acceptedName: z.string().nullable(),
    documentSha256: z.string().nullable().describe('SHA-256 of the agreement the debtor accepted'),
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
  .meta({ id: 'PaymentPlan' });

const toPlan = (p: PaymentPlanView): z.infer<typeof paymentPlanSchema> => p;

/** The collector's side of payment plans: review what debtors asked for, approve. */
export const paymentPlanRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/payment-plans',
    {
      schema: {
        tags: ['payment plans'],
        summary: 'Payment plans, newest first (filter by status and customer)',
        querystring: z.object({
          status: listQuery(statuses).optional(),
          customerId: z.uuid().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ plans: z.array(paymentPlanSchema) }), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const plans = await inOrg(deps, request, readRoles, (trx, auth) =>
        listPlanViews(trx, auth.orgId, {
          ...(q.status ? { statuses: q.status } : {}),
          ...(q.customerId ? { customerId: q.customerId } : {}),
          limit: q.limit,
        }),
      );
      return { plans: plans.map(toPlan) };
    },
  );

  app.post(
    '/payment-plans/:id/approve',
    {
      schema: {
        tags: ['payment plans'],
        summary: 'Approve a plan pending approval: it is offered to the debtor, who accepts it on the portal',
        params: idParam,
        response: {
          200: z.object({ plan: paymentPlanSchema }),
          409: problemResponse('The plan is not pending approval'),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const now = deps.now();
      const plan = await inOrg(deps, request, documentWriteRoles, (trx, auth) =>
        approvePaymentPlan(trx, auth.orgId, request.params.id, auth.userId ?? auth.keyId ?? auth.via, now),
      );
      return { plan: toPlan(plan) };
    },
  );
};
