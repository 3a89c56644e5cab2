import Handlebars from 'handlebars';
import { currencyExponent, type Money, toDecimal } from '../money/index.js';
import type { TemplateView } from './variables.js';

/**
 * One isolated Handlebars environment (no global helpers leak between modules). HTML
 * templates are compiled with escaping and text/SMS/letter templates without it; helpers
 * format with the template's locale so "1 234,56 €" in French and "€1,234.56" in English.
 */
export const hbs = Handlebars.create();

type HelperOptions = Handlebars.HelperOptions;

function rootOf(options: HelperOptions): TemplateView {
  return options.data.root as TemplateView;
}

// Building an Intl formatter costs far more than formatting (profiled: most of a render),
// so formatters are built once per locale and style/currency.
const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const moneyFormatters = new Map<string, Intl.NumberFormat>();

function dateFormat(iso: string, locale: string, style: 'long' | 'short'): string {
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  const key = `${locale}|${style}`;
  let f = dateFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone: 'UTC',
      day: style === 'long' ? 'numeric' : '2-digit',
      month: style === 'long' ? 'long' : '2-digit',
      year: 'numeric',
    });
    dateFormatters.set(key, f);
  }
  return f.format(d);
}

/** Same output as formatMoney (src/domain/money), with the formatter cached; a test holds them equal. */
export function formatMoneyCached(m: Money, locale: string): string {
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
  // Intl formats a decimal string exactly (no float round trip).
  return f.format(toDecimal(m).toFixed(exp) as unknown as number);
}

hbs.registerHelper('money', (amountMinor: unknown, currency: unknown, options: HelperOptions) => {
  if (typeof amountMinor !== 'number' || typeof currency !== 'string') return '';
  return formatMoneyCached({ amount: amountMinor, currency }, rootOf(options).intlLocale);
});

hbs.registerHelper('date', (iso: unknown, options: HelperOptions) =>
  typeof iso === 'string' ? dateFormat(iso, rootOf(options).intlLocale, 'long') : '',
);

hbs.registerHelper('dateShort', (iso: unknown, options: HelperOptions) =>
  typeof iso === 'string' ? dateFormat(iso, rootOf(options).intlLocale, 'short') : '',
);

/** {{plural n "facture" "factures"}} */
hbs.registerHelper('plural', (n: unknown, one: unknown, other: unknown) => (n === 1 ? one : other));

hbs.registerHelper('gt', (a: unknown, b: unknown) => typeof a === 'number' && typeof b === 'number' && a > b);

/** Totals joined: "1 234,56 € + 12,00 $". */
hbs.registerHelper('totals', (options: HelperOptions) => {
  const root = rootOf(options);
  return root.totals
    .map((t) => formatMoneyCached({ amount: t.balanceMinor, currency: t.currency }, root.intlLocale))
    .join(' + ');
});

export const compileHtml = (source: string) => hbs.compile(source, { strict: false, noEscape: false });
export const compileText = (source: string) => hbs.compile(source, { strict: false, noEscape: true });
