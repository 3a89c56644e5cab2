import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listDisputes, listPauses, listPromises } from '../../db/queries/customer-file.js';
import { getCustomer } from '../../db/queries/customers.js';
import { notFound } from '../../errors.js';
import { type ApiDeps, inOrg } from '../context.js';
import { readRoles } from '../plugins/auth.js';
import {
  idParam,
  iso,
  isoDate,
  isoOrNull,
  moneySchema,
  problemResponses,
  toMoney,
} from '../schemas/common.js';

const invoiceRef = z.object({ id: z.uuid(), invoiceNumber: z.string() });

const caseSchema = z
  .object({
    customerId: z.uuid(),
    creditHold: z.object({ on: z.boolean(), reason: z.string().nullable(), since: z.string().nullable() }),
    pauses: z.array(
      z.object({
        id: z.uuid(),
        invoice: invoiceRef.nullable().describe('null: the whole account'),
        reason: z.string(),
        until: isoDate,
        createdBy: z.string().nullable(),
        createdAt: z.string(),
        endedAt: z.string().nullable(),
        endedBy: z.string().nullable(),
        endReason: z.string().nullable(),
      }),
    ),
    promises: z.array(
      z.object({
        id: z.uuid(),
        invoiceIds: z.array(z.uuid()),
        amount: moneySchema,
        promisedDate: isoDate,
        graceDays: z.number().int(),
        status: z.enum(['active', 'kept', 'broken', 'cancelled']),
        createdBy: z.string().nullable(),
        createdAt: z.string(),
        resolvedAt: z.string().nullable(),
        resolvedBy: z.string().nullable(),
        resolution: z.string().nullable(),
      }),
    ),
    disputes: z.array(
      z.object({
        id: z.uuid(),
        invoice: invoiceRef,
        balanceDue: moneySchema,
        reasonCode: z.string(),
        comment: z.string().nullable(),
        status: z.enum(['open', 'resolved', 'rejected']),
        openedBy: z.string().nullable(),
        openedAt: z.string(),
        resolvedAt: z.string().nullable(),
        resolvedBy: z.string().nullable(),
        resolution: z.string().nullable(),
        resolutionComment: z.string().nullable(),
        creditNote: z.object({ creditNoteNumber: z.string(), amount: moneySchema }).nullable(),
      }),
    ),
  })
  .meta({ id: 'CustomerCase' });

/** What holds a customer's dunning and how each measure ended; the actions are in case-actions.ts. */
export const customerCaseRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/customers/:id/case',
    {
      schema: {
        tags: ['worklist'],
        summary:
          'What holds the customer’s dunning: credit hold, pauses, promises, disputes and how each ended',
        params: idParam,
        response: { 200: caseSchema, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const id = request.params.id;
        const c = await getCustomer(trx, auth.orgId, id);
        if (!c) throw notFound('Customer', id);
        const [pauses, promises, disputes] = [
          await listPauses(trx, auth.orgId, id),
          await listPromises(trx, auth.orgId, id),
          await listDisputes(trx, auth.orgId, id),
        ];
        return {
          customerId: id,
          creditHold: {
            on: c.credit_hold,
            reason: c.credit_hold_reason,
            since: isoOrNull(c.credit_hold_since),
          },
          pauses: pauses.map((p) => ({
            id: p.id,
            invoice:
              p.invoice_id && p.invoice_number ? { id: p.invoice_id, invoiceNumber: p.invoice_number } : null,
            reason: p.reason,
            until: p.until,
            createdBy: p.created_by,
            createdAt: iso(p.created_at),
            endedAt: isoOrNull(p.cancelled_at),
            endedBy: p.cancelled_by,
            endReason: p.cancel_reason,
          })),
          promises: promises.map((p) => ({
            id: p.id,
            invoiceIds: p.invoice_ids,
            amount: toMoney(Number(p.amount_minor), p.currency.trim()),
            promisedDate: p.promised_date,
            graceDays: p.grace_days,
            status: p.status,
            createdBy: p.created_by,
            createdAt: iso(p.created_at),
            resolvedAt: isoOrNull(p.resolved_at),
            resolvedBy: p.resolved_by,
            resolution: p.resolution,
          })),
          disputes: disputes.map((d) => ({
            id: d.id,
            invoice: { id: d.invoice_id, invoiceNumber: d.invoice_number },
            balanceDue: toMoney(Number(d.balance_minor), d.currency.trim()),
            reasonCode: d.reason_code,
            comment: d.comment,
            status: d.status,
            openedBy: d.opened_by,
            openedAt: iso(d.opened_at),
            resolvedAt: isoOrNull(d.resolved_at),
            resolvedBy: d.resolved_by,
            resolution: d.resolution,
            resolutionComment: d.resolution_comment,
            creditNote:
              d.credit_note_number && d.credit_note_minor !== null
                ? {
                    creditNoteNumber: d.credit_note_number,
                    amount: toMoney(Number(d.credit_note_minor), d.currency.trim()),
                  }
                : null,
          })),
        };
      }),
  );
};
