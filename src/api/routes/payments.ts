import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { getPayment, listPaymentAllocations, listPayments, type Payment } from '../../db/queries/payments.js';
import type { Database } from '../../db/schema/index.js';
import { notFound } from '../../errors.js';
import { recordPayment } from '../../services/payments/record-payment.js';
import { MAX_REVERSAL_REASON, reversePayment } from '../../services/payments/reverse-payment.js';
import { type ApiDeps, inOrg } from '../context.js';
import { ledgerWriteRoles, readRoles, requireRole } from '../plugins/auth.js';
import {
  amountMinorInput,
  booleanQuery,
  idParam,
  iso,
  isoDate,
  moneySchema,
  pageOf,
  pageQuery,
  problemResponse,
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

const recordBody = z
  .object({
    customerId: z.uuid().optional(),
    customerRef: z.string().trim().min(1).max(200).optional().describe("The customer's external reference"),
    paymentReference: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe('Idempotency key: a reference is recorded once'),
    receivedOn: isoDate,
    amount: amountMinorInput.describe('Minor units'),
    currency: z.string().length(3).optional().describe("Default: the organisation's currency"),
    method: z.enum(methods).default('transfer'),
    bankReference: z.string().max(500).optional(),
    allocations: z
      .array(
        z.object({
          invoiceId: z.uuid().optional(),
          invoiceNumber: z.string().min(1).optional(),
          amount: amountMinorInput,
        }),
      )
      .optional()
      .describe("The debtor's own imputation; without it the oldest due invoices are settled first"),
    allocation: z.enum(['auto', 'none']).default('auto'),
  })
  .meta({ id: 'RecordPayment' });

async function paymentDetailOf(trx: Kysely<Database>, orgId: string, id: string) {
  const p = await getPayment(trx, orgId, id);
  if (!p) throw notFound('Payment', id);
  const allocations = await listPaymentAllocations(trx, orgId, p.id);
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
}

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
      inOrg(deps, request, readRoles, (trx, auth) => paymentDetailOf(trx, auth.orgId, request.params.id)),
  );

  app.post(
    '/payments',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Record a payment received and allocate it',
        body: recordBody,
        response: {
          201: paymentDetail,
          409: problemResponse('A payment with this reference is already recorded'),
          422: problemResponse('The allocations do not fit the payment or the invoices'),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const auth = requireRole(request, ledgerWriteRoles);
      // recordPayment opens its own withOrg transaction.
      const recorded = await recordPayment(deps.handle.db, auth.orgId, {
        ...request.body,
        actor: auth.keyId ? `api-key:${auth.keyId}` : 'api',
      });
      const detail = await inOrg(deps, request, readRoles, (trx) =>
        paymentDetailOf(trx, auth.orgId, recorded.paymentId),
      );
      return reply.status(201).send(detail);
    },
  );

  app.post(
    '/payments/:id/reverse',
    {
      schema: {
        tags: ['ledger'],
        summary:
          'Reverse a payment recorded by mistake: its allocations are undone and the reversal is kept in the evidence file',
        params: idParam,
        body: z.object({ reason: z.string().trim().min(1).max(MAX_REVERSAL_REASON) }).strict(),
        response: {
          200: z.object({
            paymentId: z.uuid(),
            customerId: z.uuid(),
            paymentReference: z.string(),
            amount: moneySchema,
            allocations: z.array(
              z.object({ invoiceId: z.uuid(), invoiceNumber: z.string(), amount: moneySchema }),
            ),
            evidenceSeq: z.number().int(),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const auth = requireRole(request, ledgerWriteRoles);
      const r = await reversePayment(
        deps.handle.db,
        auth.orgId,
        request.params.id,
        request.body,
        { userId: auth.userId, keyId: auth.keyId },
        deps.now(),
      );
      return {
        paymentId: r.paymentId,
        customerId: r.customerId,
        paymentReference: r.paymentReference,
        amount: toMoney(r.amount, r.currency),
        allocations: r.allocations.map((a) => ({ ...a, amount: toMoney(a.amount, r.currency) })),
        evidenceSeq: r.evidenceSeq,
      };
    },
  );
};
