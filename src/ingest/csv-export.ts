/**
 * Cells that a spreadsheet would run as a formula when the exported file is opened
 * (CSV injection, OWASP): "=HYPERLINK(…)", "+…", "-…", "@…", and tab/CR tricks.
 * Imported text is stored as is; it is neutralised here, on the way out.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: text that could start a formula gets a leading apostrophe (shown as text
 * by Excel/LibreOffice), then the cell is quoted when it holds the separator, a quote or a
 * line break. Numbers are written as numbers, so negative amounts stay numeric.
 */
export function toCsvCell(
  value: string | number | bigint | boolean | null | undefined,
  delimiter = ',',
  quoteText = false,
): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  const s = FORMULA_START.test(value) ? `'${value}` : value;
  // Any separator a spreadsheet might split on, not only ours: French Excel splits a
  // comma-separated file on ";" and would run the "=1+1" of "x;=1+1". Inside quotes it does not.
  if (quoteText || SPLITTERS.test(s)) return `"${s.replaceAll('"', '""')}"`;
  if (s.includes(delimiter)) return `"${s}"`;
  return s;
}

const SPLITTERS = /[,;\t"\n\r]/;

/** A CSV line (no line terminator) from cells. */
export function toCsvLine(
  cells: (string | number | bigint | boolean | null | undefined)[],
  delimiter = ',',
  quoteText = false,
): string {
  return cells.map((c) => toCsvCell(c, delimiter, quoteText)).join(delimiter);
}

export interface RejectedRow {
  line: number;
  column?: string;
  field?: string;
  value?: string;
  reason: string;
}

/**
 * The reject report of an import as CSV (UTF-8 with BOM so Excel reads the accents):
 * one line per error. Values come from the user's file and may be hostile, hence toCsvCell.
 */
export function formatRejectReport(errors: RejectedRow[], delimiter = ';'): string {
  const lines = [toCsvLine(['line', 'column', 'field', 'value', 'reason'], delimiter, true)];
  for (const e of errors)
    lines.push(toCsvLine([e.line, e.column, e.field, e.value, e.reason], delimiter, true));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
