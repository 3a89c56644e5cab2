import { sirenProblem, siretProblem } from '../solvency/siren.js';
import { type DateOrder, parseBooleanCell, parseDateInOrder } from './date-order.js';
import { type DecimalSeparator, normaliseAmountText } from './decimal-separator.js';
import {
  CellError,
  fold,
  parseAmountCell,
  parseChoice,
  parseCurrencyCell,
  parseDateCell,
  parseIntegerCell,
  splitNumbers,
} from './parse.js';
import { type RowError, RowReader } from './row.js';

export interface ValidateContext {
  /** The organisation's currency, used when the file has no currency column or cell. */
  defaultCurrency: string;
  byField: Record<string, string>;
  /**
   * Plausible dates, inclusive (yyyy-mm-dd): a date outside is rejected rather than stored
   * (year 0001 made "45,935 days overdue"). Unset: no bound.
   */
  dateWindow?: { from: string; to: string };
  /**
   * Day/month order of each date field, decided from the whole file before any row is
   * validated (import-file.ts) or given by --date-format ('iso': only yyyy-mm-dd). A field
   * absent here reads ISO or day-first (JSON records, the historical French default).
   */
  dateOrders?: Record<string, DateOrder | 'iso' | null>;
  /** --decimal-separator: amounts are read with it, the other character only groups thousands. */
  decimalSeparator?: DecimalSeparator;
}

const ISO_DAY = /^\d{4}-\d{1,2}-\d{1,2}(?:[T ].*)?$/;

/** A date cell of `field` in the order decided for its column. */
export function parseDateOf(ctx: ValidateContext, field: string, raw: string): string | CellError {
  const order = ctx.dateOrders?.[field];
  if (order === undefined || ISO_DAY.test(raw.trim())) return parseDateCell(raw);
  if (order === 'iso') return new CellError('not a date in the YYYY-MM-DD format given by --date-format');
  return parseDateInOrder(raw, order);
}

/** An amount cell, read with the import's decimal separator when one is given. */
export function parseAmountOf(ctx: ValidateContext, raw: string, currency: string): number | CellError {
  if (!ctx.decimalSeparator) return parseAmountCell(raw, currency);
  const t = normaliseAmountText(raw, ctx.decimalSeparator);
  return t instanceof CellError ? t : parseAmountCell(t, currency);
}

/** A date cell, refused outside the context's plausible window. */
function plausibleDate(ctx: ValidateContext, field: string) {
  return (raw: string): string | CellError => {
    const d = parseDateOf(ctx, field, raw);
    if (d instanceof CellError || !ctx.dateWindow) return d;
    if (d < ctx.dateWindow.from || d > ctx.dateWindow.to) {
      return new CellError(
        `implausible date: outside ${ctx.dateWindow.from} to ${ctx.dateWindow.to} (the import's date window)`,
      );
    }
    return d;
  };
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: RowError[] };

export interface CustomerRecord {
  line: number;
  externalRef: string;
  name: string;
  kind: 'b2b' | 'b2c' | null;
  siren: string | null;
  siret: string | null;
  vatNumber: string | null;
  address1: string | null;
  address2: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  segment: 'strategic' | 'standard' | null;
  creditLimit: number | null;
  currency: string | null;
  language: 'fr' | 'en' | null;
  email: string | null;
  phone: string | null;
  contactName: string | null;
  assignedCollector: string | null;
  paymentTermsDays: number | null;
}

export interface InvoiceRecord {
  line: number;
  invoiceNumber: string;
  customerRef: string;
  customerName: string | null;
  externalId: string | null;
  issueDate: string;
  dueDate: string;
  performanceDate: string | null;
  currency: string;
  net: number;
  tax: number;
  gross: number;
  /** Amount already paid before the import (null when the file does not say). */
  paidAmount: number | null;
  /** The day the amount above was paid (a settled-date column); null: the import day. */
  paidOn: string | null;
  /** A disputed flag column (Yes/No…): true opens a dispute; null when the file has none. */
  disputed: boolean | null;
  paymentTerms: string | null;
  poReference: string | null;
  description: string | null;
}

