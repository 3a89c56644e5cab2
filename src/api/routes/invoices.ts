import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listCreditNotes } from '../../db/queries/credit-notes.js';
import { listInvoiceDocuments } from '../../db/queries/documents.js';
import {
  getInvoice,
  type InvoiceRow,
  listInvoiceAllocations,
  listInvoiceInstalments,
  listInvoices,
} from '../../db/queries/invoices.js';
import { notFound } from '../../errors.js';
import { type ApiDeps, inOrg, orgToday } from '../context.js';
import { readRoles } from '../plugins/auth.js';
import {
  booleanQuery,
  idParam,
  iso,
  isoDate,
  listQuery,
  moneySchema,
  pageOf,
  pageQuery,
  problemResponses,
  sortQuery,
  toMoney,
} from '../schemas/common.js';
import { creditNoteSchema, toCreditNote } from './credit-notes.js';
import { documentSchema, toDocument } from './documents.js';

const statuses = ['open', 'partially_paid', 'paid', 'credited', 'written_off', 'disputed'] as const;

export const invoiceSchema = z
  .object({
    id: z.uuid(),
    invoiceNumber: z.string(),
    externalId: z.string().nullable(),
    customer: z.object({ id: z.uuid(), name: z.string(), externalRef: z.string() }),
    issueDate: isoDate,
    dueDate: isoDate,
    performanceDate: isoDate.nullable(),
    currency: z.string(),
    net: moneySchema,
    tax: moneySchema,
    gross: moneySchema,
    paid: moneySchema,
    credited: moneySchema,
    writtenOff: moneySchema,
    balanceDue: moneySchema,
    daysOverdue: z.number().int().describe('Days past the due date on asOf while a balance is left, else 0'),
    status: z.enum(statuses),
    disputed: z.boolean(),
    paymentTerms: z.string().nullable(),
    poReference: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Invoice' });

const invoiceDetail = invoiceSchema
  .extend({
    description: z.string().nullable(),
    asOf: isoDate,
    allocations: z.array(
      z.object({
        id: z.uuid(),
        amount: moneySchema,
        allocatedAt: z.string(),
        payment: z.object({ id: z.uuid(), paymentReference: z.string(), receivedOn: isoDate }).nullable(),
        creditNote: z.object({ id: z.uuid(), creditNoteNumber: z.string() }).nullable(),
      }),
    ),
    instalments: z.array(z.object({ seq: z.number().int(), dueDate: isoDate, amount: moneySchema })),
    creditNotes: z.array(creditNoteSchema),
    documents: z.array(documentSchema),
  })
  .meta({ id: 'InvoiceDetail' });

export const listQuerySchema = z.object({
  status: listQuery(statuses).optional().describe('One or more statuses, repeated or comma-separated'),
  customerId: z.uuid().optional(),
  overdue: booleanQuery.optional().describe('true: balance left and due date passed on asOf'),
  minBalance: z.coerce.number().int().optional().describe('Minimum balance due, minor units'),
  maxBalance: z.coerce.number().int().optional().describe('Maximum balance due, minor units'),
  dueBefore: isoDate.optional().describe('Due on or before'),
  dueAfter: isoDate.optional().describe('Due on or after'),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/)
    .transform((s) => s.toUpperCase())
    .optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe("Search in the invoice number, the customer's name and reference"),
  collector: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('Collector working the item (its own, else its customer’s): a user id or "unassigned"'),
  segment: z.enum(['strategic', 'standard']).optional(),
  asOf: isoDate
    .optional()
    .describe("Day balances are judged on; default today in the organisation's time zone"),
  sort: sortQuery(['dueDate', 'issueDate', 'balanceDue', 'daysOverdue', 'invoiceNumber'], 'dueDate'),
  ...pageQuery,
});

export function toInvoice(i: InvoiceRow): z.infer<typeof invoiceSchema> {
  const m = (amount: number) => toMoney(amount, i.currency);
  return {
    id: i.id,
    invoiceNumber: i.invoice_number,
    externalId: i.external_id,
    customer: { id: i.customer_id, name: i.customer_name, externalRef: i.customer_external_ref },
    issueDate: i.issue_date,
    dueDate: i.due_date,
    performanceDate: i.performance_date,
    currency: i.currency.trim(),
    net: m(i.net_minor),
    tax: m(i.tax_minor),
    gross: m(i.gross_minor),
    paid: m(i.paid_minor),
    credited: m(i.credited_minor),
    writtenOff: m(i.written_off_minor),
    balanceDue: m(i.balance_minor),
    daysOverdue: i.days_overdue,
    status: i.status,
    disputed: i.disputed,
    paymentTerms: i.payment_terms,
    poReference: i.po_reference,
    createdAt: iso(i.created_at),
    updatedAt: iso(i.updated_at),
  };
}

export const invoiceRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/invoices',
    {
      schema: {
        tags: ['ledger'],
        summary: 'List invoices with balance due and days overdue',
        querystring: listQuerySchema,
        response: { 200: pageOf(invoiceSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { sort, limit, cursor, asOf, collector, ...filters } = request.query;
      return inOrg(deps, request, readRoles, async (trx, auth) => {
        const day = asOf ?? (await orgToday(trx, auth.orgId, deps.now()));
        const page = await listInvoices(
          trx,
          auth.orgId,
          { ...filters, collector: collector === 'unassigned' ? null : collector, asOf: day },
          { sort: sort.field, direction: sort.direction, limit, cursor },
        );
        return { items: page.items.map(toInvoice), nextCursor: page.nextCursor };
      });
    },
  );

  app.get(
    '/invoices/:id',
    {
      schema: {
        tags: ['ledger'],
        summary: 'An invoice with its allocations, credit notes, documents and instalments',
        params: idParam,
        querystring: z.object({ asOf: isoDate.optional() }),
        response: { 200: invoiceDetail, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const day = request.query.asOf ?? (await orgToday(trx, auth.orgId, deps.now()));
        const id = request.params.id;
        const invoice = await getInvoice(trx, auth.orgId, id, day);
        if (!invoice) throw notFound('Invoice', id);
        const allocations = await listInvoiceAllocations(trx, auth.orgId, id);
        const instalments = await listInvoiceInstalments(trx, auth.orgId, id);
        const creditNotes = await listCreditNotes(
          trx,
          auth.orgId,
          { invoiceId: id },
          { sort: 'issueDate', direction: 'asc', limit: 500 },
        );
        const documents = await listInvoiceDocuments(trx, auth.orgId, id);
        const m = (amount: number) => toMoney(amount, invoice.currency);
        return {
          ...toInvoice(invoice),
          description: invoice.description,
          asOf: day,
          allocations: allocations.map((a) => ({
            id: a.id,
            amount: m(a.amount_minor),
            allocatedAt: iso(a.allocated_at),
            payment:
              a.payment_id && a.payment_reference && a.received_on
                ? { id: a.payment_id, paymentReference: a.payment_reference, receivedOn: a.received_on }
                : null,
            creditNote:
              a.credit_note_id && a.credit_note_number
                ? { id: a.credit_note_id, creditNoteNumber: a.credit_note_number }
                : null,
          })),
          instalments: instalments.map((s) => ({
            seq: s.seq,
            dueDate: s.due_date,
            amount: m(s.amount_minor),
          })),
          creditNotes: creditNotes.items.map(toCreditNote),
          documents: documents.map(toDocument),
        };
      }),
  );
};
