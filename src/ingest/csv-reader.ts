import { Readable, type Transform } from 'node:stream';
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
  constructor(opts: Options) {
    super(opts);
    this.on('skip', (err: Error & { lines?: number }) => {
      super.push({
        line: err.lines ?? 0,
        problem: `unreadable row: ${err.message.split(':')[0]}`,
      } satisfies Parsed);
    });
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(chunk, encoding);
    return super.push({ record: chunk as string[], endLine: this.info.lines } satisfies Parsed, encoding);
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
  const encoding = opts.encoding ?? detectEncoding(prefix, exhausted);
  const decodedHead = iconv.decode(prefix, encoding);
  const firstLine = decodedHead.split(/\r?\n/, 1)[0] ?? '';
  if (firstLine.trim() === '') {
    throw new AppError('VALIDATION', 'The file is empty or its first line (the header) is blank', [
      { line: 1, reason: 'missing header line' },
    ]);
  }
  const delimiter = opts.delimiter ?? detectDelimiter(firstLine);

  async function* bytes(): AsyncGenerator<Buffer> {
    yield prefix;
    if (!exhausted) yield* source;
  }
  const decoder = iconv.decodeStream(encoding) as unknown as Transform;
  const parser = new LineStampingParser({
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    trim: false,
  });
  const bytesStream = Readable.from(bytes());
  bytesStream.on('error', (e) => decoder.destroy(e));
  decoder.on('error', (e) => parser.destroy(e));
  bytesStream.pipe(decoder).pipe(parser);

  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<Parsed>;
  let first = await iterator.next();
  // A broken header line is not data: it is reported by the header check below.
  while (!first.done && 'problem' in first.value) first = await iterator.next();
  if (first.done)
    throw new AppError('VALIDATION', 'The file has no header line', [{ line: 1, reason: 'empty' }]);
  const headers = (first.value as StampedRecord).record.map((h) => h.trim());

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
      const { record, endLine } = item;
      let newlines = 0;
      for (const f of record) for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) newlines++;
      const line = endLine - newlines;
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

  return { headers, rows: rows(), detected: { format: 'csv', encoding, delimiter } };
}
