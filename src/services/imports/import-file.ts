import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import {
  advanceImportBatch,
  finishImportBatch,
  getImportDefaults,
  type ImportBatchRecord,
  insertImportBatch,
} from '../../db/queries/imports.js';
import type { ImportEntity } from '../../db/schema/imports.js';
import type { Database } from '../../db/schema/index.js';
import { checkCells, stripInvisible } from '../../domain/import/cells.js';
import type { RowError } from '../../domain/import/row.js';
import type { ValidateContext } from '../../domain/import/validate.js';
import { notFound } from '../../errors.js';
import { FIELDS, planColumns } from '../../ingest/mapping.js';
import { openSource } from '../../ingest/open-source.js';
import {
  DATE_FIELDS,
  type DateColumns,
  dateFormatOption,
  decideDateColumns,
  decimalSeparatorOption,
} from './date-columns.js';
import type { ImportOptions, ImportSummary } from './types.js';
import type { EntityHandler, WriteContext, WriteOutcome } from './writers/context.js';
import { creditNotesHandler } from './writers/credit-notes.js';
import { customersHandler } from './writers/customers.js';
import { invoicesHandler } from './writers/invoices.js';
import { paymentsHandler } from './writers/payments.js';

const handlers: Record<ImportEntity, EntityHandler<{ line: number }>> = {
  customers: customersHandler as unknown as EntityHandler<{ line: number }>,
  invoices: invoicesHandler as unknown as EntityHandler<{ line: number }>,
  payments: paymentsHandler as unknown as EntityHandler<{ line: number }>,
  'credit-notes': creditNotesHandler as unknown as EntityHandler<{ line: number }>,
};

/** Errors listed in the summary; the rest are counted. */
const MAX_ERRORS = 100_000;
/** Errors kept in import_batches.errors (the reject report has them all). */
const STORED_ERRORS = 1_000;
const DEFAULT_BATCH = 5_000;
export const DEFAULT_YEARS_BACK = 30;
export const DEFAULT_YEARS_AHEAD = 10;

/** The plausible-date window around `now`: years back and ahead, whole calendar days (UTC). */
export function dateWindowAround(
  now: Date,
  yearsBack = DEFAULT_YEARS_BACK,
  yearsAhead = DEFAULT_YEARS_AHEAD,
) {
  const shift = (years: number) => {
    const d = new Date(now.getTime());
    d.setUTCFullYear(d.getUTCFullYear() + years);
    return d.toISOString().slice(0, 10);
  };
  return { from: shift(-yearsBack), to: shift(yearsAhead) };
}

/** Thrown inside the all-or-nothing transaction to roll it back. */
class RejectAll {}

/**
 * Import one file of customers, invoices, payments or credit notes.
 *
 * Rows stream from the file in batches; each batch is validated, checked against the
 * ledger and written with one set-based upsert keyed on the organisation's number, so a
 * re-import creates nothing twice and records what changed in ledger_history. In
 * all-or-nothing mode the whole import is one transaction, rolled back on the first error
 * but read to the end so every error is reported; in accept-valid mode each batch commits
 * its valid rows. Either way accepted + rejected = rows read.
 */
