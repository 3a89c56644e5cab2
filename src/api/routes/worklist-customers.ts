import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listWorklistByCustomer } from '../../db/queries/worklist-customers.js';
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
import { resolveAssignee, toEntry, WORKLIST_KINDS, worklistEntry } from './worklist.js';

const customerGroup = z
  .object({
    customer: z.object({ id: z.uuid(), name: z.string() }),
    items: z.number().int().describe('Overdue invoices folded in'),
    tasks: z.number().int().describe('Due tasks folded in'),
    atStake: z.array(moneySchema).describe('Balance of the distinct invoices of the rows, per currency'),
    maxDaysLate: z.number().int(),
    pendingSends: z.number().int().describe('Reminders of this customer waiting for approval'),
    entries: z.array(worklistEntry).describe('The rows, best first'),
  })
  .meta({ id: 'WorklistCustomer' });

export const worklistCustomerRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/worklist/customers',
    {
      schema: {
        tags: ['worklist'],
        summary: 'The worklist with one entry per customer, its tasks and items folded in',
        querystring: z.object({
          assignee: z.string().min(1).max(100).describe('A user id, "me" or "unassigned"').optional(),
          kind: listQuery(WORKLIST_KINDS).optional().describe('item, or task kinds'),
          asOf: isoDate.optional().describe("Default today in the organisation's time zone"),
          ...pageQuery,
        }),
        response: { 200: pageOf(customerGroup).extend({ asOf: isoDate }), ...problemResponses },
      },
    },
    async (request) => {
      const { assignee, kind, asOf, limit, cursor } = request.query;
      return inOrg(deps, request, readRoles, async (trx, auth) => {
        const day = asOf ?? (await orgToday(trx, auth.orgId, deps.now()));
        const page = await listWorklistByCustomer(
          trx,
          auth.orgId,
          { assignee: resolveAssignee(assignee, auth.userId), kinds: kind, asOf: day },
          { limit, cursor },
        );
        return {
          items: page.items.map((g) => ({
            customer: { id: g.id, name: g.customer_name },
            items: g.items,
            tasks: g.tasks,
            atStake: g.totals.map((t) => toMoney(t.amount, t.currency)),
            maxDaysLate: g.max_days_late,
            pendingSends: g.pending_sends,
            entries: g.rows.map(toEntry),
          })),
          nextCursor: page.nextCursor,
          asOf: day,
        };
      });
    },
  );
};
