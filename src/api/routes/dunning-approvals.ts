import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decideApprovals, listApprovals } from '../../services/dunning/approvals.js';
import { type ApiDeps, inOrg } from '../context.js';
import { readRoles } from '../plugins/auth.js';
import { booleanQuery, problemResponses } from '../schemas/common.js';
import { actorOf } from './dunning-policies.js';

/** Collectors decide what goes out to their debtors; viewers only look. */
const approverRoles = ['admin', 'accountant', 'collector'] as const;

const approvalsSchema = z
  .object({
    requireApproval: z.boolean(),
    customers: z.array(
      z.object({
        customerId: z.uuid(),
        customerName: z.string(),
        actions: z.array(
          z.object({
            idempotencyKey: z.string(),
            status: z.enum(['awaiting_approval', 'held']),
            stepKey: z.string(),
            stepLabel: z.string(),
            policyKey: z.string(),
            policyVersion: z.number().int(),
            templateKey: z.string().nullable(),
            plannedFor: z.string(),
            reason: z.string(),
            channels: z.array(z.object({ channel: z.string(), address: z.string().nullable() })),
            items: z.array(
              z.object({
                invoiceId: z.uuid(),
                invoiceNumber: z.string(),
                balanceMinor: z.number().int(),
                currency: z.string(),
                daysLate: z.number().int(),
              }),
            ),
            totals: z.array(z.object({ currency: z.string(), balanceMinor: z.number().int() })),
            decidedBy: z.string().nullable(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'DunningApprovals' });

const decisionBody = z.object({ customerIds: z.array(z.uuid()).min(1).max(500) });
const decisionResult = z.object({
  customers: z.number().int().describe('Customers whose sends changed'),
  actions: z.number().int().describe('Reminders (one per action, whatever its channels)'),
  rows: z.number().int().describe('Outbox rows (one per channel)'),
});

export const dunningApprovalRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/dunning/approvals',
    {
      schema: {
        tags: ['dunning'],
        summary: 'Sends waiting for approval (settings.dunning.requireApproval), per customer',
        querystring: z.object({ includeHeld: booleanQuery.optional() }),
        response: { 200: approvalsSchema, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, (trx, auth) =>
        listApprovals(trx, auth.orgId, { includeHeld: request.query.includeHeld ?? true }),
      ),
  );

  for (const decision of ['approve', 'hold'] as const) {
    app.post(
      `/dunning/approvals/${decision}`,
      {
        schema: {
          tags: ['dunning'],
          summary:
            decision === 'approve'
              ? 'Approve the waiting (or held) sends of these customers: the outbox delivers them once'
              : 'Hold the waiting sends of these customers: they are not delivered unless approved later',
          body: decisionBody,
          response: { 200: decisionResult, ...problemResponses },
        },
      },
      async (request) =>
        inOrg(deps, request, approverRoles, (trx, auth) =>
          decideApprovals(trx, auth.orgId, request.body.customerIds, decision, actorOf(auth), deps.now()),
        ),
    );
  }
};
