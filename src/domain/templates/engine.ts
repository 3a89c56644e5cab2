import Handlebars from 'handlebars';
import { formatMoney } from '../money/index.js';
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

function dateFormat(iso: string, locale: string, style: 'long' | 'short'): string {
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    day: style === 'long' ? 'numeric' : '2-digit',
    month: style === 'long' ? 'long' : '2-digit',
    year: 'numeric',
  }).format(d);
}

hbs.registerHelper('money', (amountMinor: unknown, currency: unknown, options: HelperOptions) => {
  if (typeof amountMinor !== 'number' || typeof currency !== 'string') return '';
  return formatMoney({ amount: amountMinor, currency }, rootOf(options).intlLocale);
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
    .map((t) => formatMoney({ amount: t.balanceMinor, currency: t.currency }, root.intlLocale))
    .join(' + ');
});

export const compileHtml = (source: string) => hbs.compile(source, { strict: false, noEscape: false });
export const compileText = (source: string) => hbs.compile(source, { strict: false, noEscape: true });
