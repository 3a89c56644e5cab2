import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { searchEverything } from '../../db/queries/search.js';
import { type ApiDeps, inOrg } from '../context.js';
import { readRoles } from '../plugins/auth.js';
import { problemResponses } from '../schemas/common.js';

const hitSchema = z
  .object({
    kind: z.enum(['customer', 'invoice', 'contact']),
    id: z.uuid(),
    customerId: z.uuid().describe('Where the hit leads: the customer file'),
    label: z.string().describe('Customer name, invoice number or contact email'),
    context: z.string().describe("The customer's reference (customers) or name (invoices, contacts)"),
  })
  .meta({ id: 'SearchHit' });

export const searchRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/search',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Search customers (name, reference), invoices (number) and contacts (email) at once',
        querystring: z.object({
          q: z.string().trim().min(2, 'type at least 2 characters').max(200),
          limit: z.coerce.number().int().min(1).max(20).default(5).describe('Hits per kind'),
        }),
        response: { 200: z.object({ items: z.array(hitSchema) }), ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const hits = await searchEverything(trx, auth.orgId, request.query.q, request.query.limit);
        return {
          items: hits.map((h) => ({
            kind: h.kind,
            id: h.id,
            customerId: h.customer_id,
            label: h.label ?? '',
            context: h.context ?? '',
          })),
        };
      }),
  );
};
