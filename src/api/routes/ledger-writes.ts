import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getCustomerByRef } from '../../db/queries/customers.js';
import { getInvoiceByNumber } from '../../db/queries/invoices.js';
import { ledgerIdByKey } from '../../db/queries/ledger-keys.js';
import type { ImportEntity } from '../../db/schema/imports.js';
import { AppError, notFound } from '../../errors.js';
import { FIELDS } from '../../ingest/mapping.js';
import {
  importRecords,
  type LedgerRecord,
  MAX_RECORDS,
  MONEY_FIELDS,
} from '../../services/imports/import-records.js';
import type { ImportSummary } from '../../services/imports/types.js';
import { type ApiDeps, inOrg, orgToday } from '../context.js';
import { idempotent } from '../idempotency.js';
import { ledgerWriteRoles, readRoles, requireRole } from '../plugins/auth.js';
import { problemResponse, problemResponses } from '../schemas/common.js';
import { customerSchema, toCustomer } from './customers.js';
import { summarySchema } from './imports.js';
import { invoiceSchema, toInvoice } from './invoices.js';

/**
 * The ledger written by an ERP in JSON: upsert one record by its key (PUT …/by-ref/:key), or
 * up to 1,000 at once (POST …/batch). Both go through the import use case (importRecords), so
 * a record is validated, upserted and recorded in ledger_history exactly as a file row is;
 * every error comes back at once, each naming `records.<index>.<field>`. Writes honour an
 * Idempotency-Key header (see ../idempotency.ts).
 */

const moneyInput = z.object({
  amount: z.number().int().describe('Minor units (cents)'),
  currency: z.string().regex(/^[A-Z]{3}$/),
  decimal: z.string().optional().describe('Ignored on input if absent; must agree with amount if sent'),
});

const scalar = z.union([z.string(), z.number(), z.boolean()]).nullable();

/** Record schema of an entity: its canonical import fields, money as the API's Money shape. */
function recordSchema(entity: ImportEntity, id: string) {
  const shape: Record<string, z.ZodType> = {};
  for (const field of Object.keys(FIELDS[entity])) {
    if (MONEY_FIELDS[entity].includes(field)) shape[field] = moneyInput.nullable().optional();
    else if (field === 'invoiceNumbers') shape[field] = z.union([z.array(z.string()), z.string()]).optional();
    else shape[field] = scalar.optional();
  }
  return z.object(shape).strict().describe(`${id}: dates as YYYY-MM-DD or DD/MM/YYYY, as in file imports`);
}

interface EntityRoute {
  entity: ImportEntity;
  path: string;
  keyField: string;
  keyParam: string;
  label: string;
  schemaId: string;
}

const routes: EntityRoute[] = [
  {
    entity: 'customers',
    path: 'customers',
    keyField: 'externalRef',
    keyParam: 'by-ref',
    label: 'customer',
    schemaId: 'CustomerRecord',
  },
  {
    entity: 'invoices',
    path: 'invoices',
    keyField: 'invoiceNumber',
    keyParam: 'by-number',
    label: 'invoice',
    schemaId: 'InvoiceRecord',
  },
  {
    entity: 'credit-notes',
    path: 'credit-notes',
    keyField: 'creditNoteNumber',
    keyParam: 'by-number',
    label: 'credit note',
    schemaId: 'CreditNoteRecord',
  },
  {
    entity: 'payments',
    path: 'payments',
    keyField: 'paymentReference',
    keyParam: 'by-reference',
    label: 'payment',
    schemaId: 'PaymentRecord',
  },
];

/** Row errors of a rejected write, named `records.<index>.<field>` as the request sent them. */
function rejected(summary: ImportSummary, prefix: (line: number) => string): AppError {
  const detail =
    summary.status === 'rejected'
      ? `${summary.rejected} of ${summary.rowsRead} records rejected: nothing was written (all-or-nothing)`
      : `${summary.rejected} of ${summary.rowsRead} records rejected; ${summary.accepted} written`;
  return new AppError(
    'IMPORT_REJECTED',
    detail,
    summary.errors.map((e) => ({
      line: e.line,
      field: `${prefix(e.line)}${e.field ?? ''}`,
      ...(e.value !== undefined ? { value: e.value } : {}),
      reason: e.reason,
    })),
    { summary: { ...summary, errors: undefined } },
  );
}

