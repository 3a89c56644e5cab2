import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, notFound } from '../../errors.js';
import { type MappingFile, parseMappingFile } from '../../ingest/mapping.js';
import { dateWindowAround, importFile } from '../../services/imports/import-file.js';
import type { ImportSummary } from '../../services/imports/types.js';
import { type ApiDeps, inOrg } from '../context.js';
import { readUpload } from '../multipart.js';
import { ledgerWriteRoles, readRoles, requireRole } from '../plugins/auth.js';
import {
  idParam,
  iso,
  isoOrNull,
  pageOf,
  pageQuery,
  problemResponse,
  problemResponses,
  sortQuery,
} from '../schemas/common.js';
import { getImportBatch, type ImportBatch, listImportBatches } from './import-batches.queries.js';

/** The API buffers an upload; files beyond this go through `relance import`, which streams. */
export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;

const entities = ['customers', 'invoices', 'payments', 'credit-notes'] as const;
const modes = ['all-or-nothing', 'accept-valid'] as const;

const rowErrorSchema = z.object({
  line: z.number().int(),
  column: z.string().optional(),
  field: z.string().optional(),
  value: z.string().optional(),
  reason: z.string(),
});

export const summarySchema = z
  .object({
    batchId: z.string(),
    entity: z.enum(entities),
    mode: z.enum(modes),
    status: z.enum(['committed', 'rejected']),
    rowsRead: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    errors: z.array(rowErrorSchema),
    columns: z.record(z.string(), z.string()),
    dateColumns: z
      .record(
        z.string(),
        z.object({ order: z.enum(['day/month', 'month/day', 'iso']), decidedBy: z.string() }),
      )
      .optional()
      .describe('how each date column was read and what decided it'),
    disputesOpened: z.number().int().optional(),
    customersCreated: z.number().int().optional(),
  })
  .meta({ id: 'ImportSummary' });

const batchSchema = z
  .object({
    id: z.uuid(),
    entity: z.enum(entities),
    filename: z.string().nullable(),
    mode: z.enum(modes),
    status: z.enum(['running', 'committed', 'rejected', 'failed']),
    rowsRead: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'ImportBatch' });

const batchDetail = batchSchema.extend({ errors: z.array(z.unknown()) }).meta({ id: 'ImportBatchDetail' });

function toBatch(b: ImportBatch): z.infer<typeof batchSchema> {
  return {
    id: b.id,
    entity: b.entity,
    filename: b.filename,
    mode: b.mode,
    status: b.status,
    rowsRead: b.rows_read,
    accepted: b.rows_accepted,
    rejected: b.rows_rejected,
    created: b.rows_created,
    updated: b.rows_updated,
    unchanged: b.rows_unchanged,
    startedAt: iso(b.started_at),
    finishedAt: isoOrNull(b.finished_at),
  };
}

const optionsSchema = z.object({
  mode: z.enum(modes).default('all-or-nothing'),
  createCustomers: z
    .enum(['true', 'false'])
    .default('false')
    .describe('invoices: create the customer of an unknown reference from the name on the row'),
  mapping: z
    .string()
    .optional()
    .describe(
      'JSON object: source header → canonical field (e.g. {"Num":"invoiceNumber"}), or the mapping-file shape {"columns": {…}, "dateFormat": "MM/DD/YYYY", "decimalSeparator": "."}',
    ),
  dateFormat: z
    .string()
    .optional()
    .describe(
      'DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD; without it the day/month order of each date column is decided from the whole file, and a file whose dates read both ways is refused',
    ),
  decimalSeparator: z.enum(['.', ',']).optional().describe('the decimal separator of the amounts'),
});

function parseMapping(raw: string | undefined): MappingFile | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new AppError('VALIDATION', 'mapping is not JSON', [
      { field: 'mapping', value: raw.slice(0, 200), reason: 'expected a JSON object of header → field' },
    ]);
  }
  const m = z.record(z.string(), z.string()).safeParse(parsed);
  if (m.success) return { columns: m.data };
  try {
    return parseMappingFile(raw, 'mapping');
  } catch {
    throw new AppError('VALIDATION', 'mapping must map headers to field names', [
      {
        field: 'mapping',
        value: raw.slice(0, 200),
        reason:
          'expected a JSON object of string → string, or {"columns": {…}, "dateFormat", "decimalSeparator"}',
      },
    ]);
  }
}

/** The request's dateFormat/decimalSeparator win over the mapping's. */
function dateAndDecimal(
  o: { dateFormat?: string | undefined; decimalSeparator?: string | undefined },
  mapping: MappingFile | undefined,
): { dateFormat?: string; decimalSeparator?: string } {
  const dateFormat = o.dateFormat ?? mapping?.dateFormat;
  const decimalSeparator = o.decimalSeparator ?? mapping?.decimalSeparator;
  return {
    ...(dateFormat ? { dateFormat } : {}),
    ...(decimalSeparator ? { decimalSeparator } : {}),
  };
}