export type PaymentMethod = 'transfer' | 'direct_debit' | 'card' | 'cheque' | 'cash' | 'other';

export interface PaymentRecord {
  line: number;
  paymentReference: string;
  customerRef: string;
  receivedOn: string;
  amount: number;
  currency: string;
  method: PaymentMethod;
  invoiceNumbers: string[];
  bankReference: string | null;
}

export interface CreditNoteRecord {
  line: number;
  creditNoteNumber: string;
  customerRef: string;
  invoiceNumber: string | null;
  issueDate: string;
  currency: string;
  net: number;
  tax: number;
  gross: number;
  reason: string | null;
}

function done<T>(r: RowReader, value: T): Validated<T> {
  return r.errors.length > 0 ? { ok: false, errors: r.errors } : { ok: true, value };
}

function currencyOf(r: RowReader, ctx: ValidateContext): string {
  return r.parse('currency', parseCurrencyCell) ?? ctx.defaultCurrency;
}

const KINDS: Record<string, 'b2b' | 'b2c'> = {
  b2b: 'b2b',
  b2c: 'b2c',
  entreprise: 'b2b',
  professionnel: 'b2b',
  pro: 'b2b',
  business: 'b2b',
  company: 'b2b',
  particulier: 'b2c',
  consommateur: 'b2c',
  consumer: 'b2c',
  individual: 'b2c',
};
const SEGMENTS: Record<string, 'strategic' | 'standard'> = {
  strategic: 'strategic',
  strategique: 'strategic',
  key: 'strategic',
  'grand compte': 'strategic',
  standard: 'standard',
};
const LANGUAGES: Record<string, 'fr' | 'en'> = {
  fr: 'fr',
  francais: 'fr',
  french: 'fr',
  'fr fr': 'fr',
  en: 'en',
  anglais: 'en',
  english: 'en',
  'en gb': 'en',
  'en us': 'en',
};
const COUNTRIES: Record<string, string> = {
  france: 'FR',
  belgique: 'BE',
  belgium: 'BE',
  allemagne: 'DE',
  germany: 'DE',
  espagne: 'ES',
  spain: 'ES',
  italie: 'IT',
  italy: 'IT',
  suisse: 'CH',
  switzerland: 'CH',
  luxembourg: 'LU',
  'pays bas': 'NL',
  netherlands: 'NL',
  'royaume uni': 'GB',
  'united kingdom': 'GB',
  uk: 'GB',
  monaco: 'MC',
};
const METHODS: Record<string, PaymentMethod> = {
  virement: 'transfer',
  vir: 'transfer',
  'virement sepa': 'transfer',
  transfer: 'transfer',
  'bank transfer': 'transfer',
  'credit transfer': 'transfer',
  prelevement: 'direct_debit',
  'prelevement sepa': 'direct_debit',
  prlv: 'direct_debit',
  'direct debit': 'direct_debit',
  direct_debit: 'direct_debit',
  carte: 'card',
  'carte bancaire': 'card',
  cb: 'card',
  card: 'card',
  cheque: 'cheque',
  chq: 'cheque',
  check: 'cheque',
  especes: 'cash',
  cash: 'cash',
  autre: 'other',
  other: 'other',
};

function parseCountry(raw: string): string | CellError {
  const s = raw.trim();
  if (/^[A-Za-z]{2}$/.test(s)) return s.toUpperCase();
  return COUNTRIES[fold(s)] ?? new CellError('expected a two-letter country code (FR, BE, …)');
}

