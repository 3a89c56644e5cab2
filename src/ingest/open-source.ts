import type { Readable } from 'node:stream';
import { AppError } from '../errors.js';
import { type CsvOptions, openCsv } from './csv-reader.js';
import type { RowSource } from './types.js';
import { openXlsx } from './xlsx-reader.js';

export type SourceFormat = 'csv' | 'xlsx';

export function formatFromFilename(filename: string | undefined): SourceFormat | undefined {
  if (!filename) return undefined;
  const lower = filename.toLowerCase();
  if (lower.endsWith('.xlsx') || lower.endsWith('.xlsm')) return 'xlsx';
  if (lower.endsWith('.csv') || lower.endsWith('.tsv') || lower.endsWith('.txt')) return 'csv';
  return undefined;
}

/** XLSX is a zip archive: it starts with "PK\x03\x04". */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export interface OpenSourceOptions extends CsvOptions {
  format?: SourceFormat;
  filename?: string;
}

/** Open a CSV or XLSX file as a stream of rows; format from option, file name or magic bytes. */
export async function openSource(input: Readable | Buffer, opts: OpenSourceOptions = {}): Promise<RowSource> {
  const format = opts.format ?? formatFromFilename(opts.filename);
  const first = Buffer.isBuffer(input) ? input.subarray(0, 4) : await peek(input);
  const zip = first !== undefined && isZip(first);
  if (!format) return zip ? openXlsx(input) : openCsv(input, opts);
  // The name (or --format) says one thing, the bytes another: say which, not a zip error.
  if (format === 'xlsx' && !zip) {
    throw new AppError(
      'VALIDATION',
      'This file is not an XLSX workbook (it is not a zip archive): it looks like a CSV or text file; rename it .csv or import it as CSV',
      [{ field: 'file', reason: 'this file is a CSV, not an XLSX' }],
    );
  }
  if (format === 'csv' && zip) {
    throw new AppError(
      'VALIDATION',
      'This file is a zip archive (an XLSX workbook?), not a CSV: rename it .xlsx or import it as XLSX',
      [{ field: 'file', reason: 'this file is an XLSX, not a CSV' }],
    );
  }
  return format === 'xlsx' ? openXlsx(input) : openCsv(input, opts);
}

async function peek(input: Readable): Promise<Buffer | undefined> {
  const chunk: Buffer | null = input.read(4) ?? (await readable(input));
  if (chunk) input.unshift(chunk);
  return chunk ?? undefined;
}

function readable(input: Readable): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const onReadable = () => {
      cleanup();
      resolve(input.read(4) ?? input.read());
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const cleanup = () => {
      input.off('readable', onReadable);
      input.off('end', onEnd);
      input.off('error', onError);
    };
    input.on('readable', onReadable);
    input.on('end', onEnd);
    input.on('error', onError);
  });
}
