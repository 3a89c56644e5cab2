import type { Readable } from 'node:stream';
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
  let format = opts.format ?? formatFromFilename(opts.filename);
  if (!format) {
    if (Buffer.isBuffer(input)) format = isZip(input) ? 'xlsx' : 'csv';
    else {
      const first = await peek(input);
      format = first && isZip(first) ? 'xlsx' : 'csv';
    }
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
