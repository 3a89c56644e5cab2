import { isAscii, isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { type FecField, mapFecHeader } from './headers.js';
import { parseFecAmount, parseFecDate } from './values.js';

/**
 * Streaming reader of a FEC (fichier des écritures comptables, article A47 A-1 of the Livre
 * des procédures fiscales). Dialects seen in the wild and handled here:
 * - tab or pipe separated (the two separators the article allows), decided from the header;
 * - UTF-8 or ISO-8859-1, decided per line (a line that is not valid UTF-8 is Latin-1), so a
 *   file mixing both (concatenated exports) still reads every accent;
 * - header spellings as software writes them (CompteLIB, Montantdevise, …) and fields padded
 *   with spaces (fixed-width inside tab separation);
 * - Debit/Credit columns, or Montant + Sens (D/C, +1/-1);
 * - the 21-column variant with DateRglt, ModeRglt, NatOp;
 * - amounts with comma or dot decimals, a sign, leading zeros; dates AAAAMMJJ (also
 *   JJ/MM/AAAA and AAAA-MM-JJ, which some packages write).
 */
export interface FecLine {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  journalCode: string;
  journalLib: string;
  ecritureNum: string;
  ecritureDate: string;
  compteNum: string;
  compteLib: string;
  compAuxNum: string;
  compAuxLib: string;
  pieceRef: string;
  pieceDate: string | null;
  ecritureLib: string;
  /** Debit minus credit, in cents. */
  debitMinor: number;
  creditMinor: number;
  ecritureLet: string;
  dateLet: string | null;
  dateRglt: string | null;
  modeRglt: string;
  idevise: string;
}

export interface FecLineError {
  line: number;
  column?: string;
  value?: string;
  reason: string;
}

export interface FecDialect {
  separator: 'tab' | 'pipe';
  /** 'utf-8', 'iso-8859-1', or 'utf-8+iso-8859-1' when lines of both were found. */
  encoding: string;
  amounts: 'debit-credit' | 'montant-sens';
  columns: number;
  extraColumns: string[];
}

export type FecItem = { ok: true; line: FecLine } | { ok: false; error: FecLineError };

export interface FecReader {
  dialect: FecDialect;
  items: AsyncIterable<FecItem>;
}

/** Splits a byte stream into lines (LF or CRLF), without decoding: both encodings share 0x0A. */
async function* byteLines(input: Readable | Buffer): AsyncGenerator<Buffer> {
  if (Buffer.isBuffer(input)) {
    let start = 0;
    for (;;) {
      const nl = input.indexOf(0x0a, start);
      if (nl < 0) break;
      yield input.subarray(start, nl);
      start = nl + 1;
    }
    if (start < input.length) yield input.subarray(start);
    return;
  }
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const data = rest.length > 0 ? Buffer.concat([rest, buf]) : buf;
    let start = 0;
    for (;;) {
      const nl = data.indexOf(0x0a, start);
      if (nl < 0) break;
      yield data.subarray(start, nl);
      start = nl + 1;
    }
    rest = Buffer.from(data.subarray(start));
  }
  if (rest.length > 0) yield rest;
}

function decodeLine(b: Buffer, seen: Set<string>): string {
  const end = b.length > 0 && b[b.length - 1] === 0x0d ? b.length - 1 : b.length;
  const bytes = b.subarray(0, end);
  // Plain ASCII says nothing about the encoding.
  if (isAscii(bytes)) return bytes.toString('latin1');
  if (isUtf8(bytes)) {
    seen.add('utf-8');
    const s = bytes.toString('utf8');
    return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
  }
  seen.add('iso-8859-1');
  return bytes.toString('latin1');
}

function encodingName(seen: Set<string>): string {
  if (seen.has('utf-8') && seen.has('iso-8859-1')) return 'utf-8+iso-8859-1';
  return seen.has('iso-8859-1') ? 'iso-8859-1' : 'utf-8';
}

const REQUIRED: FecField[] = [
  'JournalCode',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'PieceRef',
  'EcritureLet',
];

