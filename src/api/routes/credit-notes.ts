import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CreditNote, getCreditNote, listCreditNotes } from '../../db/queries/credit-notes.js';
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

export const creditNoteSchema = z
  .object({
    id: z.uuid(),
    creditNoteNumber: z.string(),
    externalId: z.string().nullable(),
    customerId: z.uuid(),
    invoiceId: z.uuid().nullable(),
    issueDate: isoDate,
    currency: z.string(),
    net: moneySchema,
    tax: moneySchema,
    gross: moneySchema,
    unallocated: moneySchema,
    reason: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'CreditNote' });

export function toCreditNote(c: CreditNote): z.infer<typeof creditNoteSchema> {
  const m = (amount: number) => toMoney(amount, c.currency);
  return {
    id: c.id,
    creditNoteNumber: c.credit_note_number,
    externalId: c.external_id,
    customerId: c.customer_id,
    invoiceId: c.invoice_id,
    issueDate: c.issue_date,
    currency: c.currency.trim(),
    net: m(c.net_minor),
    tax: m(c.tax_minor),
    gross: m(c.gross_minor),
    unallocated: m(c.unallocated_minor),
    reason: c.reason,
    createdAt: iso(c.created_at),
  };
}

const listQuerySchema = z.object({
  customerId: z.uuid().optional(),
  invoiceId: z.uuid().optional().describe('Linked to, or allocated to, this invoice'),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/)
    .transform((s) => s.toUpperCase())
    .optional(),
  unallocated: booleanQuery.optional(),
  q: z.string().trim().min(1).max(100).optional().describe('Search in the credit note number'),
  sort: sortQuery(['issueDate', 'creditNoteNumber', 'amount'], '-issueDate'),
  ...pageQuery,
});

export const creditNoteRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/credit-notes',
    {
      schema: {
        tags: ['ledger'],
        summary: 'List credit notes',
        querystring: listQuerySchema,
        response: { 200: pageOf(creditNoteSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { sort, limit, cursor, ...filters } = request.query;
      return inOrg(deps, request, readRoles, async (trx, auth) => {
        const page = await listCreditNotes(trx, auth.orgId, filters, {
          sort: sort.field,
          direction: sort.direction,
          limit,
          cursor,
        });
        return { items: page.items.map(toCreditNote), nextCursor: page.nextCursor };
      });
    },
  );

  app.get(
    '/credit-notes/:id',
    {
      schema: {
        tags: ['ledger'],
        summary: 'A credit note',
        params: idParam,
        response: { 200: creditNoteSchema, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const c = await getCreditNote(trx, auth.orgId, request.params.id);
        if (!c) throw notFound('Credit note', request.params.id);
        return toCreditNote(c);
      }),
  );
};
