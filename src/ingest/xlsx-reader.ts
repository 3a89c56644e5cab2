import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '../errors.js';
import type { RowSource, SourceRow } from './types.js';

/**
 * A cell as the text we store. Dates become ISO dates. A formula is never evaluated by
 * us: a numeric or date result cached by the spreadsheet is kept (computed totals are
 * common), anything else keeps the formula itself as plain text ("=HYPERLINK(…)").
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) {
      return (v.richText as { text?: string }[]).map((r) => r.text ?? '').join('');
    }
    if ('formula' in v || 'sharedFormula' in v) {
      const result = v.result;
      if (typeof result === 'number' || result instanceof Date) return cellText(result);
      return `=${String(v.formula ?? v.sharedFormula ?? '')}`;
    }
    if (typeof v.text === 'string') return v.text;
    if (typeof v.error === 'string') return v.error;
  }
  return String(value);
}

/** Largest uncompressed part of a workbook (a worksheet), and of its shared strings. */
export const MAX_XLSX_PART_BYTES = 256 * 1024 * 1024;
export const MAX_XLSX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024;

/**
 * Checks the sizes a workbook's zip directory declares before anything is inflated: a
 * 1 GiB cell compresses to a few MB and would be decoded into memory. Declared sizes can
 * lie, so the per-cell length check of the import stays the second lock.
 */
export function checkXlsxSizes(buf: Buffer): void {
  // End of central directory: signature 0x06054b50, within the last 64 kB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0)
    throw new AppError('VALIDATION', 'Not a readable XLSX workbook: the zip directory is missing');
  const entries = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries && at + 46 <= buf.length; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) break;
    const size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    const max = /sharedStrings\.xml$/i.test(name) ? MAX_XLSX_SHARED_STRINGS_BYTES : MAX_XLSX_PART_BYTES;
    // 0xFFFFFFFF: a zip64 size, over 4 GiB.
    if (size > max) {
      throw new AppError(
        'VALIDATION',
        `The workbook part ${name} is ${size === 0xffffffff ? 'over 4 GiB' : `${Math.round(size / 1048576)} MiB`} once decompressed: at most ${max / 1048576} MiB is read (save the data as CSV or split the file)`,
        [{ field: 'file', reason: `${name} too large once decompressed` }],
      );
    }
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
}

/** An error of the XLSX library as a clear validation error, never a stack trace. */
function unreadable(e: unknown, where: string): AppError {
  if (e instanceof AppError) return e;
  const msg = (e as Error).message ?? String(e);
  const hint = /decodeAddress|reading 'length'/.test((e as Error).stack ?? '')
    ? 'some cells have no address (the r attribute): open and save the file again in Excel or LibreOffice'
    : msg;
  return new AppError('VALIDATION', `The worksheet cannot be read ${where}: ${hint}`, [
    { field: 'file', reason: hint },
  ]);
}

/** Stream the first worksheet of an XLSX workbook; the first non-empty row is the header. */
export async function openXlsx(input: Readable | Buffer): Promise<RowSource> {
  if (Buffer.isBuffer(input)) checkXlsxSizes(input);
  const stream = Buffer.isBuffer(input) ? Readable.from([input]) : input;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    // Styles tell a date cell from a number: without them dates arrive as serial numbers.
    styles: 'cache',
    entries: 'ignore',
  });
  const sheets = reader[Symbol.asyncIterator]();
  let sheetNext: IteratorResult<ExcelJS.stream.xlsx.WorksheetReader>;
  try {
    sheetNext = await sheets.next();
  } catch (e) {
    throw new AppError('VALIDATION', `Not a readable XLSX workbook: ${(e as Error).message}`);
  }
  if (sheetNext.done) throw new AppError('VALIDATION', 'The workbook has no worksheet');
  const sheet = sheetNext.value;
  const rowIter = sheet[Symbol.asyncIterator]();

  let headers: string[] = [];
  let headerCols: number[] = [];
  for (;;) {
    let r: IteratorResult<ExcelJS.Row>;
    try {
      r = await rowIter.next();
    } catch (e) {
      throw unreadable(e, 'at its header');
    }
    if (r.done) throw new AppError('VALIDATION', 'The worksheet has no header row');
    const values = r.value.values as unknown[];
    const texts = values.map((v) => cellText(v).trim());
    if (texts.every((t) => t === '')) continue;
    headerCols = [];
    headers = [];
    texts.forEach((t, col) => {
      if (t !== '') {
        headerCols.push(col);
        headers.push(t);
      }
    });
    break;
  }

  async function* rows(): AsyncGenerator<SourceRow> {
    let last = 1;
    for (;;) {
      let r: IteratorResult<ExcelJS.Row>;
      try {
        r = await rowIter.next();
      } catch (e) {
        throw unreadable(e, `after row ${last}`);
      }
      if (r.done) break;
      last = r.value.number;
      const values = r.value.values as unknown[];
      const cells: Record<string, string> = {};
      let any = false;
      for (let i = 0; i < headers.length; i++) {
        const text = cellText(values[headerCols[i] as number]);
        if (text !== '') any = true;
        cells[headers[i] as string] = text;
      }
      // Blank rows are formatting, not data (CSV skips empty lines the same way).
      if (any) yield { line: r.value.number, cells };
    }
    // Drain the other worksheets so the zip stream finishes and releases its file handle.
    for (;;) {
      const s = await sheets.next();
      if (s.done) break;
      for await (const _ of s.value) {
        // not imported: only the first worksheet is read
      }
    }
  }

  return {
    headers,
    rows: rows(),
    detected: { format: 'xlsx', sheet: (sheet as unknown as { name?: string }).name ?? '' },
  };
}
