import type { BankLine } from '../../domain/matching/index.js';
import { currencyExponent } from '../../domain/money/index.js';
import { checkCurrency, isoDate, rejected } from '../bank-statement/amount.js';
import type { ParsedBankFile, ParsedStatement } from '../bank-statement/types.js';

/**
 * CFONB 120 "relevé de compte" (the French banks' statement format): fixed-width records of
 * 120 characters. 01 opens a statement with its balance, 04 is a movement, 05 a complement
 * of the movement before it (qualifier + 70 characters), 07 closes with the new balance.
 * Positions below are 1-based as in the CFONB specification.
 */
const OVERPUNCH: Record<string, [number, number]> = {
  '{': [1, 0],
  '}': [-1, 0],
  ...Object.fromEntries([...'ABCDEFGHI'].map((c, i) => [c, [1, i + 1] as [number, number]])),
  ...Object.fromEntries([...'JKLMNOPQR'].map((c, i) => [c, [-1, i + 1] as [number, number]])),
};

const at = (record: string, from: number, to: number) => record.slice(from - 1, to);

interface Movement {
  line: BankLine;
  record: number;
  texts: string[];
  payer?: string;
}

/** Complement qualifiers that carry the payer's words about what is paid. */
const REMITTANCE_QUALIFIERS = new Set(['LIB', 'LCC', 'LC2', 'RCN', 'REF', 'LCS']);

function records(text: string): { record: string; line: number }[] {
  const lines = text.split(/\r?\n|\r/);
  // Some banks send the records back to back, without line breaks.
  if (lines.length === 1 && text.length > 120 && text.length % 120 === 0) {
    return Array.from({ length: text.length / 120 }, (_, i) => ({
      record: text.slice(i * 120, i * 120 + 120),
      line: i + 1,
    }));
  }
  return lines
    .map((record, i) => ({ record, line: i + 1 }))
    .filter((r) => r.record.trim() !== '')
    .map((r) => ({ ...r, record: r.record.padEnd(120, ' ') }));
}

function amountOf(record: string, line: number, currency: string): number {
  const field = at(record, 91, 104);
  const digits = field.slice(0, 13).replace(/ /g, '0');
  const last = OVERPUNCH[field.slice(13, 14)];
  if (!/^[0-9]{13}$/.test(digits) || !last)
    throw rejected(`line ${line}: "${field}" is not a CFONB amount`, {
      line,
      column: '91-104',
      field: 'amount',
      value: field,
      reason: '13 digits and a sign character ({, A-I, }, J-R)',
    });
  const exponent = currencyExponent(currency);
  // Some banks leave the decimal count blank on balance records: the currency's own then.
  const decimalsField = at(record, 20, 20);
  const decimals = decimalsField.trim() === '' ? exponent : Number(decimalsField);
  if (!/^[0-9 ]$/.test(decimalsField) || decimals > exponent + 3)
    throw rejected(`line ${line}: decimal count "${at(record, 20, 20)}" is invalid`, {
      line,
      column: '20',
      field: 'decimals',
      value: at(record, 20, 20),
      reason: 'a digit',
    });
  const raw = BigInt(digits + String(last[1]));
  // Rescale from the record's decimal count to the currency's minor units.
  let minor: bigint;
  if (decimals <= exponent) minor = raw * 10n ** BigInt(exponent - decimals);
  else {
    const div = 10n ** BigInt(decimals - exponent);
    if (raw % div !== 0n)
      throw rejected(`line ${line}: amount has more decimals than ${currency} allows`, {
        line,
        column: '91-104',
        field: 'amount',
        value: field,
        reason: `at most ${exponent} decimals`,
      });
    minor = raw / div;
  }
  return last[0] * Number(minor);
}

function dateOf(record: string, from: number, line: number, field: string): string {
  const raw = at(record, from, from + 5);
  const m = /^([0-9]{2})([0-9]{2})([0-9]{2})$/.exec(raw);
  const iso = m ? isoDate(Number(m[3]), Number(m[2]), Number(m[1])) : undefined;
  if (!iso)
    throw rejected(`line ${line}: ${field} "${raw}" is not a date (DDMMYY)`, {
      line,
      column: `${from}-${from + 5}`,
      field,
      value: raw,
      reason: 'a date DDMMYY',
    });
  return iso;
}

