import { CellError } from './parse.js';

/**
 * Day/month order of a date column, decided from the whole column (issue 17 §3), and the
 * boolean cells of flags such as "disputed". Pure: the importer feeds every value of the
 * column first, then parses each cell with the order decided — a file is never read half in
 * one order and half in the other.
 *
 * - A value with a first number above 12 ("26/1/2013") can only be day-first; a second number
 *   above 12 ("1/26/2013") only month-first. One such value decides the column.
 * - Values of both kinds in one column: refused, naming a line of each.
 * - Only values that read both ways ("03/04/2013"): refused, asking for --date-format,
 *   unless a default order is given (the organisation's locale) — never guessed silently.
 * - ISO yyyy-mm-dd needs no decision and mixes with either.
 */
export type DateOrder = 'dmy' | 'mdy';

export type DateOrderDecision =
  | { ok: true; order: DateOrder | null; decidedBy?: { line: number; value: string } }
  | { ok: false; reason: string; lines: number[] };

const SLASHED = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$/;
const ISO = /^\d{4}-\d{2}-\d{2}$/;

export class DateOrderInference {
  private dayFirst: { line: number; value: string } | undefined;
  private monthFirst: { line: number; value: string } | undefined;
  private ambiguous: { line: number; value: string } | undefined;

  add(line: number, raw: string): void {
    const s = raw.trim();
    if (s === '' || ISO.test(s)) return;
    const m = SLASHED.exec(s);
    if (!m) return;
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a > 12 && b <= 12) this.dayFirst ??= { line, value: s };
    else if (b > 12 && a <= 12) this.monthFirst ??= { line, value: s };
    else if (a !== b) this.ambiguous ??= { line, value: s };
  }

  decide(column: string, fallback?: DateOrder): DateOrderDecision {
    const d = this.dayFirst;
    const m = this.monthFirst;
    if (d && m) {
      return {
        ok: false,
        reason: `column "${column}" mixes day-first dates ("${d.value}", line ${d.line}) and month-first dates ("${m.value}", line ${m.line})`,
        lines: [d.line, m.line],
      };
    }
    if (d) return { ok: true, order: 'dmy', decidedBy: d };
    if (m) return { ok: true, order: 'mdy', decidedBy: m };
    if (this.ambiguous) {
      if (fallback) return { ok: true, order: fallback };
      const a = this.ambiguous;
      return {
        ok: false,
        reason: `column "${column}": every date reads both as day/month and month/day (e.g. "${a.value}", line ${a.line}); say which with --date-format DD/MM/YYYY or MM/DD/YYYY`,
        lines: [a.line],
      };
    }
    return { ok: true, order: null };
  }
}

/** `--date-format`: DD/MM/YYYY, MM/DD/YYYY, YYYY-MM-DD (any of / . - as separator). */
export function parseDateFormatOption(fmt: string): DateOrder | 'iso' | CellError {
  const f = fmt.trim().toUpperCase().replace(/[.-]/g, '/');
  if (/^D{1,2}\/M{1,2}\/Y{2,4}$/.test(f)) return 'dmy';
  if (/^M{1,2}\/D{1,2}\/Y{2,4}$/.test(f)) return 'mdy';
  if (/^Y{4}\/M{2}\/D{2}$/.test(f)) return 'iso';
  return new CellError('unknown date format (use DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD)');
}

function valid(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** One cell with the column's order; ISO always accepted. Two-digit years are 20yy. */
export function parseDateInOrder(raw: string, order: DateOrder | null): string | CellError {
  const s = raw.trim();
  if (ISO.test(s)) {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    return valid(y, m, d) ? s : new CellError('not a calendar date');
  }
  const x = SLASHED.exec(s);
  if (!x) return new CellError('not a date');
  const a = Number(x[1]);
  const b = Number(x[2]);
  const yRaw = x[3] ?? '';
  const y = yRaw.length === 2 ? 2000 + Number(yRaw) : Number(yRaw);
  let day: number;
  let month: number;
  if (order === 'mdy') {
    month = a;
    day = b;
  } else if (order === 'dmy') {
    day = a;
    month = b;
  } else if (a === b) {
    day = a;
    month = b;
  } else return new CellError('the day/month order of this column is not decided: use --date-format');
  if (!valid(y, month, day))
    return new CellError(`not a calendar date in ${order === 'mdy' ? 'month/day' : 'day/month'} order`);
  return `${String(y).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const TRUE = new Set(['yes', 'y', 'oui', 'o', '1', 'true', 'vrai', 'x']);
const FALSE = new Set(['no', 'n', 'non', '0', 'false', 'faux', '']);

/** Flags: Yes/No, Oui/Non, 1/0, true/false (any case); empty is false. */
export function parseBooleanCell(raw: string): boolean | CellError {
  const s = raw.trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return new CellError('not a yes/no value (Yes/No, Oui/Non, 1/0, true/false)');
}
