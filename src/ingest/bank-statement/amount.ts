import { currencyExponent, isCurrency } from '../../domain/money/index.js';
import { AppError, type ErrorDetail } from '../../errors.js';

export function rejected(message: string, detail: ErrorDetail): AppError {
  return new AppError('IMPORT_REJECTED', message, [detail]);
}

export function checkCurrency(currency: string, where: Omit<ErrorDetail, 'reason'>): string {
  const ccy = currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(ccy) || !isCurrency(ccy))
    throw rejected(`${where.field ?? 'currency'}: unknown currency "${currency}"`, {
      ...where,
      value: currency,
      reason: 'must be an ISO 4217 currency code',
    });
  return ccy;
}

/**
 * A signed decimal amount as banks write it ("-1 234,56", "1234.5", "9,") read digit by digit
 * into minor units of the currency. `decimal` says which mark separates the fraction; the
 * other one (and spaces) may group thousands.
 */
export function parseSignedAmount(
  text: string,
  currency: string,
  decimal: ',' | '.',
  where: Omit<ErrorDetail, 'reason'>,
): number {
  const raw = text.trim();
  const grouping = decimal === ',' ? /[.\s\u00a0\u202f']/g : /[,\s\u00a0\u202f']/g;
  const cleaned = raw.replace(grouping, '');
  const m = /^([+-]?)([0-9]*)(?:[.,]([0-9]*))?$/.exec(cleaned);
  const sepOk = decimal === ',' ? !cleaned.includes('.') : !cleaned.includes(',');
  if (!m || !sepOk || `${m[2] ?? ''}${m[3] ?? ''}` === '') {
    throw rejected(`${describe(where)}: "${raw}" is not an amount`, {
      ...where,
      value: raw,
      reason: `must be a number with "${decimal}" as the decimal mark`,
    });
  }
  const exponent = currencyExponent(currency);
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent)
    throw rejected(`${describe(where)}: "${raw}" has more decimals than ${currency} allows`, {
      ...where,
      value: raw,
      reason: `at most ${exponent} decimals for ${currency}`,
    });
  const minor = BigInt(m[2] || '0') * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER))
    throw rejected(`${describe(where)}: "${raw}" is too large`, {
      ...where,
      value: raw,
      reason: 'too large',
    });
  return m[1] === '-' ? -Number(minor) : Number(minor);
}

export function describe(where: Omit<ErrorDetail, 'reason'>): string {
  return [where.line !== undefined ? `line ${where.line}` : '', where.field ?? ''].filter(Boolean).join(', ');
}

/** A calendar date that exists, from its parts; 2-digit years are 20YY. */
export function isoDate(year: number, month: number, day: number): string | undefined {
  const y = year < 100 ? 2000 + year : year;
  const d = new Date(Date.UTC(y, month - 1, day));
  if (d.getUTCFullYear() !== y || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return `${String(y).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function formatMinor(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = String(Math.abs(minor)).padStart(exponent + 1, '0');
  return exponent === 0
    ? `${sign}${abs} ${currency}`
    : `${sign}${abs.slice(0, -exponent)}.${abs.slice(-exponent)} ${currency}`;
}
