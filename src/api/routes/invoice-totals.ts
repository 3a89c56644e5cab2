import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { invoiceTotals } from '../../db/queries/invoice-totals.js';
import { type ApiDeps, inOrg, orgToday } from '../context.js';
import { readRoles } from '../plugins/auth.js';
import { isoDate, moneySchema, problemResponses, toMoney } from '../schemas/common.js';
import { listQuerySchema } from './invoices.js';

export const invoiceTotalsRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/invoices/totals',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Totals of the invoices the list filters keep, over every page, per currency',
        querystring: listQuerySchema.omit({ sort: true, limit: true, cursor: true }),
        response: {
          200: z.object({
            asOf: isoDate,
            currencies: z.array(
              z.object({
                currency: z.string(),
                invoices: z.number().int(),
                gross: moneySchema.describe('Amounts including tax'),
                balanceDue: moneySchema,
                overdue: moneySchema,
              }),
            ),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { asOf, collector, ...filters } = request.query;
      return inOrg(deps, request, readRoles, async (trx, auth) => {
        const day = asOf ?? (await orgToday(trx, auth.orgId, deps.now()));
        const rows = await invoiceTotals(trx, auth.orgId, {
          ...filters,
          collector: collector === 'unassigned' ? null : collector,
          asOf: day,
        });
        return {
          asOf: day,
          currencies: rows.map((r) => ({
            currency: r.currency,
            invoices: r.invoices,
            gross: toMoney(r.gross, r.currency),
            balanceDue: toMoney(r.balance, r.currency),
            overdue: toMoney(r.overdue, r.currency),
          })),
        };
      });
    },
  );
};
