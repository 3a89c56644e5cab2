import type { Kysely } from 'kysely';
import type { ImportEntity, ImportMode } from '../../db/schema/imports.js';
import type { Database } from '../../db/schema/index.js';
import { toMajorString } from '../../domain/money/index.js';
import { AppError, type ErrorDetail } from '../../errors.js';
import { FIELDS } from '../../ingest/mapping.js';
import type { RowSource, SourceRow } from '../../ingest/types.js';
import { importFile } from './import-file.js';
import type { ImportSummary } from './types.js';

/**
 * Ledger records sent as JSON by an ERP (the API's write routes), written through the same
 * validation, upsert and history as a file import: one door for every way data comes in.
 * A record is an object keyed by the import's canonical field names (invoiceNumber,
 * customerRef, issueDate…); dates in the same formats as the imports (YYYY-MM-DD or
 * DD/MM/YYYY); money as the API's one money shape, `{ "amount": minor units, "currency" }`.
 */

export type RecordValue = string | number | boolean | null | string[] | { amount: number; currency: string };
export type LedgerRecord = Record<string, RecordValue | undefined>;

/** Fields that carry money: they take a Money object, never a bare number (cents or euros?). */
export const MONEY_FIELDS: Record<ImportEntity, readonly string[]> = {
  customers: ['creditLimit'],
  invoices: ['net', 'tax', 'gross', 'paidAmount'],
  payments: ['amount'],
  'credit-notes': ['net', 'tax', 'gross'],
};

/** The most records one request may carry; larger loads go through the file import. */
export const MAX_RECORDS = 1_000;

function isMoney(v: unknown): v is { amount: number; currency: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'amount' in v && 'currency' in v;
}

/**
 * One record → the text cells the row validator reads, or every problem with its field.
 * `index` is the record's position in the request (0-based), reported as `line`.
 */
export function recordCells(
  entity: ImportEntity,
  record: LedgerRecord,
  index: number,
): { cells: Record<string, string>; problems: ErrorDetail[] } {
  const known = FIELDS[entity];
  const money = MONEY_FIELDS[entity];
  const cells: Record<string, string> = {};
  const problems: ErrorDetail[] = [];
  const problem = (field: string, reason: string, value?: unknown) =>
    problems.push({
      field: `${index}.${field}`,
      ...(value === undefined ? {} : { value: typeof value === 'string' ? value : JSON.stringify(value) }),
      reason,
    });
  let currencyFromMoney: string | undefined;
  for (const [field, value] of Object.entries(record)) {
    if (value === undefined) continue;
    if (!Object.hasOwn(known, field)) {
      problem(field, `unknown field for ${entity}; expected one of ${Object.keys(known).join(', ')}`);
      continue;
    }
    if (money.includes(field)) {
      if (value === null) {
        cells[field] = '';
      } else if (
        !isMoney(value) ||
        !Number.isSafeInteger(value.amount) ||
        !/^[A-Z]{3}$/.test(value.currency)
      ) {
        problem(field, 'expected money as {"amount": integer minor units, "currency": "EUR"}', value);
      } else {
        if (currencyFromMoney && currencyFromMoney !== value.currency) {
          problem(field, `currency ${value.currency} differs from ${currencyFromMoney} in the same record`);
        }
        currencyFromMoney = value.currency;
        const decimal = toMajorString({ amount: value.amount, currency: value.currency });
        const sent = (value as { decimal?: unknown }).decimal;
        if (sent !== undefined && sent !== decimal) {
          problem(field, `decimal "${String(sent)}" disagrees with amount ${value.amount} (${decimal})`);
        }
        cells[field] = decimal;
      }
      continue;
    }
    if (value === null) cells[field] = '';
    else if (typeof value === 'string') cells[field] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) cells[field] = String(value);
    else if (typeof value === 'boolean') cells[field] = value ? 'true' : 'false';
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
      cells[field] = value.join(',');
    else problem(field, 'expected text, a number or a list of text', value);
  }
  if (currencyFromMoney) {
    if (cells.currency && cells.currency.toUpperCase() !== currencyFromMoney) {
      problem('currency', `differs from the amounts' currency ${currencyFromMoney}`, cells.currency);
    }
    cells.currency ??= currencyFromMoney;
  }
  return { cells, problems };
}

/**
 * The columns of a request are the fields its records carry, so a field no record sends is
 * left as it is (a partial update), and `null` clears one. A batch whose records carry
 * different fields is refused: an absent field would read as empty and clear the value on
 * the records that omit it — a silent loss; send `null` where a record has none.
 */
function recordSource(entity: ImportEntity, records: LedgerRecord[]): RowSource<'json'> {
  const present = (r: LedgerRecord) => Object.keys(r).filter((k) => r[k] !== undefined);
  const headers = present(records[0] ?? {});
  const rows: SourceRow[] = [];
  const problems: ErrorDetail[] = [];
  records.forEach((record, index) => {
    const fields = present(record);
    const missing = headers.filter((h) => !fields.includes(h));
    const extra = fields.filter((f) => !headers.includes(f));
    if (missing.length > 0 || extra.length > 0) {
      problems.push({
        field: `${index}`,
        reason:
          'every record of a request must carry the same fields as the first (send null for none)' +
          (missing.length > 0 ? `; missing: ${missing.join(', ')}` : '') +
          (extra.length > 0 ? `; not in the first record: ${extra.join(', ')}` : ''),
      });
    }
    const r = recordCells(entity, record, index);
    problems.push(...r.problems);
    rows.push({ line: index, cells: r.cells });
  });
  // A currency taken from the amounts becomes a column of its own.
  if (rows.some((r) => r.cells.currency !== undefined) && !headers.includes('currency'))
    headers.push('currency');
  // Shape errors (a bare number for money, an unknown field) are the caller's contract, not a
  // row's content: every one is reported at once and nothing is written.
  if (problems.length > 0) {
    throw new AppError(
      'VALIDATION',
      'Invalid records',
      problems.map((p) => ({ ...p, field: `records.${p.field}` })),
    );
  }
  return {
    headers,
    rows: (async function* () {
      yield* rows;
    })(),
    detected: { format: 'json' },
  };
}

export interface ImportRecordsInput {
  entity: ImportEntity;
  records: LedgerRecord[];
  mode: ImportMode;
  actor?: string;
  autoAllocate?: boolean;
}

export async function importRecords(
  db: Kysely<Database>,
  orgId: string,
  input: ImportRecordsInput,
): Promise<ImportSummary> {
  if (input.records.length === 0 || input.records.length > MAX_RECORDS) {
    throw new AppError('VALIDATION', `Send 1 to ${MAX_RECORDS} records per request`, [
      { field: 'records', reason: `${input.records.length} records; 1 to ${MAX_RECORDS} allowed` },
    ]);
  }
  return importFile(db, orgId, {
    entity: input.entity,
    source: recordSource(input.entity, input.records),
    mode: input.mode,
    ...(input.actor ? { actor: input.actor } : {}),
    ...(input.autoAllocate === undefined ? {} : { autoAllocate: input.autoAllocate }),
  });
}
