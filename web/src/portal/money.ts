import type { Money } from '../api';
import { formatMoney } from '../format';

/** Decimal places of a currency (2 for EUR, 0 for JPY), as Intl knows them. */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Minor units to the API's Money shape, exactly (no floating point on the amount). */
export function fromMinor(amount: number, currency: string): Money {
  const digits = currencyDigits(currency);
  const sign = amount < 0 ? '-' : '';
  const abs = String(Math.abs(amount)).padStart(digits + 1, '0');
  const decimal = digits === 0 ? `${sign}${abs}` : `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  return { amount, currency, decimal };
}

export const formatMinor = (amount: number, currency: string, locale: string) =>
  formatMoney(fromMinor(amount, currency), locale);

/** "120,50" or "120.50" typed by the debtor, to minor units; null when it is not an amount. */
export function parseMinor(text: string, currency: string): number | null {
  const t = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (t === '') return 0;
  const digits = currencyDigits(currency);
  const m = /^(\d{1,12})(?:\.(\d+))?$/.exec(t);
  if (!m || (m[2] ?? '').length > digits) return null;
  return Number(m[1]) * 10 ** digits + Number((m[2] ?? '').padEnd(digits, '0') || '0');
}
