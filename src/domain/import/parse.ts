import { isIsoDate } from '../calendar/dates.js';
import { currencyExponent, isCurrency, MoneyParseError, parseAmount } from '../money/money.js';

/** A cell that failed to parse: the reason is shown to the user next to the line and column. */
export class CellError {
  constructor(public readonly reason: string) {}
}

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/;

/**
 * Business date from ISO "2026-03-31" or the French day-first forms "31/03/2026",
 * "31-03-2026", "31.03.2026" (two-digit years are 20yy). Never month-first: in a French
 * ledger 03/04 is the 3rd of April.
 */
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function digits(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** dd/mm/yyyy or yyyy-mm-dd with every digit in place, checked without regex or Date (hot path). */
function fastDate(s: string): string | undefined {
  if (s.length !== 10) return undefined;
  const sep = s[2];
  let y: string;
  let m: string;
  let d: string;
  if (
    (sep === '/' || sep === '.' || sep === '-') &&
    s[5] === sep &&
    digits(s, 0, 2) &&
    digits(s, 3, 5) &&
    digits(s, 6, 10)
  ) {
    d = s.slice(0, 2);
    m = s.slice(3, 5);
    y = s.slice(6, 10);
  } else if (s[4] === '-' && s[7] === '-' && digits(s, 0, 4) && digits(s, 5, 7) && digits(s, 8, 10)) {
    y = s.slice(0, 4);
    m = s.slice(5, 7);
    d = s.slice(8, 10);
  } else return undefined;
  const [yn, mn, dn] = [Number(y), Number(m), Number(d)];
  if (mn < 1 || mn > 12 || dn < 1) return undefined;
  const leap = (yn % 4 === 0 && yn % 100 !== 0) || yn % 400 === 0;
  const max = mn === 2 && leap ? 29 : (DAYS_IN_MONTH[mn - 1] ?? 0);
  return dn <= max ? `${y}-${m}-${d}` : undefined;
}

export function parseDateCell(raw: string): string | CellError {
  const fast = fastDate(raw);
  if (fast !== undefined) return fast;
  const s = raw.trim();
  let y: string;
  let m: string;
  let d: string;
  const iso = ISO.exec(s);
  const dmy = iso ? null : DMY.exec(s);
  if (iso) [, y = '', m = '', d = ''] = iso;
  else if (dmy) {
    [, d = '', m = '', y = ''] = dmy;
    if (y.length === 2) y = `20${y}`;
  } else return new CellError('not a date (expected yyyy-mm-dd or dd/mm/yyyy)');
  const out = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  if (!isIsoDate(out)) return new CellError('not a calendar date');
  return out;
}

/** Minor units from "1 234,56", "1234.56", "1.234,56 €"…; refuses more decimals than the currency has. */
// At most 11 integer digits: always below MAX_AMOUNT_MINOR; longer ones take the checked path.
const SIMPLE_AMOUNT = /^(\d{1,11})(?:[.,](\d{1,2}))?$/;

export function parseAmountCell(raw: string, currency: string): number | CellError {
  // Hot path for the plain "1234,56" / "1234.56" of machine exports, exact in integers.
  const m = currencyExponent(currency) === 2 ? SIMPLE_AMOUNT.exec(raw) : null;
  if (m) return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  try {
    return parseAmount(raw, currency).amount;
  } catch (e) {
    if (e instanceof MoneyParseError || e instanceof RangeError) return new CellError(e.message);
    throw e;
  }
}

export function parseCurrencyCell(raw: string): string | CellError {
  const s = raw.trim().toUpperCase();
  const symbol: Record<string, string> = { '€': 'EUR', $: 'USD', '£': 'GBP' };
  const code = symbol[s] ?? s;
  if (!isCurrency(code)) return new CellError('not an ISO 4217 currency code');
  return code;
}

export function parseIntegerCell(raw: string, min: number, max: number): number | CellError {
  const m = /^\s*(\d+)(?:\s*(?:j|jours?|d|days?))?\s*$/i.exec(raw);
  if (!m) return new CellError('not a whole number');
  const n = Number(m[1]);
  if (n < min || n > max) return new CellError(`must be between ${min} and ${max}`);
  return n;
}

/** Fold case, accents and spacing so "Prélèvement SEPA" matches "prelevement sepa". */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();
}

export function parseChoice<T extends string>(
  raw: string,
  choices: Record<string, T>,
  expected: string,
): T | CellError {
  const hit = choices[fold(raw)];
  return hit ?? new CellError(`expected ${expected}`);
}

/** Several invoice numbers in one cell, separated by "," ";" or "|". */
export function splitNumbers(raw: string): string[] {
  const out: string[] = [];
  for (const part of raw.split(/[,;|]/)) {
    const t = part.trim();
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}