export const ledgerWriteRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  for (const r of routes) {
    const record = recordSchema(r.entity, r.schemaId);
    const actorOf = (keyId: string | undefined) => (keyId ? `api-key:${keyId}` : 'api');

    app.post(
      `/${r.path}/batch`,
      {
        schema: {
          tags: ['ledger'],
          summary: `Create or update up to ${MAX_RECORDS} ${r.label}s at once, keyed on ${r.keyField}`,
          description:
            'Each record is validated and upserted as a row of a file import would be. all-or-nothing (the default) writes nothing if any record is refused; accept-valid writes the valid ones. Refused records answer 422 with every error, each naming records.<index>.<field>. Send an Idempotency-Key header to make a retry safe.',
          body: z.object({
            mode: z.enum(['all-or-nothing', 'accept-valid']).default('all-or-nothing'),
            autoAllocate: z.boolean().optional(),
            records: z.array(record).min(1).max(MAX_RECORDS),
          }),
          response: {
            200: summarySchema,
            422: problemResponse('Records refused: every error, each naming records.<index>.<field>'),
            ...problemResponses,
          },
        },
      },
      async (request, reply) => {
        const auth = requireRole(request, ledgerWriteRoles);
        return idempotent(deps, request, reply, auth.orgId, async () => {
          const summary = await importRecords(deps.handle.db, auth.orgId, {
            entity: r.entity,
            records: request.body.records as LedgerRecord[],
            mode: request.body.mode,
            actor: actorOf(auth.keyId),
            ...(request.body.autoAllocate === undefined ? {} : { autoAllocate: request.body.autoAllocate }),
          });
          if (summary.status === 'rejected' || summary.rejected > 0) {
            throw rejected(summary, (line) => `records.${line}.`);
          }
          return { status: 200, body: summary };
        });
      },
    );

    app.put(
      `/${r.path}/${r.keyParam}/:key`,
      {
        schema: {
          tags: ['ledger'],
          summary: `Create or update one ${r.label} by its ${r.keyField}`,
          description: `The path's key is the record's ${r.keyField} (a ${r.keyField} in the body must be the same). Answers 201 when created, 200 when updated or unchanged.`,
          params: z.object({ key: z.string().min(1).max(200) }),
          body: record,
          response: {
            200: z.object({ id: z.uuid(), outcome: z.enum(['updated', 'unchanged']) }),
            201: z.object({ id: z.uuid(), outcome: z.literal('created') }),
            422: problemResponse('Record refused: every error, each naming its field'),
            ...problemResponses,
          },
        },
      },
      async (request, reply) => {
        const auth = requireRole(request, ledgerWriteRoles);
        const key = request.params.key;
        const body = request.body as LedgerRecord;
        const inBody = body[r.keyField];
        if (inBody !== undefined && inBody !== key) {
          throw new AppError('VALIDATION', `${r.keyField} differs from the path`, [
            { field: r.keyField, value: String(inBody), reason: `must be "${key}", as in the path` },
          ]);
        }
        type Outcome = { id: string; outcome: 'created' | 'updated' | 'unchanged' };
        return idempotent<Outcome>(deps, request, reply, auth.orgId, async () => {
          const summary = await importRecords(deps.handle.db, auth.orgId, {
            entity: r.entity,
            records: [{ ...body, [r.keyField]: key }],
            mode: 'all-or-nothing',
            actor: actorOf(auth.keyId),
          }).catch((e: unknown) => {
            // One record: its fields are named as sent, without the batch's "records.0." prefix.
            if (!(e instanceof AppError)) throw e;
            throw new AppError(
              e.code,
              e.message,
              e.details.map((d) => (d.field ? { ...d, field: d.field.replace(/^records\.0\.?/, '') } : d)),
              e.extra,
            );
          });
          if (summary.status === 'rejected' || summary.rejected > 0) throw rejected(summary, () => '');
          const id = await inOrg(deps, request, readRoles, (trx) =>
            ledgerIdByKey(trx, auth.orgId, r.entity, key),
          );
          if (!id) throw notFound(r.label, key);
          if (summary.created > 0) return { status: 201, body: { id, outcome: 'created' } };
          return { status: 200, body: { id, outcome: summary.updated > 0 ? 'updated' : 'unchanged' } };
        });
      },
    );
  }

  app.get(
    '/customers/by-ref/:key',
    {
      schema: {
        tags: ['ledger'],
        summary: "A customer by the organisation's own reference (externalRef)",
        params: z.object({ key: z.string().min(1).max(200) }),
        response: { 200: customerSchema, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const c = await getCustomerByRef(trx, auth.orgId, request.params.key);
        if (!c) throw notFound('Customer', request.params.key);
        return toCustomer(c);
      }),
  );

  app.get(
    '/invoices/by-number/:key',
    {
      schema: {
        tags: ['ledger'],
        summary: "An invoice by the organisation's own number",
        params: z.object({ key: z.string().min(1).max(200) }),
        querystring: z.object({ asOf: z.iso.date().optional() }),
        response: { 200: invoiceSchema, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const day = request.query.asOf ?? (await orgToday(trx, auth.orgId, deps.now()));
        const i = await getInvoiceByNumber(trx, auth.orgId, request.params.key, day);
        if (!i) throw notFound('Invoice', request.params.key);
        return toInvoice(i);
      }),
  );
};
