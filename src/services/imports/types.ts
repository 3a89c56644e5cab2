import type { Readable } from 'node:stream';
import type { ImportEntity, ImportMode } from '../../db/schema/imports.js';
import type { RowSource } from '../../ingest/types.js';

/**
 * The contract shared by the import use case, the CLI (`relance import …`) and the HTTP
 * API (POST /imports/:entity). Implemented in ./import-file.ts.
 */
export interface ImportRowError {
  /** 1-based line in the source file (the header is line 1 for CSV). */
  line: number;
  /** Source column header as written in the file, when the error is about one field. */
  column?: string;
  /** Canonical field name (invoiceNumber, dueDate, …). */
  field?: string;
  value?: string;
  reason: string;
}

export interface ImportOptions {
  entity: ImportEntity;
  /** File content: a stream (CLI, large files) or a buffer (API upload). */
  input?: Readable | Buffer;
  /** Rows already read (JSON records from the API, see import-records.ts), instead of `input`. */
  source?: RowSource<'csv' | 'xlsx' | 'json'>;
  filename?: string;
  /** 'csv' | 'xlsx'; guessed from filename/magic bytes when absent. */
  format?: 'csv' | 'xlsx';
  mode: ImportMode;
  /** Source header → canonical field, on top of the built-in French/English synonyms. */
  mapping?: Record<string, string>;
  /** Called every few thousand rows with the rows read so far (terminal progress bar). */
  onProgress?: (rowsRead: number) => void;
  actor?: string;
  /**
   * Payments naming no invoice settle the customer's oldest open invoices (Code civil
   * art. 1342-10). Default: the organisation's `settings.autoAllocatePayments`, else false
   * (the payment stays unallocated credit on the customer).
   */
  autoAllocate?: boolean;
  /**
   * Dates accepted, inclusive (yyyy-mm-dd). Default: DEFAULT_YEARS_BACK years before today
   * to DEFAULT_YEARS_AHEAD after (RELANCE_IMPORT_YEARS_BACK / _AHEAD in the CLI and API).
   */
  dateWindow?: { from: string; to: string };
  /**
   * Invoice rows naming an unknown customer reference with a name create that customer.
   * Off by default: an unknown reference is rejected, naming a look-alike if there is one.
   */
  createCustomers?: boolean;
  /**
   * How the file writes dates: DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD (`--date-format`).
   * Without it the day/month order of each date column is decided from the whole file.
   */
  dateFormat?: string;
  /** "." or "," (`--decimal-separator`); without it "1 234,56" and "1,234.56" both read. */
  decimalSeparator?: string;
  /** Rows per write batch (default 5,000). */
  batchSize?: number;
  /**
   * Run every check and every write, then roll back: nothing is kept, not even the batch
   * record. The summary says what the import would do (the import preview).
   */
  dryRun?: boolean;
}

export interface ImportSummary {
  batchId: string;
  entity: ImportEntity;
  mode: ImportMode;
  status: 'committed' | 'rejected';
  rowsRead: number;
  accepted: number;
  rejected: number;
  created: number;
  updated: number;
  unchanged: number;
  /** All row errors (the CLI writes them to a reject report, the API returns them). */
  errors: ImportRowError[];
  /** Canonical field for each source header that was recognised. */
  columns: Record<string, string>;
  /** Headers present in the file but not imported. */
  ignoredColumns?: string[];
  /**
   * Rows with at least one error. Equals `rejected` in accept-valid mode; in a rejected
   * all-or-nothing import every row counts as rejected, and this says how many were bad.
   */
  rowsWithErrors?: number;
  /** Errors beyond the first 100,000 are counted here, not listed. */
  errorsOmitted?: number;
  /** Customers created by an invoice import from a reference + name pair. */
  customersCreated?: number;
  /**
   * How each date column was read: source header → 'day/month', 'month/day' or 'iso', and
   * what decided it (a value, another column, --date-format).
   */
  dateColumns?: Record<string, { order: 'day/month' | 'month/day' | 'iso'; decidedBy: string }>;
  /** Disputes opened from a disputed flag column (invoices with something left to pay). */
  disputesOpened?: number;
  /** Set when nothing was kept (ImportOptions.dryRun). */
  dryRun?: boolean;
  /** What the reader detected: format, encoding, separator, worksheet. */
  detected?: { format: 'csv' | 'xlsx' | 'json'; encoding?: string; delimiter?: string; sheet?: string };
}
