import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listCollectors } from '../../db/queries/collectors.js';
import { listWorklist, type WorklistRow } from '../../db/queries/worklist.js';
import { priorityScore } from '../../domain/prioritisation/index.js';
import { type ApiDeps, inOrg, orgToday } from '../context.js';
import { readRoles } from '../plugins/auth.js';
import {
  isoDate,
  listQuery,
  moneySchema,
  pageOf,
  pageQuery,
  problemResponses,
  toMoney,
} from '../schemas/common.js';

export const TASK_KINDS = [
  'call',
  'escalation_decision',
  'dispute',
  'broken_promise',
  'bounce',
  'reply',
  'review_send',
  'follow_up',
] as const;
export const WORKLIST_KINDS = ['item', ...TASK_KINDS] as const;

const factorSchema = z.object({
  factor: z.enum(['amount', 'lateness', 'recovery', 'strategic', 'revenueShare']),
  points: z.number(),
  max: z.number(),
  value: z
    .number()
    .describe('The input: cents overdue, days late, probability 0..1, 1 = strategic, share 0..1'),
});

export const worklistEntry = z
  .object({
    type: z.enum(['task', 'item']),
    id: z.uuid().describe('The task id, or the invoice id for an item'),
    kind: z.enum(WORKLIST_KINDS),
    customer: z.object({ id: z.uuid(), name: z.string() }),
    invoice: z.object({ id: z.uuid(), invoiceNumber: z.string() }).nullable(),
    title: z.string().nullable(),
    dueDate: isoDate,
    daysLate: z.number().int(),
    balanceDue: moneySchema.nullable(),
    assignee: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
    priority: z
      .object({
        score: z.number().describe('0 to 100'),
        recoveryProbability: z.number(),
        factors: z.array(factorSchema).describe('Each factor’s contribution, largest first'),
      })
      .nullable()
      .describe('Items only: the score and why'),
  })
  .meta({ id: 'WorklistEntry' });

/** "me" is the signed-in user; "unassigned" is work nobody has. */
const assigneeQuery = z.string().min(1).max(100).describe('A user id, "me" or "unassigned"').optional();

export function resolveAssignee(
  value: string | undefined,
  userId: string | undefined,
): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'unassigned') return null;
  if (value === 'me') return userId ?? '';
  return value;
}

export function toEntry(r: WorklistRow): z.infer<typeof worklistEntry> {
  const item = r.row_type === 'item';
  return {
    type: r.row_type,
    id: r.id,
    kind: r.kind,
    customer: { id: r.customer_id, name: r.customer_name },
    invoice: r.invoice_id && r.invoice_number ? { id: r.invoice_id, invoiceNumber: r.invoice_number } : null,
    title: r.title,
    dueDate: r.due_date,
    daysLate: r.days_late,
    balanceDue: r.balance_minor !== null && r.currency ? toMoney(Number(r.balance_minor), r.currency) : null,
    assignee: r.assignee ? { id: r.assignee, name: r.assignee_name } : null,
    detail: r.detail,
    priority: item
      ? priorityScore({
          amountOverdueMinor: Number(r.balance_minor ?? 0),
          currency: r.currency ?? '',
          daysLate: r.days_late,
          paidInvoices: r.paid_invoices,
          paidOnTime: r.paid_on_time,
          brokenPromises: r.broken_promises,
          strategic: r.strategic,
          revenueShare: r.revenue_share,
          modelRecovery: r.model_recovery,
        })
      : null,
  };
}

export const worklistRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/worklist',
    {
      schema: {
        tags: ['worklist'],
        summary: 'What to work on today: due tasks first, then overdue items by priority score, explained',
        querystring: z.object({
          assignee: assigneeQuery,
          kind: listQuery(WORKLIST_KINDS).optional().describe('item, or task kinds'),
          customerId: z.uuid().optional(),
          asOf: isoDate.optional().describe("Default today in the organisation's time zone"),
          ...pageQuery,
        }),
        response: { 200: pageOf(worklistEntry).extend({ asOf: isoDate }), ...problemResponses },
      },
    },
    async (request) => {
      const { assignee, kind, customerId, asOf, limit, cursor } = request.query;
      return inOrg(deps, request, readRoles, async (trx, auth) => {
        const day = asOf ?? (await orgToday(trx, auth.orgId, deps.now()));
        const page = await listWorklist(
          trx,
          auth.orgId,
          { assignee: resolveAssignee(assignee, auth.userId), kinds: kind, customerId, asOf: day },
          { limit, cursor },
        );
        return { items: page.items.map(toEntry), nextCursor: page.nextCursor, asOf: day };
      });
    },
  );

  app.get(
    '/collectors',
    {
      schema: {
        tags: ['worklist'],
        summary: 'Users who can be given collection work',
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.uuid(), name: z.string(), email: z.string(), role: z.string() })),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => ({
        items: await listCollectors(trx, auth.orgId),
      })),
  );
};