const digitsOnly = (s: string) => s.replace(/[\s.]/g, '');
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateCustomer(line: number, cells: Record<string, string>, ctx: ValidateContext) {
  const r = new RowReader(line, cells, ctx.byField);
  const externalRef = r.required('externalRef');
  const name = r.required('name');
  // Luhn keys (issue 20): a mistyped number would match the wrong company in SIRENE/BODACC.
  const siren = r.parse('siren', (s) => {
    const problem = sirenProblem(s);
    return problem === null ? digitsOnly(s) : new CellError(problem);
  });
  const siret = r.parse('siret', (s) => {
    const problem = siretProblem(s);
    return problem === null ? digitsOnly(s) : new CellError(problem);
  });
  const currency = r.parse('currency', parseCurrencyCell);
  const creditLimit = r.parse('creditLimit', (s) => {
    const v = parseAmountOf(ctx, s, currency ?? ctx.defaultCurrency);
    return typeof v === 'number' && v < 0 ? new CellError('a credit limit cannot be negative') : v;
  });
  const email = r.parse('email', (s) => (EMAIL.test(s) ? s : new CellError('not an email address')));
  const value: CustomerRecord = {
    line,
    externalRef: externalRef ?? '',
    name: name ?? '',
    kind: r.parse('kind', (s) => parseChoice(s, KINDS, 'b2b or b2c')),
    siren: siren ?? (siret ? siret.slice(0, 9) : null),
    siret,
    vatNumber: r.optional('vatNumber')?.replace(/\s/g, '').toUpperCase() ?? null,
    address1: r.optional('address1'),
    address2: r.optional('address2'),
    postalCode: r.optional('postalCode'),
    city: r.optional('city'),
    country: r.parse('country', parseCountry),
    segment: r.parse('segment', (s) => parseChoice(s, SEGMENTS, 'strategic or standard')),
    creditLimit,
    currency,
    language: r.parse('language', (s) => parseChoice(s, LANGUAGES, 'fr or en')),
    email,
    phone: r.optional('phone'),
    contactName: r.optional('contactName'),
    assignedCollector: r.optional('assignedCollector'),
    paymentTermsDays: r.parse('paymentTermsDays', (s) => parseIntegerCell(s, 0, 365)),
  };
  return done(r, value);
}

/**
 * Net, tax and gross: any two give the third; all three must add up. Only gross alone is
 * also accepted (net and tax then stay 0, as the schema allows).
 */
function amounts(r: RowReader, ctx: ValidateContext, currency: string, what: string) {
  const parse = (s: string) => parseAmountOf(ctx, s, currency);
  let net = r.parse('net', parse);
  let tax = r.parse('tax', parse);
  let gross = r.parse('gross', parse);
  for (const [field, v] of [
    ['net', net],
    ['tax', tax],
    ['gross', gross],
  ] as const) {
    if (v !== null && v < 0) r.fail(field, `negative amount: a ${what} amount is positive`);
  }
  if (gross === null && net === null && r.errors.every((e) => e.field !== 'gross' && e.field !== 'net')) {
    r.fail(r.has('gross') ? 'gross' : 'net', 'required value is empty');
  }
  if (gross === null && net !== null) gross = net + (tax ?? 0);
  if (gross !== null && net !== null && tax === null) tax = gross - net;
  if (gross !== null && net === null && tax !== null) net = gross - tax;
  if (net !== null && tax !== null && gross !== null && net + tax !== gross) {
    r.fail('gross', `net + tax (${net + tax} minor units) differs from gross (${gross})`);
  }
  return { net: net ?? 0, tax: tax ?? 0, gross: gross ?? 0 };
}

