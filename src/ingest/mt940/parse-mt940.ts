import type { BankLine } from '../../domain/matching/index.js';
import { checkCurrency, isoDate, parseSignedAmount, rejected } from '../bank-statement/amount.js';
import type { ParsedBankFile, ParsedStatement, StatedBalance } from '../bank-statement/types.js';

/**
 * SWIFT MT940 customer statements. Tags start a line (`:61:`); a value may continue over the
 * next lines. :60F/M: opening balance, :61: a movement, :86: its details, :62F/M: closing.
 * Details come in three dialects: SEPA-style `/EREF/…/CNTP/iban/bic/name/…/REMI/…/`, the
 * German `?20…?32` subfields, or free text.
 */
interface Tag {
  tag: string;
  value: string[];
  line: number;
}

function tags(text: string): Tag[] {
  const out: Tag[] = [];
  const lines = text.split(/\r?\n|\r/);
  lines.forEach((raw, i) => {
    const line = raw.replace(/\s+$/, '');
    let rest = line;
    // SWIFT envelope blocks ({1:…}{2:…}{4:) and the end-of-message markers carry no data.
    if (rest.startsWith('{')) {
      rest = rest.replace(/^(\{[0-9]:[^{}]*\}?)+/, '');
      if (rest === '' || rest === '{4:') return;
    }
    if (/^-\}?$/.test(rest) || rest === '') return;
    const m = /^:([0-9]{2}[A-Z]?):(.*)$/.exec(rest);
    if (m?.[1]) out.push({ tag: m[1], value: [m[2] ?? ''], line: i + 1 });
    else out.at(-1)?.value.push(rest);
  });
  return out;
}

function balance(t: Tag, where: string): { balance: StatedBalance; currency: string } {
  const v = (t.value[0] ?? '').trim();
  const m = /^([CD])([0-9]{6})([A-Z]{3})([0-9.,]+)$/.exec(v);
  if (!m?.[1] || !m[2] || !m[3] || !m[4])
    throw rejected(`line ${t.line}: :${t.tag}: "${v}" is not a balance`, {
      line: t.line,
      field: `:${t.tag}: ${where}`,
      value: v,
      reason: 'C or D, date YYMMDD, currency, amount',
    });
  const currency = checkCurrency(m[3], { line: t.line, field: `:${t.tag}: currency` });
  const date = isoDate(Number(m[2].slice(0, 2)), Number(m[2].slice(2, 4)), Number(m[2].slice(4, 6)));
  if (!date)
    throw rejected(`line ${t.line}: :${t.tag}: date "${m[2]}" does not exist`, {
      line: t.line,
      field: `:${t.tag}: date`,
      value: m[2],
      reason: 'a date YYMMDD',
    });
  const amount = parseSignedAmount(m[4], currency, ',', { line: t.line, field: `:${t.tag}: amount` });
  return { balance: { amountMinor: m[1] === 'D' ? -amount : amount, date }, currency };
}

interface Details {
  name?: string;
  iban?: string;
  endToEndId?: string;
  text?: string;
  returned?: boolean;
}

function slashFields(v: string): Details {
  // "/EREF/x//CNTP/iban/bic/name/city//REMI/USTD//text/": split on known codes.
  const codes = [
    'EREF',
    'CNTP',
    'REMI',
    'PREF',
    'RTRN',
    'MARF',
    'CSID',
    'TRTP',
    'IBAN',
    'BIC',
    'NAME',
    'ORDP',
    'BENM',
    'ULTD',
    'ULTC',
    'PURP',
    'SUM',
    'ISDT',
  ];
  const re = new RegExp(`/(${codes.join('|')})/`, 'g');
  const parts: { code: string; value: string }[] = [];
  let last: { code: string; start: number } | undefined;
  for (const m of v.matchAll(re)) {
    if (last) parts.push({ code: last.code, value: v.slice(last.start, m.index) });
    last = { code: m[1] ?? '', start: (m.index ?? 0) + m[0].length };
  }
  if (last) parts.push({ code: last.code, value: v.slice(last.start) });
  const d: Details = {};
  const clean = (s: string) => s.replace(/^\/+|\/+$/g, '').trim();
  for (const { code, value } of parts) {
    if (code === 'EREF') d.endToEndId = clean(value);
    else if (code === 'CNTP' || code === 'ORDP') {
      const [iban, , name] = value.split('/');
      if (iban) d.iban = iban.trim();
      if (name) d.name = name.trim();
    } else if (code === 'IBAN') d.iban = clean(value);
    else if (code === 'NAME') d.name = clean(value);
    else if (code === 'REMI') d.text = clean(value.replace(/^(USTD|STRD)\/+(CUR\/)?/, ''));
    else if (code === 'RTRN') d.returned = true;
  }
  return d;
}

function subfields(v: string): Details {
  const d: Details = {};
  const text: string[] = [];
  const names: string[] = [];
  for (const m of v.matchAll(/\?([0-9]{2})([^?]*)/g)) {
    const n = Number(m[1]);
    const value = (m[2] ?? '').trim();
    if ((n >= 20 && n <= 29) || (n >= 60 && n <= 63)) text.push(m[2] ?? '');
    else if (n === 31) d.iban = value;
    else if (n === 32 || n === 33) names.push(value);
  }
  const joined = text.join('');
  const eref = /EREF\+(.*?)(?=(?:KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE)\+|$)/.exec(joined);
  if (eref?.[1]) d.endToEndId = eref[1].trim();
  const svwz = /SVWZ\+(.*?)(?=(?:ABWA|ABWE)\+|$)/.exec(joined);
  d.text = (svwz?.[1] ?? joined).trim();
  if (names.length > 0) d.name = names.join('').trim();
  if (/^\d{3}/.test(v) && ['159', '109', '111', '105'].includes(v.slice(0, 3))) d.returned = true;
  return d;
}

