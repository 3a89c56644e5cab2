import { Decimal } from 'decimal.js';

/**
 * Money is an integer count of minor units (cents) with its ISO 4217 currency.
 * Never a float: parsing and formatting go through strings and decimal.js.
 */
export interface Money {
  amount: number;
  currency: string;
}

/** Minor-unit exponents that differ from 2 (ISO 4217). */
const EXPONENTS: Record<string, number> = {
  JPY: 0,
  KRW: 0,
  ISK: 0,
  CLP: 0,
  VND: 0,
  XOF: 0,
  XAF: 0,
  XPF: 0,
  HUF: 2,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  TND: 3,
  JOD: 3,
  IQD: 3,
  LYD: 3,
};

/** Currencies we accept. A wide list rather than a library: ISO 4217 changes rarely. */
export const CURRENCIES = new Set([
  'EUR',
  'USD',
  'GBP',
  'CHF',
  'JPY',
  'CAD',
  'AUD',
  'NZD',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CZK',
  'HUF',
  'RON',
  'BGN',
  'ISK',
  'TRY',
  'CNY',
  'HKD',
  'SGD',
  'INR',
  'BRL',
  'MXN',
  'ZAR',
  'MAD',
  'TND',
  'DZD',
  'XOF',
  'XAF',
  'XPF',
  'KRW',
  'AED',
  'SAR',
  'QAR',
  'KWD',
  'BHD',
  'OMR',
  'JOD',
  'IQD',
  'LYD',
  'ILS',
  'EGP',
  'CLP',
  'COP',
  'PEN',
  'ARS',
  'VND',
  'THB',
  'MYR',
  'IDR',
  'PHP',
  'RUB',
  'UAH',
  'RSD',
  'MUR',
]);

export function isCurrency(code: string): boolean {
  return CURRENCIES.has(code);
}

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

/**
 * The largest amount accepted at input, in minor units: 10^13 (100 000 000 000,00 € in a
 * two-decimal currency). Any 900 such amounts still add up below 2^53, and totals are summed
 * as bigint in SQL, so a page can always show them (docs/configuration.md, "Limits").
 */
export const MAX_AMOUNT_MINOR = 10_000_000_000_000;

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount))
    throw new RangeError(`money amount must be a safe integer, got ${amount}`);
  return { amount, currency };
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`currency mismatch: ${a.currency} vs ${b.currency}`);
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}
export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}
export const isZero = (m: Money) => m.amount === 0;
export const sum = (items: Money[], currency: string): Money =>
  items.reduce((acc, m) => add(acc, m), money(0, currency));

/** Decimal value of a minor-unit amount ("123.45" for 12345 EUR). */
export function toDecimal(m: Money): Decimal {
  return new Decimal(m.amount).div(new Decimal(10).pow(currencyExponent(m.currency)));
}

/** Round a decimal major-unit amount to minor units, half away from zero (commercial rounding). */
export function fromDecimal(value: Decimal.Value, currency: string): Money {
  const scaled = new Decimal(value).mul(new Decimal(10).pow(currencyExponent(currency)));
  return money(scaled.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber(), currency);
}

export class MoneyParseError extends Error {}

/**
 * Parse a human-written amount: "1 234,56", "1234.56", "1.234,56", "-12", "1 234,56 €",
 * "€1,234.56", with narrow/no-break spaces as thousands separators. Exact: never via float.
 * Refuses more decimals than the currency has rather than silently rounding.
 */