export function validateInvoice(
  line: number,
  cells: Record<string, string>,
  ctx: ValidateContext,
): Validated<InvoiceRecord> {
  const r = new RowReader(line, cells, ctx.byField);
  const invoiceNumber = r.required('invoiceNumber');
  const customerRef = r.required('customerRef');
  const issueDate = r.parseRequired('issueDate', plausibleDate(ctx, 'issueDate'));
  const dueDate = r.parseRequired('dueDate', plausibleDate(ctx, 'dueDate'));
  const currency = currencyOf(r, ctx);
  const a = amounts(r, ctx, currency, 'invoice');
  // Nothing to collect: a zero invoice would stay open forever. Credits are credit notes.
  if (a.gross === 0 && r.errors.length === 0) {
    r.fail('gross', 'an invoice amount must be positive (a credit is imported as a credit note)');
  }
  let paidAmount = r.parse('paidAmount', (s) => {
    const v = parseAmountOf(ctx, s, currency);
    if (typeof v === 'number' && v < 0) return new CellError('negative amount');
    if (typeof v === 'number' && v > a.gross) return new CellError('paid amount exceeds the gross amount');
    return v;
  });
  if (issueDate && dueDate && dueDate < issueDate) {
    r.fail('dueDate', `due date ${dueDate} is before the issue date ${issueDate}`);
  }
  // A settled date (the US "SettledDate") is a payment of the whole amount on that day; an
  // empty one says the invoice is not paid. A paid-amount column, when there is one, wins.
  const settledDate = r.parse('settledDate', plausibleDate(ctx, 'settledDate'));
  if (r.has('settledDate') && !r.has('paidAmount')) paidAmount = settledDate ? a.gross : 0;
  const disputed = r.parse('disputed', parseBooleanCell);
  return done(r, {
    line,
    invoiceNumber: invoiceNumber ?? '',
    customerRef: customerRef ?? '',
    customerName: r.optional('customerName'),
    externalId: r.optional('externalId'),
    issueDate: issueDate ?? '',
    dueDate: dueDate ?? '',
    performanceDate: r.parse('performanceDate', plausibleDate(ctx, 'performanceDate')),
    currency,
    ...a,
    paidAmount,
    paidOn: settledDate,
    disputed: disputed ?? (r.has('disputed') ? false : null),
    paymentTerms: r.optional('paymentTerms'),
    poReference: r.optional('poReference'),
    description: r.optional('description'),
  });
}

export function validatePayment(
  line: number,
  cells: Record<string, string>,
  ctx: ValidateContext,
): Validated<PaymentRecord> {
  const r = new RowReader(line, cells, ctx.byField);
  const paymentReference = r.required('paymentReference');
  const customerRef = r.required('customerRef');
  const receivedOn = r.parseRequired('receivedOn', plausibleDate(ctx, 'receivedOn'));
  const currency = currencyOf(r, ctx);
  const amount = r.parseRequired('amount', (s) => {
    const v = parseAmountOf(ctx, s, currency);
    if (typeof v === 'number' && v <= 0) return new CellError('a payment amount must be positive');
    return v;
  });
  const method = r.parse('method', (s) =>
    parseChoice(s, METHODS, 'transfer, direct debit, card, cheque, cash or other'),
  );
  return done(r, {
    line,
    paymentReference: paymentReference ?? '',
    customerRef: customerRef ?? '',
    receivedOn: receivedOn ?? '',
    amount: amount ?? 0,
    currency,
    method: method ?? 'transfer',
    invoiceNumbers: splitNumbers(r.text('invoiceNumbers')),
    bankReference: r.optional('bankReference'),
  });
}

export function validateCreditNote(
  line: number,
  cells: Record<string, string>,
  ctx: ValidateContext,
): Validated<CreditNoteRecord> {
  const r = new RowReader(line, cells, ctx.byField);
  const creditNoteNumber = r.required('creditNoteNumber');
  const customerRef = r.required('customerRef');
  const issueDate = r.parseRequired('issueDate', plausibleDate(ctx, 'issueDate'));
  const currency = currencyOf(r, ctx);
  const a = amounts(r, ctx, currency, 'credit note');
  if (a.gross === 0 && r.errors.length === 0) r.fail('gross', 'a credit note amount must be positive');
  return done(r, {
    line,
    creditNoteNumber: creditNoteNumber ?? '',
    customerRef: customerRef ?? '',
    invoiceNumber: r.optional('invoiceNumber'),
    issueDate: issueDate ?? '',
    currency,
    ...a,
    reason: r.optional('reason'),
  });
}
