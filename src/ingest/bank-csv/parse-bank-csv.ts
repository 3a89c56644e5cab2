import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { BankLine } from '../../domain/matching/index.js';
import { AppError } from '../../errors.js';
import { checkCurrency, isoDate, parseSignedAmount, rejected } from '../bank-statement/amount.js';
import type { ParsedBankFile } from '../bank-statement/types.js';
import { detectDelimiter, detectEncoding } from '../csv-reader.js';
import { normaliseHeader } from '../mapping.js';

/**
 * Which column holds what in a bank's CSV export. Every field names a header of the file;
 * absent fields are recognised from usual French and English headers.
 */
export const bankCsvMappingSchema = z
  .object({
    date: z.string().optional(),
    amount: z.string().optional(),
    debit: z.string().optional(),
    credit: z.string().optional(),
    currency: z.string().optional(),
    defaultCurrency: z.string().length(3).default('EUR'),
    name: z.string().optional(),
    iban: z.string().optional(),
    text: z.array(z.string()).optional(),
    reference: z.string().optional(),
    id: z.string().optional(),
    decimal: z.enum([',', '.']).optional(),
    dateFormat: z.enum(['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY']).optional(),
    delimiter: z.string().length(1).optional(),
  })
  .strict();
export type BankCsvMapping = z.input<typeof bankCsvMappingSchema>;

const SYNONYMS: Record<string, string[]> = {
  date: [
    'date',
    'dateoperation',
    'datedoperation',
    'datecomptable',
    'datecompta',
    'bookingdate',
    'buchungstag',
    'dateop',
  ],
  amount: ['montant', 'amount', 'montanteur', 'betrag', 'montantenEUR'.toLowerCase()],
  debit: ['debit', 'debiteur', 'debits', 'sortie'],
  credit: ['credit', 'credits', 'entree'],
  currency: ['devise', 'currency', 'monnaie'],
  name: ['tiers', 'contrepartie', 'counterparty', 'payeur', 'emetteur', 'nomdutiers', 'payer', 'name'],
  iban: ['iban', 'ibancontrepartie', 'counterpartyiban', 'ibandutiers'],
  text: [
    'libelle',
    'libelleoperation',
    'description',
    'memo',
    'motif',
    'details',
    'detail',
    'communication',
    'remittance',
    'informationscomplementaires',
  ],
  reference: ['reference', 'ref', 'referencedebout', 'endtoendid', 'referencedebutenfin'],
  id: ['id', 'identifiant', 'numerooperation', 'transactionid', 'fitid'],
};

function detectColumns(headers: string[], mapping: z.output<typeof bankCsvMappingSchema>) {
  const norm = new Map(headers.map((h) => [normaliseHeader(h), h]));
  const find = (field: string): string | undefined => {
    for (const s of SYNONYMS[field] ?? []) {
      const h = norm.get(s);
      if (h !== undefined) return h;
    }
    return undefined;
  };
  const pick = (field: keyof typeof SYNONYMS, given: string | undefined) => {
    if (given === undefined) return find(field);
    if (!headers.includes(given))
      throw rejected(`The mapping names a column "${given}" the file does not have`, {
        field: `mapping.${field}`,
        value: given,
        reason: `columns are: ${headers.join(', ')}`,
      });
    return given;
  };
  const text = mapping.text ?? headers.filter((h) => (SYNONYMS.text ?? []).includes(normaliseHeader(h)));
  for (const t of text) pick('text', t);
  return {
    date: pick('date', mapping.date),
    amount: pick('amount', mapping.amount),
    debit: pick('debit', mapping.debit),
    credit: pick('credit', mapping.credit),
    currency: pick('currency', mapping.currency),
    name: pick('name', mapping.name),
    iban: pick('iban', mapping.iban),
    reference: pick('reference', mapping.reference),
    id: pick('id', mapping.id),
    text,
  };
}

function parseDate(value: string, format: string | undefined, line: number, column: string): string {
  const v = value.trim();
  let iso: string | undefined;
  const ymd = /^([0-9]{4})-([0-9]{2})-([0-9]{2})/.exec(v);
  const dmy = /^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{2,4})$/.exec(v);
  if (ymd && format !== 'DD/MM/YYYY' && format !== 'MM/DD/YYYY')
    iso = isoDate(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  else if (dmy && format === 'MM/DD/YYYY') iso = isoDate(Number(dmy[3]), Number(dmy[1]), Number(dmy[2]));
  else if (dmy) iso = isoDate(Number(dmy[3]), Number(dmy[2]), Number(dmy[1]));
  if (!iso)
    throw rejected(`line ${line}, column "${column}": "${v}" is not a date`, {
      line,
      column,
      field: 'date',
      value: v,
      reason: `expected ${format ?? 'DD/MM/YYYY or YYYY-MM-DD'}`,
    });
  return iso;
}