export function parseAmount(input: string, currency: string): Money {
  const exp = currencyExponent(currency);
  let s = input.trim().replace(/[\s\u00a0\u202f']/g, '');
  s = s.replace(/^(€|\$|£|EUR|USD|GBP|CHF)/i, '').replace(/(€|\$|£|EUR|USD|GBP|CHF)$/i, '');
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1);
  }
  if (s.startsWith('-')) {
    negative = !negative;
    s = s.slice(1);
  } else if (s.startsWith('+')) s = s.slice(1);
  if (!/^[0-9.,]+$/.test(s) || !/[0-9]/.test(s)) throw new MoneyParseError(`"${input}" is not an amount`);
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  let intPart = s;
  let fracPart = '';
  const sepIndex = Math.max(lastComma, lastDot);
  if (sepIndex >= 0) {
    const sep = s[sepIndex];
    const other = sep === ',' ? '.' : ',';
    const occurrences = s.split(sep as string).length - 1;
    const tail = s.slice(sepIndex + 1);
    // "1,234" or "1.234.567": a lone separator followed by exactly 3 digits, with the other
    // separator present before it or repeated, is a thousands separator.
    const isThousands =
      (occurrences > 1 && !s.includes(other)) || (s.includes(other) && s.indexOf(other) > sepIndex);
    if (isThousands) {
      if (
        !s
          .split(sep as string)
          .slice(1)
          .every((g) => g.length === 3)
      ) {
        throw new MoneyParseError(`"${input}" has misplaced thousands separators`);
      }
      intPart = s.replaceAll(sep as string, '').replaceAll(other, '');
    } else {
      intPart = s.slice(0, sepIndex).replaceAll(other, '');
      fracPart = tail;
      const groups = s.slice(0, sepIndex).split(other);
      if (groups.length > 1 && !groups.slice(1).every((g) => g.length === 3)) {
        throw new MoneyParseError(`"${input}" has misplaced thousands separators`);
      }
    }
  }
  if (!/^[0-9]*$/.test(intPart) || !/^[0-9]*$/.test(fracPart)) {
    throw new MoneyParseError(`"${input}" is not an amount`);
  }
  if (fracPart.length > exp) {
    if (/^0*$/.test(fracPart.slice(exp))) fracPart = fracPart.slice(0, exp);
    else throw new MoneyParseError(`"${input}" has more than ${exp} decimals for ${currency}`);
  }
  const minor = BigInt(intPart || '0') * 10n ** BigInt(exp) + BigInt(fracPart.padEnd(exp, '0') || '0');
  if (minor > BigInt(MAX_AMOUNT_MINOR)) {
    throw new MoneyParseError(
      `"${input}" is too large (the maximum is ${toMajorString({ amount: MAX_AMOUNT_MINOR, currency })})`,
    );
  }
  const n = Number(minor);
  return money(negative ? -n : n, currency);
}

/** "1 234,56 €" in fr-FR, "€1,234.56" in en-GB: Intl formatting of the exact decimal string. */
const moneyFormatters = new Map<string, Intl.NumberFormat>();

/** "1 234,56 €" in fr-FR, "€1,234.56" in en-GB: Intl formatting of the exact decimal string. */
export function formatMoney(m: Money, locale = 'fr-FR'): string {
  const exp = currencyExponent(m.currency);
  const key = `${locale}|${m.currency}`;
  let f = moneyFormatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: m.currency,
      minimumFractionDigits: exp,
      maximumFractionDigits: exp,
    });
    moneyFormatters.set(key, f);
  }
  // Intl accepts decimal strings exactly (no float round trip) since ES2023.
  return f.format(toDecimal(m).toFixed(exp) as unknown as number);
}

/** Plain decimal string with a dot ("1234.56"), for exports and APIs. */
export function toMajorString(m: Money): string {
  return toDecimal(m).toFixed(currencyExponent(m.currency));
}

/**
 * Split an amount into `parts` integer shares that add up exactly; the remainder cents go
 * to the first shares (payment plans, instalments).
 */
export function allocateEvenly(total: Money, parts: number): Money[] {
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError('parts must be a positive integer');
  const base = Math.trunc(total.amount / parts);
  const remainder = total.amount - base * parts;
  return Array.from({ length: parts }, (_, i) =>
    money(base + (i < Math.abs(remainder) ? Math.sign(remainder) : 0), total.currency),
  );
}
