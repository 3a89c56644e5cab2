import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { importFec } from '../../services/imports/import-fec.js';
import type { ApiDeps } from '../context.js';
import { readUpload } from '../multipart.js';
import { ledgerWriteRoles, requireRole } from '../plugins/auth.js';
import { problemResponse, problemResponses } from '../schemas/common.js';

/** A FEC of a million lines is about 120 MB. */
export const MAX_FEC_BYTES = 256 * 1024 * 1024;

const counts = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});
const lineError = z.object({
  line: z.number().int(),
  column: z.string().optional(),
  value: z.string().optional(),
  reason: z.string(),
});

const fecSummary = z
  .object({
    importId: z.uuid(),
    status: z.enum(['committed', 'rejected']),
    dryRun: z.literal(true).optional(),
    dialect: z.object({
      separator: z.enum(['tab', 'pipe']),
      encoding: z.string(),
      amounts: z.enum(['debit-credit', 'montant-sens']),
      columns: z.number().int(),
      extraColumns: z.array(z.string()),
    }),
    rowsRead: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    errors: z.array(lineError),
    skipped: z.array(z.object({ line: z.number().int(), reason: z.string() })),
    warnings: z.array(z.object({ line: z.number().int(), reason: z.string() })),
    unbalanced: z.array(
      z.object({ journal: z.string(), ecritureNum: z.string(), differenceMinor: z.number().int() }),
    ),
    journals: z.record(z.string(), z.enum(['opening', 'sales', 'bank', 'other'])),
    lastDate: z.string().nullable(),
    receivableLines: z.number().int(),
    customers: z.object({ inFile: z.number().int(), created: z.number().int() }),
    invoices: counts,
    creditNotes: counts,
    payments: counts,
    allocations: z.object({
      created: z.number().int(),
      removed: z.number().int(),
      kept: z.number().int(),
      partialGroups: z.number().int(),
    }),
    flaggedDisappeared: z.number().int(),
    restored: z.number().int(),
    dueDates: z.object({
      fromFile: z.number().int(),
      customerTerms: z.number().int(),
      importTerms: z.number().int(),
      organisationTerms: z.number().int(),
    }),
    reconciliation: z.object({
      customers: z.number().int(),
      matched: z.number().int(),
      mismatches: z.array(
        z.object({
          customerRef: z.string(),
          customerName: z.string(),
          booksMinor: z.number().int(),
          relanceMinor: z.number().int(),
        }),
      ),
    }),
  })
  .meta({ id: 'FecImport' });

const options = z.object({
  receivableAccounts: z.string().optional().describe('Comma-separated account prefixes (default 411)'),
  termsDays: z.coerce.number().int().min(0).max(365).optional(),
  salesJournals: z.string().optional(),
  openingJournals: z.string().optional(),
  dryRun: z.enum(['true', 'false']).optional(),
});

const list = (v: string | undefined) =>
  v
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** POST /imports/fec: the same use case as `relance import fec`. */
export const fecImportRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.post(
    '/imports/fec',
    {
      schema: {
        tags: ['imports'],
        summary: 'Import a FEC (multipart/form-data field "file"; options as fields or query)',
        description:
          'Builds customers, invoices, credit notes, payments and allocations from the receivable accounts and their lettering (decision 027). A file that does not read, does not balance or does not reconcile per customer answers 422 with the summary and writes nothing. Re-importing the next export of the same books is a sync.',
        consumes: ['multipart/form-data'],
        querystring: options,
        response: {
          200: fecSummary,
          413: problemResponse('File larger than 256 MB: use relance import fec'),
          422: problemResponse('Rejected: the summary names each line, entry or customer at fault'),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const auth = requireRole(request, ledgerWriteRoles);
      const upload = await readUpload(request, MAX_FEC_BYTES);
      const parsed = options.safeParse({ ...request.query, ...upload.fields });
      if (!parsed.success)
        throw new AppError(
          'VALIDATION',
          'Invalid FEC import options',
          parsed.error.issues.map((i) => ({ field: i.path.join('.'), reason: i.message })),
        );
      if (!upload.file)
        throw new AppError('VALIDATION', 'No file', [{ field: 'file', reason: 'a file part is required' }]);
      const o = parsed.data;
      const receivable = list(o.receivableAccounts);
      const sales = list(o.salesJournals);
      const opening = list(o.openingJournals);
      const summary = await importFec(deps.handle.db, auth.orgId, {
        input: upload.file.content,
        filename: upload.file.filename,
        ...(receivable ? { receivablePrefixes: receivable } : {}),
        ...(o.termsDays !== undefined ? { termsDays: o.termsDays } : {}),
        ...(sales ? { salesJournals: sales } : {}),
        ...(opening ? { openingJournals: opening } : {}),
        ...(o.dryRun === 'true' ? { dryRun: true } : {}),
      });
      if (summary.status === 'rejected') {
        throw new AppError(
          'IMPORT_REJECTED',
          'The FEC was rejected: nothing was written',
          [
            ...summary.errors.slice(0, 1000),
            ...summary.unbalanced.map((u) => ({
              field: 'EcritureNum',
              value: `${u.journal} ${u.ecritureNum}`,
              reason: `the entry does not balance (difference ${u.differenceMinor} cents)`,
            })),
            ...summary.reconciliation.mismatches.map((m) => ({
              field: 'customer',
              value: m.customerRef,
              reason: `${m.customerName}: the books say ${m.booksMinor} cents, Relance holds ${m.relanceMinor}`,
            })),
          ],
          { summary: { ...summary, errors: summary.errors.slice(0, 1000) } },
        );
      }
      return summary;
    },
  );
};
