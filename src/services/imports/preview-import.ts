import type { Kysely } from 'kysely';
import type { ImportEntity, ImportMode } from '../../db/schema/imports.js';
import type { Database } from '../../db/schema/index.js';
import { AppError, type ErrorDetail } from '../../errors.js';
import { FIELDS, normaliseHeader, planColumns, REQUIRED } from '../../ingest/mapping.js';
import { openSource } from '../../ingest/open-source.js';
import { importFile } from './import-file.js';
import type { ImportRowError } from './types.js';

const SAMPLE_ROWS = 20;
const LISTED_ERRORS = 500;

export interface ImportPreview {
  entity: ImportEntity;
  detected: { format: 'csv' | 'xlsx'; encoding?: string; delimiter?: string; sheet?: string };
  headers: string[];
  /** Source header → canonical field, or null when the column would be ignored. */
  columns: Record<string, string | null>;
  /** The fields of this entity, for the mapping editor; `required` ones must be mapped. */
  fields: { name: string; required: boolean }[];
  /** Why the columns cannot be imported as mapped (missing required field…); rows are not checked then. */
  mappingProblems: ErrorDetail[];
  /** The first rows as read, keyed by header. */
  sample: { line: number; cells: Record<string, string> }[];
  rowsRead: number;
  rowsWithErrors: number;
  /** What accepting the valid rows would do. */
  created: number;
  updated: number;
  unchanged: number;
  customersCreated: number;
  errors: ImportRowError[];
  errorsOmitted: number;
}

/** Header → field as the synonyms and the user's mapping suggest, even when the plan fails. */
function suggestColumns(
  entity: ImportEntity,
  headers: string[],
  mapping: Record<string, string>,
): Record<string, string | null> {
  const byNorm = new Map<string, string>();
  for (const [field, synonyms] of Object.entries(FIELDS[entity])) {
    for (const s of [field, ...synonyms])
      if (!byNorm.has(normaliseHeader(s))) byNorm.set(normaliseHeader(s), field);
  }
  const taken = new Set<string>();
  const out: Record<string, string | null> = {};
  for (const h of headers) {
    const user = mapping[h];
    const field =
      user !== undefined ? (user in FIELDS[entity] ? user : null) : (byNorm.get(normaliseHeader(h)) ?? null);
    out[h] = field && !taken.has(field) ? field : null;
    if (field) taken.add(field);
  }
  return out;
}

/**
 * Show what importing a file would do without keeping anything: the detected columns, the
 * first rows, every row error and the counts, from the real import run in dry-run mode
 * (the same validation and ledger checks, in a transaction that is rolled back). The
 * confirmation is the ordinary import of the same file with the mapping the user settled on.
 */
export async function previewImport(
  db: Kysely<Database>,
  orgId: string,
  opts: {
    entity: ImportEntity;
    input: Buffer;
    filename?: string;
    mapping?: Record<string, string>;
    mode?: ImportMode;
    /** As the import's --date-format / --decimal-separator. */
    dateFormat?: string;
    decimalSeparator?: string;
  },
): Promise<ImportPreview> {
  const { entity, input } = opts;
  const mapping = opts.mapping ?? {};
  const source = await openSource(input, opts.filename ? { filename: opts.filename } : {});
  const sample: ImportPreview['sample'] = [];
  for await (const row of source.rows) {
    sample.push({ line: row.line, cells: row.cells });
    if (sample.length >= SAMPLE_ROWS) break;
  }
  const required = new Set(REQUIRED[entity].flat());
  const base = {
    entity,
    detected: source.detected,
    headers: source.headers,
    fields: Object.keys(FIELDS[entity]).map((name) => ({ name, required: required.has(name) })),
    sample,
  };
  let columns: Record<string, string | null> = {};
  let summary: Awaited<ReturnType<typeof importFile>>;
  try {
    const plan = planColumns(entity, source.headers, mapping);
    columns = Object.fromEntries(source.headers.map((h) => [h, plan.columns[h] ?? null]));
    summary = await importFile(db, orgId, {
      entity,
      input,
      mode: opts.mode ?? 'accept-valid',
      dryRun: true,
      ...(opts.filename ? { filename: opts.filename } : {}),
      ...(opts.mapping ? { mapping: opts.mapping } : {}),
      ...(opts.dateFormat ? { dateFormat: opts.dateFormat } : {}),
      ...(opts.decimalSeparator ? { decimalSeparator: opts.decimalSeparator } : {}),
    });
  } catch (e) {
    // Columns that cannot be mapped, or dates whose order the file does not decide (issue 17
    // §3): shown next to the mapping, and the import cannot be confirmed until fixed.
    if (!(e instanceof AppError) || e.code !== 'VALIDATION') throw e;
    return {
      ...base,
      columns: suggestColumns(entity, source.headers, mapping),
      mappingProblems: e.details,
      rowsRead: 0,
      rowsWithErrors: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      customersCreated: 0,
      errors: [],
      errorsOmitted: 0,
    };
  }
  return {
    ...base,
    columns,
    mappingProblems: [],
    rowsRead: summary.rowsRead,
    rowsWithErrors: summary.rowsWithErrors ?? summary.rejected,
    created: summary.created,
    updated: summary.updated,
    unchanged: summary.unchanged,
    customersCreated: summary.customersCreated ?? 0,
    errors: summary.errors.slice(0, LISTED_ERRORS),
    errorsOmitted: Math.max(0, summary.errors.length - LISTED_ERRORS) + (summary.errorsOmitted ?? 0),
  };
}
