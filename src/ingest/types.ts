/** One data row of a source file, keyed by the header as written in the file. */
export interface SourceRow {
  /** 1-based line in the file where the row starts (the header is line 1 in CSV). */
  line: number;
  cells: Record<string, string>;
  /**
   * Set when the row could not be read as a whole (truncated, extra fields, broken quotes):
   * the row still counts as read and is rejected with this reason, never silently dropped.
   */
  problem?: string;
}

/** F: the format detected; 'json' for records sent to the API (services/imports/import-records.ts). */
export interface RowSource<F extends string = 'csv' | 'xlsx'> {
  headers: string[];
  rows: AsyncIterable<SourceRow>;
  /** What the reader detected, reported back to the user. */
  detected: { format: F; encoding?: string; delimiter?: string; sheet?: string };
}
