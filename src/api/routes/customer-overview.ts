import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CustomerOverviewRow, listCustomerOverview } from '../../db/queries/customer-overview.js';
import { createPortalLink } from '../../services/portal/create-portal-link.js';
import { type ApiDeps, inOrg, orgToday } from '../context.js';
import { readRoles } from '../plugins/auth.js';
import {
  booleanQuery,
  idParam,
  isoDate,
  isoOrNull,
  moneySchema,
  pageOf,
  pageQuery,
  problemResponses,
  sortQuery,
  toMoney,
} from '../schemas/common.js';
import { collectionWriteRoles } from './tasks.js';
import { resolveAssignee } from './worklist.js';

const overviewItem = z
  .object({
    id: z.uuid(),
    externalRef: z.string(),
    name: z.string(),
    balanceDue: moneySchema.describe('Open balance in the customer currency'),
    overdue: moneySchema,
    daysOverdue: z.number().int().describe('Days past due of the oldest overdue invoice; 0 when none'),
    oldestOverdueDate: isoDate.nullable(),
    collector: z.object({ id: z.string(), name: z.string() }).nullable(),
    lastAction: z
      .object({ at: z.string(), kind: z.string(), channel: z.string().nullable() })
      .nullable()
      .describe("The newest entry of the customer's evidence file"),
    nextAction: z
      .object({
        date: isoDate,
        kind: z
          .string()
          .describe('A channel (email, sms, letter…), task_<kind>, or dunning (next step date)'),
      })
      .nullable(),
    markers: z.object({
      openDisputes: z.number().int(),
      activePromise: z.boolean(),
      activePlan: z.boolean(),
      creditHold: z.boolean(),
    }),
  })
  .meta({ id: 'CustomerOverviewItem' });

function toItem(r: CustomerOverviewRow): z.infer<typeof overviewItem> {
  return {
    id: r.id,
    externalRef: r.external_ref,
    name: r.name,
    balanceDue: toMoney(r.balance_due, r.currency),
    overdue: toMoney(r.overdue_due, r.currency),
    daysOverdue: r.days_overdue,
    oldestOverdueDate: r.oldest_overdue_date,
    collector: r.collector_id ? { id: r.collector_id, name: r.collector_name ?? '' } : null,
    lastAction:
      r.last_action_at && r.last_action_kind
        ? { at: isoOrNull(r.last_action_at) ?? '', kind: r.last_action_kind, channel: r.last_action_channel }
        : null,
    nextAction:
      r.next_action_date && r.next_action_kind
        ? { date: r.next_action_date, kind: r.next_action_kind }
        : null,
    markers: {
      openDisputes: r.open_disputes,
      activePromise: r.active_promise,
      activePlan: r.active_plan,
      creditHold: r.credit_hold,
    },
  };
}

export const customerOverviewRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/customers/overview',
    {
      schema: {
        tags: ['ledger'],
        summary: 'The customers page: balance, overdue, collector, last and next action, markers',
        querystring: z.object({
          q: z.string().trim().min(1).max(200).optional().describe('Name, reference or contact email'),
          collector: z.string().min(1).max(100).optional().describe('A user id, "me" or "unassigned"'),
          hasOverdue: booleanQuery.optional(),
          marker: z.enum(['dispute', 'promise', 'plan', 'hold']).optional(),
          asOf: isoDate.optional().describe("Default today in the organisation's time zone"),
          sort: sortQuery(['name', 'balanceDue', 'overdue', 'daysOverdue', 'nextActionDate'], '-overdue'),
          ...pageQuery,
        }),
        response: { 200: pageOf(overviewItem).extend({ asOf: isoDate }), ...problemResponses },
      },
    },
    async (request) => {
      const { sort, limit, cursor, asOf, collector, ...filters } = request.query;
      return inOrg(deps, request, readRoles, async (trx, auth) => {
        const day = asOf ?? (await orgToday(trx, auth.orgId, deps.now()));
        const page = await listCustomerOverview(
          trx,
          auth.orgId,
          { ...filters, collector: resolveAssignee(collector, auth.userId), asOf: day },
          { sort: sort.field, direction: sort.direction, limit, cursor },
        );
        return { items: page.items.map(toItem), nextCursor: page.nextCursor, asOf: day };
      });
    },
  );

  app.post(
    '/customers/:id/portal-link',
    {
      schema: {
        tags: ['portal'],
        summary: "Issue a fresh link to the customer's portal (earlier links stay valid)",
        params: idParam,
        body: z
          .object({ days: z.number().int().min(1).max(365).optional().describe('Validity, default 30') })
          .optional(),
        response: {
          201: z.object({ url: z.string(), expiresAt: z.string() }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const link = await inOrg(deps, request, collectionWriteRoles, (trx, auth) =>
        createPortalLink(
          trx,
          auth.orgId,
          { customerId: request.params.id },
          {
            baseUrl: deps.config.PUBLIC_URL ?? `${request.protocol}://${request.host}`,
            ...(request.body?.days ? { days: request.body.days } : {}),
            createdBy: auth.userId ? `user:${auth.userId}` : 'api',
            appSecret: deps.config.RELANCE_SECRET,
            now: deps.now(),
          },
        ),
      );
      reply.code(201);
      return { url: link.url, expiresAt: link.expiresAt.toISOString() };
    },
  );
};
