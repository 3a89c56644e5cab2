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
): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') s = String(value);
  else s = FORMULA_START.test(value) ? `'${value}` : value;
  if (s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r')) {
    return `"${s.replaceAll('"', '""')}"`;
  }
  return s;
}

/** A CSV line (no line terminator) from cells. */
export function toCsvLine(
  cells: (string | number | bigint | boolean | null | undefined)[],
  delimiter = ',',
): string {
  return cells.map((c) => toCsvCell(c, delimiter)).join(delimiter);
}
