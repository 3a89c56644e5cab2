import { Readable } from 'node:stream';
import { type Options, Parser } from 'csv-parse';
import iconv from 'iconv-lite';
import { AppError } from '../errors.js';
import type { RowSource, SourceRow } from './types.js';

export type CsvEncoding = 'utf-8' | 'windows-1252';

const PREFIX_BYTES = 64 * 1024;

/**
 * Files exported by French accounting software are often Windows-1252; spreadsheets save
 * UTF-8 with or without a BOM. A prefix that is not valid UTF-8 is taken as Windows-1252
 * (every byte sequence is valid there, so that guess never throws).
 */
export function detectEncoding(prefix: Uint8Array, complete: boolean): CsvEncoding {
  if (prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf) return 'utf-8';
  let end = prefix.length;
  if (!complete) {
    // Do not judge a multi-byte sequence cut by the end of the prefix.
    let back = 0;
    while (back < 4 && end - back - 1 >= 0 && ((prefix[end - back - 1] ?? 0) & 0xc0) === 0x80) back++;
    const lead = prefix[end - back - 1];
    if (lead !== undefined && lead >= 0xc0) end = end - back - 1;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(prefix.subarray(0, end));
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/** Separator of the header line: the most frequent of `;`, `,` and tab outside quotes. */
export function detectDelimiter(headerLine: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch] = (counts[ch] ?? 0) + 1;
  }
  let best = ',';
  for (const d of [';', '\t']) if ((counts[d] ?? 0) > (counts[best] ?? 0)) best = d;
  return best;
}

async function* chunksOf(input: Readable | Buffer): AsyncGenerator<Buffer> {
  if (Buffer.isBuffer(input)) {
    yield input;
    return;
  }
  for await (const chunk of input) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
}

interface StampedRecord {
  record: string[];
  /** Line on which the record ends (a quoted field may span lines). */
  endLine: number;
}
type Parsed = StampedRecord | { line: number; problem: string };

/**
 * csv-parse's `info` option clones an info object per record, which tripled parse time on
 * large files. The parser's live `info.lines` is exact at the moment a record is pushed,
 * so records are stamped there; skipped (unreadable) records go through the same queue,
 * which keeps them in file order.
 */
class LineStampingParser extends Parser {
  /** Line on which the last record (or unreadable row) ended: the next one starts after it. */
  private lastEnd = 1;

  constructor(opts: Options) {
    super(opts);
    this.on('skip', (err: Error & { lines?: number; code?: string }) => {
      const at = err.lines ?? 0;
      if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
        // csv-parse reports where the file ended; the user needs where the quote opened,
        // which is the row after the last one read.
        const opened = Math.min(this.lastEnd + 1, at);
        super.push({
          line: opened,
          problem: `unreadable row: a quote opened on line ${opened} is never closed (lines ${opened} to ${at} were read as one field)`,
        } satisfies Parsed);
      } else {
        super.push({ line: at, problem: `unreadable row: ${err.message.split(':')[0]}` } satisfies Parsed);
      }
      this.lastEnd = at;
    });
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(chunk, encoding);
    this.lastEnd = this.info.lines;
    return super.push({ record: chunk as string[], endLine: this.info.lines } satisfies Parsed, encoding);
  }
}

const NON_ASCII = /[\x80-\xff]/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A field read as latin1 (one char per byte) back to its bytes, as UTF-8 if they are valid. */
function asUtf8(field: string): string | undefined {
  try {
    return utf8.decode(Buffer.from(field, 'latin1'));
  } catch {
    return undefined;
  }
}

/**
 * Decodes the fields of each row in the file's encoding, row by row, so that a row in
 * another encoding is rejected with the reason instead of stored as mojibake. The file's
 * encoding is its BOM, else what its first non-ASCII bytes are (UTF-8 when they are valid
 * UTF-8, Windows-1252 otherwise), whether they are in the first row or the 50,000th.
 */
class RowDecoder {
  constructor(public encoding: CsvEncoding | undefined) {}

  /** The decoded fields, or the reason the row is not in the file's encoding. */
  decode(record: string[]): string[] | { problem: string } {
    let out: string[] | undefined;
    for (let i = 0; i < record.length; i++) {
      const f = record[i] as string;
      if (!NON_ASCII.test(f)) continue;
      out ??= record.slice();
      const asU = asUtf8(f);
      this.encoding ??= asU !== undefined ? 'utf-8' : 'windows-1252';
      if (this.encoding === 'utf-8') {
        if (asU === undefined) {
          return {
            problem:
              'not valid UTF-8 while the file is UTF-8 (this row looks Windows-1252): save the file in one encoding',
          };
        }
        out[i] = asU;
      } else {
        if (asU !== undefined) {
          return {
            problem:
              'UTF-8 text while the file is Windows-1252 (it would be stored garbled): save the file in one encoding',
          };
        }
        out[i] = iconv.decode(Buffer.from(f, 'latin1'), 'windows-1252');
      }
    }
    return out ?? record;
  }
}