function formatOf(filename: string): 'csv' | 'xlsx' | undefined {
  const lower = filename.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.csv') || lower.endsWith('.txt') || lower.endsWith('.tsv')) return 'csv';
  return undefined;
}

export const importRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.post(
    '/imports/:entity',
    {
      schema: {
        tags: ['imports'],
        summary:
          'Import a CSV or XLSX file (multipart/form-data field "file"; mode and mapping as fields or query)',
        description:
          "Upserts on the organisation's numbers, so re-importing a file creates nothing twice. Any rejected row answers 422 problem+json with the summary and the row errors (line, column, value, reason); in accept-valid mode the valid rows are committed all the same.",
        consumes: ['multipart/form-data'],
        params: z.object({ entity: z.enum(entities) }),
        querystring: optionsSchema.partial(),
        response: {
          201: summarySchema,
          413: problemResponse('File larger than the API limit: use relance import'),
          422: problemResponse('Rows rejected: the summary and each row error (line, column, value, reason)'),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const auth = requireRole(request, ledgerWriteRoles);
      const upload = await readUpload(request, MAX_IMPORT_BYTES);
      const parsed = optionsSchema.safeParse({ ...request.query, ...upload.fields });
      if (!parsed.success) {
        throw new AppError(
          'VALIDATION',
          'Invalid import options',
          parsed.error.issues.map((i) => ({ field: i.path.join('.'), reason: i.message })),
        );
      }
      const file = upload.file;
      if (!file)
        throw new AppError('VALIDATION', 'No file', [{ field: 'file', reason: 'a file part is required' }]);
      const format = formatOf(file.filename);
      const mapping = parseMapping(parsed.data.mapping);
      // importFile opens its own withOrg transactions (one per batch in accept-valid mode).
      const summary: ImportSummary = await importFile(deps.handle.db, auth.orgId, {
        entity: request.params.entity,
        input: file.content,
        filename: file.filename,
        mode: parsed.data.mode,
        actor: auth.keyId ? `api-key:${auth.keyId}` : 'api',
        createCustomers: parsed.data.createCustomers === 'true',
        dateWindow: dateWindowAround(
          deps.now(),
          deps.config.RELANCE_IMPORT_YEARS_BACK,
          deps.config.RELANCE_IMPORT_YEARS_AHEAD,
        ),
        ...(format ? { format } : {}),
        ...(mapping ? { mapping: mapping.columns } : {}),
        ...dateAndDecimal(parsed.data, mapping),
      });
      request.log.info(
        {
          batchId: summary.batchId,
          status: summary.status,
          rowsRead: summary.rowsRead,
          rejected: summary.rejected,
        },
        'import finished',
      );
      if (summary.status === 'rejected' || summary.rejected > 0) {
        const detail =
          summary.status === 'rejected'
            ? `${summary.rejected} of ${summary.rowsRead} rows rejected: nothing was imported (all-or-nothing)`
            : `${summary.rejected} of ${summary.rowsRead} rows rejected; ${summary.accepted} accepted and committed`;
        throw new AppError(
          'IMPORT_REJECTED',
          detail,
          summary.errors.map((e) => ({
            line: e.line,
            ...(e.column !== undefined ? { column: e.column } : {}),
            ...(e.field !== undefined ? { field: e.field } : {}),
            ...(e.value !== undefined ? { value: e.value } : {}),
            reason: e.reason,
          })),
          { summary: { ...summary, errors: undefined } },
        );
      }
      return reply.status(201).send(summary);
    },
  );

  app.get(
    '/imports',
    {
      schema: {
        tags: ['imports'],
        summary: 'List import batches, newest first',
        querystring: z.object({
          entity: z.enum(entities).optional(),
          status: z.enum(['running', 'committed', 'rejected', 'failed']).optional(),
          sort: sortQuery(['startedAt'], '-startedAt'),
          ...pageQuery,
        }),
        response: { 200: pageOf(batchSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { sort, limit, cursor, ...filters } = request.query;
      return inOrg(deps, request, readRoles, async (trx, auth) => {
        const page = await listImportBatches(trx, auth.orgId, filters, {
          sort: sort.field,
          direction: sort.direction,
          limit,
          cursor,
        });
        return { items: page.items.map(toBatch), nextCursor: page.nextCursor };
      });
    },
  );

  app.get(
    '/imports/:id',
    {
      schema: {
        tags: ['imports'],
        summary: 'One import batch with its stored row errors',
        params: idParam,
        response: { 200: batchDetail, ...problemResponses },
      },
    },
    async (request) =>
      inOrg(deps, request, readRoles, async (trx, auth) => {
        const b = await getImportBatch(trx, auth.orgId, request.params.id);
        if (!b) throw notFound('Import batch', request.params.id);
        return { ...toBatch(b), errors: Array.isArray(b.errors) ? b.errors : [] };
      }),
  );
};
