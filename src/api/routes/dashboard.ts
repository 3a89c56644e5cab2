import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getDashboard } from '../../services/kpi/get-dashboard.js';
import { type ApiDeps, inOrg, orgToday } from '../context.js';
import { readRoles } from '../plugins/auth.js';
import { isoDate, moneySchema, problemResponses, toMoney } from '../schemas/common.js';

const currencyDashboard = z
  .object({
    currency: z.string(),
    receivables: moneySchema.describe('Total balance due on open invoices'),
    overdue: moneySchema.describe('Balance due past its due date'),
    overdueSharePercent: z.number().describe('Overdue / receivables, percent with one decimal'),
    openInvoices: z.number().int(),
    overdueInvoices: z.number().int(),
    dso: z
      .object({
        days: z.number(),
        complete: z
          .boolean()
          .describe('false: 12 months of sales did not absorb the receivables; days is a floor'),
      })
      .describe('Days sales outstanding, count-back method over monthly invoiced sales'),
    aging: z.object({
      notDue: moneySchema,
      d1_30: moneySchema,
      d31_60: moneySchema,
      d61_90: moneySchema,
      d90plus: moneySchema,
    }),
    collectedThisMonth: moneySchema,
    collectedLastMonth: moneySchema,
    topOverdueCustomers: z.array(
      z.object({
        customerId: z.uuid(),
        name: z.string(),
        overdue: moneySchema,
        invoices: z.number().int(),
        maxDaysLate: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'CurrencyDashboard' });

export const dashboardRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/dashboard',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Receivables, overdue, DSO, aging, cash collected and top overdue customers, per currency',
        querystring: z.object({
          currency: z
            .string()
            .regex(/^[A-Za-z]{3}$/)
            .transform((s) => s.toUpperCase())
            .optional(),
          asOf: isoDate.optional().describe("Default today in the organisation's time zone"),
        }),
        response: {
          200: z.object({ asOf: isoDate, currencies: z.array(currencyDashboard) }),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const today = request.query.asOf ?? (await orgToday(trx, auth.orgId, deps.now()));
        const d = await getDashboard(trx, auth.orgId, today, request.query.currency);
        return {
          asOf: d.asOf,
          currencies: d.currencies.map((c) => {
            const m = (a: number) => toMoney(a, c.currency);
            return {
              ...c,
              receivables: m(c.receivables),
              overdue: m(c.overdue),
              aging: {
                notDue: m(c.aging.notDue),
                d1_30: m(c.aging.d1_30),
                d31_60: m(c.aging.d31_60),
                d61_90: m(c.aging.d61_90),
                d90plus: m(c.aging.d90plus),
              },
              collectedThisMonth: m(c.collectedThisMonth),
              collectedLastMonth: m(c.collectedLastMonth),
              topOverdueCustomers: c.topOverdueCustomers.map((t) => ({ ...t, overdue: m(t.overdue) })),
            };
          }),
        };
      }),
  );
};