export interface CsvOptions {
  encoding?: CsvEncoding;
  delimiter?: string;
}

/**
 * Stream a CSV file: detects encoding and separator from the first bytes, decodes as a
 * stream and parses with csv-parse. Rows with the wrong number of fields or broken quotes
 * are yielded with a `problem`, so that every line read is accounted for.
 */
export async function openCsv(input: Readable | Buffer, opts: CsvOptions = {}): Promise<RowSource> {
  const source = chunksOf(input);
  const head: Buffer[] = [];
  let headSize = 0;
  let exhausted = false;
  while (headSize < PREFIX_BYTES) {
    const next = await source.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    head.push(next.value);
    headSize += next.value.length;
  }
  const prefix = Buffer.concat(head);
  const bom = prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf;
  // Without a BOM the first non-ASCII row decides (RowDecoder), wherever it is in the file.
  const decoded = new RowDecoder(opts.encoding ?? (bom ? 'utf-8' : undefined));
  const decodedHead = iconv.decode(prefix, decoded.encoding ?? detectEncoding(prefix, exhausted));
  const firstLine = decodedHead.split(/\r?\n/, 1)[0] ?? '';
  if (firstLine.trim() === '') {
    throw new AppError('VALIDATION', 'The file is empty or its first line (the header) is blank', [
      { line: 1, reason: 'missing header line' },
    ]);
  }
  const delimiter = opts.delimiter ?? detectDelimiter(firstLine);

  async function* bytes(): AsyncGenerator<Buffer> {
    yield bom ? prefix.subarray(3) : prefix;
    if (!exhausted) yield* source;
  }
  // Parsed as latin1 (one character per byte, and the separators, quotes and line ends are
  // ASCII in both encodings); each row's fields are then decoded by RowDecoder.
  const parser = new LineStampingParser({
    delimiter,
    encoding: 'latin1',
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    trim: false,
  });
  const bytesStream = Readable.from(bytes());
  bytesStream.on('error', (e) => parser.destroy(e));
  bytesStream.pipe(parser);

  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<Parsed>;
  let first = await iterator.next();
  // A broken header line is not data: it is reported by the header check below.
  while (!first.done && 'problem' in first.value) first = await iterator.next();
  if (first.done)
    throw new AppError('VALIDATION', 'The file has no header line', [{ line: 1, reason: 'empty' }]);
  const headerFields = decoded.decode((first.value as StampedRecord).record);
  if (!Array.isArray(headerFields)) {
    throw new AppError('VALIDATION', `The header line is ${headerFields.problem}`, [
      { line: 1, reason: headerFields.problem },
    ]);
  }
  const headers = headerFields.map((h) => h.trim());

  async function* rows(): AsyncGenerator<SourceRow> {
    let lastProblemLine = -1;
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      const item = next.value;
      if ('problem' in item) {
        // One broken quote can raise two errors on the same line: count the row once.
        if (item.line !== lastProblemLine) yield { line: item.line, cells: {}, problem: item.problem };
        lastProblemLine = item.line;
        continue;
      }
      const { endLine } = item;
      let newlines = 0;
      for (const f of item.record)
        for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) newlines++;
      const line = endLine - newlines;
      const record = decoded.decode(item.record);
      if (!Array.isArray(record)) {
        yield { line, cells: {}, problem: record.problem };
        continue;
      }
      const cells: Record<string, string> = {};
      const n = Math.min(record.length, headers.length);
      for (let i = 0; i < n; i++) cells[headers[i] as string] = record[i] as string;
      if (record.length !== headers.length) {
        yield {
          line,
          cells,
          problem:
            record.length < headers.length
              ? `row has ${record.length} fields, the header has ${headers.length} (truncated row?)`
              : `row has ${record.length} fields, the header has ${headers.length}`,
        };
      } else yield { line, cells };
    }
  }

  const detected = { format: 'csv' as const, delimiter };
  return {
    headers,
    rows: rows(),
    // The encoding is known once a non-ASCII row was read: read it after the rows.
    get detected() {
      return { ...detected, encoding: decoded.encoding ?? 'utf-8' };
    },
  };
}