/** Open a FEC: reads the header now, the lines as they are iterated. */
export async function readFec(input: Readable | Buffer): Promise<FecReader> {
  const lines = byteLines(input);
  const seen = new Set<string>();
  let headerText: string | undefined;
  let headerLine = 0;
  for (;;) {
    const n = await lines.next();
    if (n.done) break;
    headerLine++;
    const s = decodeLine(n.value, seen);
    if (s.trim() !== '') {
      headerText = s;
      break;
    }
  }
  if (headerText === undefined) throw new FecFormatError('the file is empty: no FEC header line');
  const tabs = headerText.split('\t').length;
  const pipes = headerText.split('|').length;
  if (tabs < 2 && pipes < 2) {
    throw new FecFormatError(
      'the header is neither tab nor pipe separated (article A47 A-1 allows only these two separators)',
    );
  }
  const separator = tabs >= pipes ? '\t' : '|';
  const headers = headerText.split(separator).map((h) => h.trim());
  const index = new Map<FecField, number>();
  const extraColumns: string[] = [];
  headers.forEach((h, i) => {
    const f = mapFecHeader(h);
    if (f && !index.has(f)) index.set(f, i);
    else if (h !== '') extraColumns.push(h);
  });
  const missing = REQUIRED.filter((f) => !index.has(f));
  const hasDebitCredit = index.has('Debit') && index.has('Credit');
  const hasMontantSens = index.has('Montant') && index.has('Sens');
  if (!hasDebitCredit && !hasMontantSens) missing.push('Debit', 'Credit');
  if (missing.length > 0) {
    throw new FecFormatError(`the FEC header lacks ${missing.join(', ')} (read: ${headers.join(', ')})`);
  }
  const dialect: FecDialect = {
    separator: separator === '\t' ? 'tab' : 'pipe',
    encoding: 'utf-8',
    amounts: hasDebitCredit ? 'debit-credit' : 'montant-sens',
    columns: headers.length,
    extraColumns,
  };

  async function* items(): AsyncGenerator<FecItem> {
    let lineNo = headerLine;
    for await (const raw of lines) {
      lineNo++;
      const text = decodeLine(raw, seen);
      dialect.encoding = encodingName(seen);
      if (text.trim() === '') continue;
      const cells = text.split(separator);
      if (cells.length !== headers.length && cells.length < Math.max(...index.values()) + 1) {
        yield {
          ok: false,
          error: {
            line: lineNo,
            reason: `${cells.length} fields where the header has ${headers.length}`,
          },
        };
        continue;
      }
      yield parseLine(lineNo, cells, index, hasDebitCredit);
    }
    dialect.encoding = encodingName(seen);
  }
  dialect.encoding = encodingName(seen);
  return { dialect, items: items() };
}

function parseLine(
  line: number,
  cells: string[],
  index: Map<FecField, number>,
  debitCredit: boolean,
): FecItem {
  const get = (f: FecField) => {
    const i = index.get(f);
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  const fail = (column: string, value: string, reason: string): FecItem => ({
    ok: false,
    error: { line, column, value, reason },
  });
  const ecritureDate = parseFecDate(get('EcritureDate'));
  if (!ecritureDate.ok) return fail('EcritureDate', get('EcritureDate'), ecritureDate.reason);
  if (ecritureDate.value === null) return fail('EcritureDate', '', 'the entry date is required');
  const dates: Record<'PieceDate' | 'DateLet' | 'DateRglt', string | null> = {
    PieceDate: null,
    DateLet: null,
    DateRglt: null,
  };
  for (const f of ['PieceDate', 'DateLet', 'DateRglt'] as const) {
    const d = parseFecDate(get(f));
    if (!d.ok) return fail(f, get(f), d.reason);
    dates[f] = d.value;
  }
  let debitMinor = 0;
  let creditMinor = 0;
  if (debitCredit) {
    const d = parseFecAmount(get('Debit'));
    if (!d.ok) return fail('Debit', get('Debit'), d.reason);
    const c = parseFecAmount(get('Credit'));
    if (!c.ok) return fail('Credit', get('Credit'), c.reason);
    debitMinor = d.minor;
    creditMinor = c.minor;
  } else {
    const m = parseFecAmount(get('Montant'));
    if (!m.ok) return fail('Montant', get('Montant'), m.reason);
    const sens = get('Sens').toUpperCase();
    if (sens === 'D' || sens === '+1' || sens === '1' || sens === 'DEBIT') debitMinor = m.minor;
    else if (sens === 'C' || sens === '-1' || sens === 'CREDIT') creditMinor = m.minor;
    else return fail('Sens', get('Sens'), 'Sens must be D or C (or +1 / -1)');
  }
  // A negative debit is a credit and vice versa (some packages write reversals that way).
  const net = debitMinor - creditMinor;
  if (debitMinor !== 0 && creditMinor !== 0 && Math.sign(debitMinor) === Math.sign(creditMinor)) {
    return fail('Debit', get('Debit'), 'the line has both a debit and a credit amount');
  }
  const journalCode = get('JournalCode');
  const compteNum = get('CompteNum');
  if (journalCode === '') return fail('JournalCode', '', 'the journal code is required');
  if (compteNum === '') return fail('CompteNum', '', 'the account number is required');
  return {
    ok: true,
    line: {
      line,
      journalCode,
      journalLib: get('JournalLib'),
      ecritureNum: get('EcritureNum'),
      ecritureDate: ecritureDate.value,
      compteNum,
      compteLib: get('CompteLib'),
      compAuxNum: get('CompAuxNum'),
      compAuxLib: get('CompAuxLib'),
      pieceRef: get('PieceRef'),
      pieceDate: dates.PieceDate,
      ecritureLib: get('EcritureLib'),
      debitMinor: Math.max(net, 0),
      creditMinor: net < 0 ? -net : 0,
      ecritureLet: get('EcritureLet'),
      dateLet: dates.DateLet,
      dateRglt: dates.DateRglt,
      modeRglt: get('ModeRglt'),
      idevise: get('Idevise'),
    },
  };
}

/** The file cannot be read as a FEC at all (no header, wrong separator, missing columns). */
export class FecFormatError extends Error {}
