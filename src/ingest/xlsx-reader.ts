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

/** Stream the first worksheet of an XLSX workbook; the first non-empty row is the header. */
export async function openXlsx(input: Readable | Buffer): Promise<RowSource> {
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
    const r = await rowIter.next();
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
    for (;;) {
      const r = await rowIter.next();
      if (r.done) break;
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
