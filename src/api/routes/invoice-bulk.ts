import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DISPUTE_REASON_CODES } from '../../domain/portal/index.js';
import { bulkInvoices, MAX_BULK_INVOICES } from '../../services/invoices/bulk-invoices.js';
import { type ApiDeps, inOrg } from '../context.js';
import { isoDate, problemResponse, problemResponses } from '../schemas/common.js';
import { collectionWriteRoles } from './tasks.js';

const ids = z.array(z.uuid()).min(1).max(MAX_BULK_INVOICES);

const bulkBody = z
  .discriminatedUnion('action', [
    z.object({
      action: z.literal('pause'),
      invoiceIds: ids,
      until: isoDate.describe('Last paused day, inclusive'),
      reason: z.string().trim().min(1).max(500),
    }),
    z.object({
      action: z.literal('assign'),
      invoiceIds: ids,
      collector: z.uuid().nullable().describe('A user id, or null to fall back to the customer’s collector'),
    }),
    z.object({
      action: z.literal('dispute'),
      invoiceIds: ids,
      disputeReason: z.enum(DISPUTE_REASON_CODES),
      comment: z.string().max(2000).nullish(),
    }),
  ])
  .meta({ id: 'InvoiceBulkAction' });

export const invoiceBulkRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.post(
    '/invoices/bulk',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Pause, assign or dispute many invoices at once: all or nothing',
        body: bulkBody,
        response: {
          200: z.object({
            action: z.enum(['pause', 'assign', 'dispute']),
            changed: z.number().int(),
            unchanged: z.number().int(),
            customers: z.number().int(),
          }),
          ...problemResponses,
          409: problemResponse('An invoice cannot take the action (named in errors); nothing was changed'),
          422: problemResponse('The collector is not a user of the organisation'),
        },
      },
    },
    async (request) => {
      const { invoiceIds, ...action } = request.body;
      return inOrg(deps, request, collectionWriteRoles, (trx, auth) =>
        bulkInvoices(trx, auth.orgId, invoiceIds, action, auth, deps.now()),
      );
    },
  );
};