export function isCfonb120(text: string): boolean {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return /^01[0-9]{5}/.test(first) && first.trimEnd().length >= 100;
}

export function parseCfonb120(content: Buffer | string): ParsedBankFile {
  const text = typeof content === 'string' ? content : content.toString('latin1');
  const statements: ParsedStatement[] = [];
  let current: ParsedStatement | undefined;
  let movements: Movement[] = [];
  let seq = 0;
  const finishMovement = (m: Movement) => {
    const texts = m.texts.filter(Boolean);
    if (texts.length > 0) m.line.remittanceText = texts.join(' ');
    if (m.payer) m.line.debtorName = m.payer;
  };
  for (const { record, line } of records(text)) {
    const code = at(record, 1, 2);
    if (code === '01') {
      if (current)
        throw rejected(`line ${line}: a new statement opens before statement ${current.id} closed`, {
          line,
          field: 'record',
          value: code,
          reason: 'expected a 07 record first',
        });
      const date = dateOf(record, 35, line, 'opening date');
      const currency = checkCurrency(at(record, 17, 19).trim() || 'EUR', {
        line,
        column: '17-19',
        field: 'currency',
      });
      const account = `${at(record, 3, 7)}-${at(record, 12, 16)}-${at(record, 22, 32)}`;
      seq++;
      current = {
        id: `${account}:${date}:${seq}`,
        account,
        currency,
        opening: { amountMinor: amountOf(record, line, currency), date },
        lines: [],
      };
      movements = [];
    } else if (code === '04') {
      if (!current)
        throw rejected(`line ${line}: a movement (04) outside a statement`, {
          line,
          field: 'record',
          value: code,
          reason: 'a 01 record must open the statement',
        });
      const currency = at(record, 17, 19).trim()
        ? checkCurrency(at(record, 17, 19), { line, column: '17-19', field: 'currency' })
        : current.currency;
      const signed = amountOf(record, line, currency);
      const bookingDate = dateOf(record, 35, line, 'booking date');
      const label = at(record, 49, 79).trim();
      const reference = at(record, 105, 120).trim();
      const bankLine: BankLine = {
        id: `${current.id}:${current.lines.length + 1}`,
        amount: { amount: Math.abs(signed), currency },
        creditDebit: signed < 0 ? 'DBIT' : 'CRDT',
        bookingDate,
        // An interbank rejection code (positions 41-42) marks a returned operation.
        ...(at(record, 41, 42).trim() ? { reversal: true } : {}),
      };
      if (reference) bankLine.endToEndId = reference;
      const m: Movement = { line: bankLine, record: line, texts: [label] };
      movements.push(m);
      current.lines.push(bankLine);
    } else if (code === '05') {
      const m = movements.at(-1);
      if (!m)
        throw rejected(`line ${line}: a complement (05) without a movement before it`, {
          line,
          field: 'record',
          value: code,
          reason: 'a 05 record follows its 04',
        });
      const qualifier = at(record, 46, 48).trim();
      const info = at(record, 49, 118).trim();
      if (!info) continue;
      if (qualifier === 'NPY') m.payer = info;
      else if (REMITTANCE_QUALIFIERS.has(qualifier) && !m.texts.includes(info)) m.texts.push(info);
    } else if (code === '07') {
      if (!current)
        throw rejected(`line ${line}: a closing balance (07) without its opening (01)`, {
          line,
          field: 'record',
          value: code,
          reason: 'a 01 record must open the statement',
        });
      for (const m of movements) finishMovement(m);
      current.closing = {
        amountMinor: amountOf(record, line, current.currency),
        date: dateOf(record, 35, line, 'closing date'),
      };
      statements.push(current);
      current = undefined;
      movements = [];
    } else {
      throw rejected(`line ${line}: unknown record code "${code}"`, {
        line,
        column: '1-2',
        field: 'record',
        value: code,
        reason: 'CFONB 120 statements have records 01, 04, 05 and 07',
      });
    }
  }
  if (current) {
    // An unclosed statement keeps its lines but cannot be checked against a closing balance.
    for (const m of movements) finishMovement(m);
    statements.push(current);
  }
  if (statements.length === 0)
    throw rejected('The file holds no CFONB 120 statement', { field: 'file', reason: 'no 01 record' });
  return { format: 'cfonb120', messageId: statements[0]?.id ?? '', statements };
}