export async function importFile(
  db: Kysely<Database>,
  orgId: string,
  opts: ImportOptions,
): Promise<ImportSummary> {
  const dateFormat = opts.dateFormat ? dateFormatOption(opts.dateFormat) : undefined;
  const decimalSeparator = opts.decimalSeparator ? decimalSeparatorOption(opts.decimalSeparator) : undefined;
  // Deciding the day/month order reads the file twice: a stream is spooled to a temporary
  // file first (memory stays bounded whatever the size), a buffer is simply read again.
  const input = opts.input;
  const hasDates = DATE_FIELDS.some((f) => f in FIELDS[opts.entity]);
  if (!opts.source && !dateFormat && hasDates && input && !Buffer.isBuffer(input)) {
    const dir = await mkdtemp(join(tmpdir(), 'relance-import-'));
    try {
      const path = join(dir, 'input');
      await pipeline(input as Readable, createWriteStream(path));
      return await importFileReadTwice(
        db,
        orgId,
        opts,
        () => createReadStream(path),
        dateFormat,
        decimalSeparator,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const buffer = Buffer.isBuffer(input) ? input : undefined;
  return importFileReadTwice(
    db,
    orgId,
    opts,
    buffer || !input ? () => buffer ?? Buffer.alloc(0) : () => input,
    dateFormat,
    decimalSeparator,
  );
}

async function importFileReadTwice(
  db: Kysely<Database>,
  orgId: string,
  opts: ImportOptions,
  open: () => Readable | Buffer,
  dateFormat: ReturnType<typeof dateFormatOption> | undefined,
  decimalSeparator: ReturnType<typeof decimalSeparatorOption> | undefined,
): Promise<ImportSummary> {
  const defaults = await withOrg(db, orgId, (trx) => getImportDefaults(trx, orgId));
  if (!defaults) throw notFound('Organisation', orgId);
  const openFile = () =>
    openSource(open(), {
      ...(opts.format ? { format: opts.format } : {}),
      ...(opts.filename ? { filename: opts.filename } : {}),
    });
  const source = opts.source ?? (await openFile());
  const plan = planColumns(opts.entity, source.headers, opts.mapping);
  const dateFields = DATE_FIELDS.filter((f) => plan.byField[f] !== undefined);
  let dateOrders: Record<string, ReturnType<typeof dateFormatOption> | null> | undefined;
  let dateColumns: DateColumns | undefined;
  if (dateFormat) {
    dateOrders = Object.fromEntries(dateFields.map((f) => [f, dateFormat]));
    const order = dateFormat === 'iso' ? 'iso' : dateFormat === 'mdy' ? 'month/day' : 'day/month';
    dateColumns = Object.fromEntries(
      dateFields.map((f) => [plan.byField[f] as string, { order, decidedBy: '--date-format' } as const]),
    );
  } else if (!opts.source && dateFields.length > 0) {
    // First pass: the whole file, before any row is validated or written.
    const first = await openFile();
    const decided = await decideDateColumns(first.rows, plan.byField);
    dateOrders = decided.orders;
    dateColumns = decided.columns;
  }
  const handler = handlers[opts.entity];
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH);
  const ctx: WriteContext = {
    orgId,
    batchId: randomUUID(),
    actor: opts.actor ?? null,
    plan,
    defaults,
    autoAllocate: opts.autoAllocate ?? defaults.autoAllocatePayments,
    createCustomers: opts.createCustomers === true,
  };
  const vctx: ValidateContext = {
    defaultCurrency: defaults.currency,
    byField: plan.byField,
    dateWindow: opts.dateWindow ?? dateWindowAround(new Date()),
    ...(dateOrders ? { dateOrders } : {}),
    ...(decimalSeparator ? { decimalSeparator } : {}),
  };

  const errors: RowError[] = [];
  let errorsOmitted = 0;
  let rowsRead = 0;
  let rowsWithErrors = 0;
  const totals = { created: 0, updated: 0, unchanged: 0, customersCreated: 0, disputesOpened: 0 };
  const addErrors = (list: RowError[]) => {
    for (const e of list) {
      if (errors.length < MAX_ERRORS) errors.push(e);
      else errorsOmitted++;
    }
  };
  const addOutcome = (o: WriteOutcome) => {
    totals.created += o.created;
    totals.updated += o.updated;
    totals.unchanged += o.unchanged;
    totals.customersCreated += o.customersCreated ?? 0;
    totals.disputesOpened += o.disputesOpened ?? 0;
    rowsWithErrors += new Set(o.errors.map((e) => e.line)).size;
    addErrors(o.errors);
  };

  const keyColumn = plan.byField[handler.keyField];
  // Numbers seen in this file → first line: a number repeated within one file is an error
  // (which of the two would win is a guess). Strings only, so 1M rows stay ~100 MB.
  const firstLineOf = new Map<string, number>();

  /** Read, validate and hand batches to `write`, overlapping parsing with the previous write. */
  async function stream(write: (rows: { line: number }[]) => Promise<WriteOutcome>): Promise<void> {
    let batch: { line: number }[] = [];
    let pending: Promise<void> | undefined;
    const flush = async (rows: { line: number }[]) => {
      if (pending) await pending;
      const p = write(rows).then(addOutcome);
      // Handled when awaited at the next flush; the no-op keeps Node from flagging it meanwhile.
      p.catch(() => {});
      pending = p;
    };
    for await (const row of source.rows) {
      rowsRead++;
      const cellErrors = row.problem ? [] : checkCells(row.line, row.cells, plan.byField);
      if (row.problem) {
        rowsWithErrors++;
        addErrors([{ line: row.line, reason: row.problem }]);
      } else if (cellErrors.length > 0) {
        rowsWithErrors++;
        addErrors(cellErrors);
      } else {
        const v = handler.validate(row.line, row.cells, vctx);
        const key = keyColumn === undefined ? '' : stripInvisible(row.cells[keyColumn] ?? '').trim();
        let dupError: RowError | undefined;
        if (key !== '') {
          const first = firstLineOf.get(key);
          if (first === undefined) firstLineOf.set(key, row.line);
          else {
            dupError = {
              line: row.line,
              ...(keyColumn ? { column: keyColumn } : {}),
              field: handler.keyField,
              value: key,
              reason: `duplicate: the same number is on line ${first} of this file`,
            };
          }
        }
        if (!v.ok || dupError) {
          rowsWithErrors++;
          addErrors([...(v.ok ? [] : v.errors), ...(dupError ? [dupError] : [])]);
        } else {
          batch.push(v.value);
          if (batch.length >= batchSize) {
            await flush(batch);
            batch = [];
          }
        }
      }
      if (rowsRead % batchSize === 0) opts.onProgress?.(rowsRead);
    }
    if (batch.length > 0) await flush(batch);
    if (pending) await pending;
    opts.onProgress?.(rowsRead);
  }

  const record = (status: ImportBatchRecord['status']): ImportBatchRecord => {
    const rejectedAll = status === 'rejected';
    errors.sort((a, b) => a.line - b.line);
    return {
      id: ctx.batchId,
      entity: opts.entity,
      filename: opts.filename ?? null,
      mode: opts.mode,
      status,
      rowsRead,
      accepted: rejectedAll ? 0 : rowsRead - rowsWithErrors,
      rejected: rejectedAll ? rowsRead : rowsWithErrors,
      created: rejectedAll ? 0 : totals.created,
      updated: rejectedAll ? 0 : totals.updated,
      unchanged: rejectedAll ? 0 : totals.unchanged,
      errors: errors.slice(0, STORED_ERRORS),
    };
  };

  let batch: ImportBatchRecord;
  if (opts.dryRun) {
    // One transaction, always rolled back. Valid rows are written even after an error (not
    // check-only) so created/updated say what accepting the valid rows would do.
    await withOrg(db, orgId, async (trx) => {
      await stream((rows) => handler.write(trx, ctx, rows, false));
      throw new RejectAll();
    }).catch((e: unknown) => {
      if (!(e instanceof RejectAll)) throw e;
    });
    // Counts as if the valid rows were accepted; nothing was kept (the summary says dryRun).
    batch = record('committed');
  } else if (opts.mode === 'all-or-nothing') {
    try {
      batch = await withOrg(db, orgId, async (trx) => {
        await stream((rows) => handler.write(trx, ctx, rows, rowsWithErrors > 0));
        if (rowsWithErrors > 0) throw new RejectAll();
        const b = record('committed');
        await insertImportBatch(trx, orgId, b, true);
        return b;
      });
    } catch (e) {
      if (!(e instanceof RejectAll)) {
        // Nothing was written (the transaction rolled back); keep a trace of the attempt.
        const failed = record('failed');
        await withOrg(db, orgId, (trx) => insertImportBatch(trx, orgId, failed, true)).catch(() => {});
        throw e;
      }
      batch = record('rejected');
      totals.customersCreated = 0;
      totals.disputesOpened = 0;
      await withOrg(db, orgId, (trx) => insertImportBatch(trx, orgId, batch, true));
    }
  } else {
    await withOrg(db, orgId, (trx) => insertImportBatch(trx, orgId, record('running'), false));
    try {
      // Each chunk commits with its batch's counts (decision 025): if the process dies, the
      // batch says what landed, and the next start marks it failed (failAbandonedImports).
      await stream((rows) =>
        withOrg(db, orgId, async (trx) => {
          const o = await handler.write(trx, ctx, rows, false);
          await advanceImportBatch(trx, orgId, ctx.batchId, {
            accepted: rows.length - new Set(o.errors.map((e) => e.line)).size,
            created: o.created,
            updated: o.updated,
            unchanged: o.unchanged,
          });
          return o;
        }),
      );
    } catch (e) {
      const failed = record('failed');
      await withOrg(db, orgId, (trx) => finishImportBatch(trx, orgId, failed)).catch(() => {});
      throw e;
    }
    batch = record('committed');
    await withOrg(db, orgId, (trx) => finishImportBatch(trx, orgId, batch));
  }

  return {
    batchId: ctx.batchId,
    entity: opts.entity,
    mode: opts.mode,
    status: batch.status === 'rejected' ? 'rejected' : 'committed',
    rowsRead,
    accepted: batch.accepted,
    rejected: batch.rejected,
    created: batch.created,
    updated: batch.updated,
    unchanged: batch.unchanged,
    errors,
    columns: plan.columns,
    ignoredColumns: plan.ignored,
    rowsWithErrors,
    errorsOmitted,
    customersCreated: totals.customersCreated,
    ...(dateColumns && Object.keys(dateColumns).length > 0 ? { dateColumns } : {}),
    ...(plan.byField.disputed !== undefined ? { disputesOpened: totals.disputesOpened } : {}),
    detected: source.detected,
    ...(opts.dryRun ? { dryRun: true } : {}),
  };
}
