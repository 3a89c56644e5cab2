import type { Money } from './api';

/** Minor units to a localised amount ("1 234,56 €"), exact: the server's decimal string is used. */
export function formatMoney(m: Money, locale: string): string {
  const digits = m.decimal.includes('.') ? (m.decimal.split('.')[1]?.length ?? 0) : 0;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: m.currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(Number(m.decimal));
}

export function formatNumber(n: number, locale: string, fractionDigits = 0): string {
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(n);
}

/** A business date 'YYYY-MM-DD' shown as a calendar date, without time-zone shifts. */
export function formatDate(iso: string, locale: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'medium' }).format(
    new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)),
  );
}