function details(lines: string[]): Details {
  const first = lines[0] ?? '';
  // Structured dialects break values anywhere: glue their lines back without spaces.
  if (first.startsWith('/')) return slashFields(lines.join(''));
  if (/^[0-9]{3}\?/.test(first)) return subfields(lines.join(''));
  return {
    text: lines
      .map((l) => l.trim())
      .filter(Boolean)
      .join(' '),
  };
}

const MOVEMENT = /^([0-9]{6})([0-9]{4})?(RC|RD|C|D|EC|ED)([A-Z])?([0-9]+,[0-9]*)([NSF][A-Z0-9]{3})(.*)$/;

export function isMt940(text: string): boolean {
  return /(^|\n):20:/.test(text) && /(^|\n):6[01][FM]?:/.test(text);
}

export function parseMt940(content: Buffer | string): ParsedBankFile {
  const text = typeof content === 'string' ? content : content.toString('utf8');
  const statements: ParsedStatement[] = [];
  let s: ParsedStatement | undefined;
  let reference = '';
  let account = '';
  let pending: { line: BankLine; tag: Tag } | undefined;
  for (const t of tags(text)) {
    const v = (t.value[0] ?? '').trim();
    if (t.tag === '20') {
      if (s) statements.push(s);
      s = undefined;
      reference = v;
      pending = undefined;
    } else if (t.tag === '25') account = v;
    else if (t.tag === '28C' || t.tag === '28') reference = `${reference}/${v}`;
    else if (t.tag === '60F' || t.tag === '60M') {
      const b = balance(t, 'opening balance');
      s = {
        id: `${account}:${reference}:${b.balance.date}`,
        account,
        currency: b.currency,
        opening: b.balance,
        lines: [],
      };
    } else if (t.tag === '61') {
      if (!s)
        throw rejected(`line ${t.line}: a movement (:61:) before the opening balance (:60F:)`, {
          line: t.line,
          field: ':61:',
          reason: 'each statement opens with :60F: or :60M:',
        });
      const m = MOVEMENT.exec(v);
      if (!m?.[1] || !m[3] || !m[5])
        throw rejected(`line ${t.line}: :61: "${v}" is not a statement line`, {
          line: t.line,
          field: ':61:',
          value: v,
          reason: 'value date YYMMDD, [entry date MMDD], C/D/RC/RD, amount, transaction type',
        });
      const vd = m[1];
      const valueDate = isoDate(Number(vd.slice(0, 2)), Number(vd.slice(2, 4)), Number(vd.slice(4, 6)));
      let bookingDate = valueDate;
      if (m[2] && valueDate) {
        const month = Number(m[2].slice(0, 2));
        const valueMonth = Number(vd.slice(2, 4));
        let year = Number(vd.slice(0, 2));
        if (month === 12 && valueMonth === 1) year -= 1;
        if (month === 1 && valueMonth === 12) year += 1;
        bookingDate = isoDate(year, month, Number(m[2].slice(2, 4))) ?? valueDate;
      }
      if (!bookingDate)
        throw rejected(`line ${t.line}: :61: date "${vd}" does not exist`, {
          line: t.line,
          field: ':61: value date',
          value: vd,
          reason: 'a date YYMMDD',
        });
      const amount = parseSignedAmount(m[5], s.currency, ',', { line: t.line, field: ':61: amount' });
      // RC (reversal of a credit) takes money out; RD puts it back.
      const mark = m[3];
      const credit = mark === 'C' || mark === 'RD' || mark === 'EC';
      const [customerRef] = (m[7] ?? '').split('//');
      const line: BankLine = {
        id: `${s.id}:${s.lines.length + 1}`,
        amount: { amount, currency: s.currency },
        creditDebit: credit ? 'CRDT' : 'DBIT',
        bookingDate,
        ...(mark.startsWith('R') ? { reversal: true } : {}),
      };
      if (customerRef && customerRef !== 'NONREF') line.endToEndId = customerRef.trim();
      s.lines.push(line);
      pending = { line, tag: t };
    } else if (t.tag === '86' && pending) {
      const d = details(t.value);
      const line = pending.line;
      if (d.name) line.debtorName = d.name;
      if (d.iban && /^[A-Z]{2}[0-9]{2}[A-Z0-9]{8,30}$/.test(d.iban.replace(/\s+/g, '')))
        line.debtorIban = d.iban.replace(/\s+/g, '');
      if (d.endToEndId && d.endToEndId !== 'NOTPROVIDED') line.endToEndId = d.endToEndId;
      if (d.text) line.remittanceText = d.text;
      if (d.returned) line.reversal = true;
      pending = undefined;
    } else if (t.tag === '62F' || t.tag === '62M') {
      if (!s)
        throw rejected(`line ${t.line}: a closing balance without an opening one`, {
          line: t.line,
          field: `:${t.tag}:`,
          reason: 'each statement opens with :60F: or :60M:',
        });
      const b = balance(t, 'closing balance');
      s.closing = b.balance;
      pending = undefined;
    } else pending = undefined;
  }
  if (s) statements.push(s);
  if (statements.length === 0)
    throw rejected('The file holds no MT940 statement', {
      field: 'file',
      reason: 'no :60F: opening balance',
    });
  return { format: 'mt940', messageId: statements[0]?.id ?? '', statements };
}