/** A bank's CSV export read with a mapping (or the usual headers): one line per row. */
export function parseBankCsv(
  content: Buffer,
  mappingInput: BankCsvMapping = {},
  filename = 'file.csv',
): ParsedBankFile {
  const parsed = bankCsvMappingSchema.safeParse(mappingInput);
  if (!parsed.success)
    throw new AppError(
      'VALIDATION',
      'The CSV mapping is invalid',
      parsed.error.issues.map((i) => ({ field: `mapping.${i.path.join('.')}`, reason: i.message })),
    );
  const mapping = parsed.data;
  const encoding = detectEncoding(content, true);
  const text = new TextDecoder(encoding).decode(content).replace(/^\uFEFF/, '');
  const delimiter = mapping.delimiter ?? detectDelimiter(text.split(/\r?\n/)[0] ?? '');
  const rows = parse(text, {
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
  }) as string[][];
  const [headers, ...data] = rows;
  if (!headers) throw rejected(`${filename} is empty`, { field: 'file', reason: 'no header line' });
  const cols = detectColumns(headers, mapping);
  if (!cols.date)
    throw rejected('No date column: map one with mapping.date', {
      field: 'mapping.date',
      reason: `columns are: ${headers.join(', ')}`,
    });
  if (!cols.amount && !cols.debit && !cols.credit)
    throw rejected('No amount column: map mapping.amount, or mapping.debit and mapping.credit', {
      field: 'mapping.amount',
      reason: `columns are: ${headers.join(', ')}`,
    });
  const index = new Map(headers.map((h, i) => [h, i]));
  const lines: BankLine[] = [];
  const currencies = new Set<string>();
  data.forEach((row, i) => {
    const line = i + 2;
    const get = (h: string | undefined) => (h === undefined ? '' : (row[index.get(h) ?? -1] ?? '').trim());
    const currency = checkCurrency(get(cols.currency) || mapping.defaultCurrency, {
      line,
      field: 'currency',
    });
    currencies.add(currency);
    const decimal = mapping.decimal ?? (delimiter === ';' ? ',' : '.');
    const read = (h: string | undefined) =>
      get(h) === ''
        ? 0
        : parseSignedAmount(get(h), currency, decimal, { line, column: h, field: h ?? 'amount' });
    const signed =
      cols.amount && get(cols.amount) !== ''
        ? read(cols.amount)
        : read(cols.credit) - Math.abs(read(cols.debit));
    if (signed === 0)
      throw rejected(`line ${line}: no amount`, {
        line,
        column: cols.amount ?? `${cols.debit}/${cols.credit}`,
        field: 'amount',
        reason: 'each line moves money: an amount, or a debit or a credit',
      });
    const bankLine: BankLine = {
      id:
        get(cols.id) ||
        `csv:${createHash('sha256').update(row.join('\u001f')).digest('hex').slice(0, 16)}:${line}`,
      amount: { amount: Math.abs(signed), currency },
      creditDebit: signed < 0 ? 'DBIT' : 'CRDT',
      bookingDate: parseDate(get(cols.date), mapping.dateFormat, line, cols.date ?? 'date'),
    };
    if (get(cols.name)) bankLine.debtorName = get(cols.name);
    if (get(cols.iban)) bankLine.debtorIban = get(cols.iban).replace(/\s+/g, '').toUpperCase();
    if (get(cols.reference)) bankLine.endToEndId = get(cols.reference);
    const texts = cols.text.map(get).filter(Boolean);
    if (texts.length > 0) bankLine.remittanceText = texts.join(' ');
    lines.push(bankLine);
  });
  if (lines.length === 0)
    throw rejected(`${filename} has no data line`, { field: 'file', reason: 'only a header' });
  return {
    format: 'csv',
    messageId: filename,
    statements: [...currencies].map((currency) => ({
      id: `${filename}:${currency}`,
      currency,
      lines: lines.filter((l) => l.amount.currency === currency),
    })),
  };
}
