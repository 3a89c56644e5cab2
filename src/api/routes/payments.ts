import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getPayment, listPaymentAllocations, listPayments, type Payment } from '../../db/queries/payments.js';
import { notFound } from '../../errors.js';
import { type ApiDeps, inOrg } from '../context.js';
import { readRoles } from '../plugins/auth.js';
import {
  booleanQuery,
  idParam,
  iso,
  isoDate,
  moneySchema,
  pageOf,
  pageQuery,
  problemResponses,
  sortQuery,
  toMoney,
} from '../schemas/common.js';

const methods = ['transfer', 'direct_debit', 'card', 'cheque', 'cash', 'other'] as const;

export const paymentSchema = z
  .object({
    id: z.uuid(),
    customerId: z.uuid(),
    paymentReference: z.string(),
    receivedOn: isoDate,
    currency: z.string(),
    amount: moneySchema,
    unallocated: moneySchema.describe('Left after allocations: credit held for the customer'),
    method: z.enum(methods),
    bankReference: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Payment' });

const paymentDetail = paymentSchema
  .extend({
    allocations: z.array(
      z.object({
        id: z.uuid(),
        invoiceId: z.uuid(),
        invoiceNumber: z.string(),
        amount: moneySchema,
        allocatedAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'PaymentDetail' });

export function toPayment(p: Payment): z.infer<typeof paymentSchema> {
  return {
    id: p.id,
    customerId: p.customer_id,
    paymentReference: p.payment_reference,
    receivedOn: p.received_on,
    currency: p.currency.trim(),
    amount: toMoney(p.amount_minor, p.currency),
    unallocated: toMoney(p.unallocated_minor, p.currency),
    method: p.method,
    bankReference: p.bank_reference,
    createdAt: iso(p.created_at),
  };
}

const listQuerySchema = z.object({
  customerId: z.uuid().optional(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/)
    .transform((s) => s.toUpperCase())
    .optional(),
  method: z.enum(methods).optional(),
  receivedAfter: isoDate.optional().describe('Received on or after'),
  receivedBefore: isoDate.optional().describe('Received on or before'),
  unallocated: booleanQuery.optional().describe('true: only payments with an unallocated amount'),
  q: z.string().trim().min(1).max(100).optional().describe('Search in payment and bank references'),
  sort: sortQuery(['receivedOn', 'amount', 'createdAt'], '-receivedOn'),
  ...pageQuery,
});

export const paymentRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/payments',
    {
      schema: {
        tags: ['ledger'],
        summary: 'List payments received',
        querystring: listQuerySchema,
        response: { 200: pageOf(paymentSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { sort, limit, cursor, ...filters } = request.query;
      return inOrg(deps, request, readRoles, async (trx, auth) => {
        const page = await listPayments(trx, auth.orgId, filters, {
          sort: sort.field,
          direction: sort.direction,
          limit,
          cursor,
        });
        return { items: page.items.map(toPayment), nextCursor: page.nextCursor };
      });
    },
  );

  app.get(
    '/payments/:id',
    {
      schema: {
        tags: ['ledger'],
        summary: 'A payment with its allocations to invoices',
        params: idParam,
        response: { 200: paymentDetail, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const p = await getPayment(trx, auth.orgId, request.params.id);
        if (!p) throw notFound('Payment', request.params.id);
        const allocations = await listPaymentAllocations(trx, auth.orgId, p.id);
        return {
          ...toPayment(p),
          allocations: allocations.map((a) => ({
            id: a.id,
            invoiceId: a.invoice_id,
            invoiceNumber: a.invoice_number,
            amount: toMoney(a.amount_minor, p.currency),
            allocatedAt: iso(a.allocated_at),
          })),
        };
      }),
  );
};
