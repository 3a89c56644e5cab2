import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedRateFile } from '../../domain/law/rate-csv-verified.js';
import {
  parseVerifiedRateCsv,
  readCsvRecords,
  verifiedLayoutOf,
} from '../../domain/law/rate-csv-verified.js';
import type { RateGap, RateRow } from '../../domain/law/rates/index.js';
import { AppError } from '../../errors.js';

/** The verified tables the built-in rates are generated from (the FR B2B table is derived). */
export const VERIFIED_RATE_FILES = [
  'ecb_mro_rate_history.verified.csv',
  'fr_taux_interet_legal.verified.csv',
  'de_basiszinssatz.verified.csv',
  'boe_bank_rate_history.verified.csv',
  'uk_statutory_late_payment_rate.verified.csv',
] as const;

export function parseVerifiedFile(text: string, origin: RateRow['origin']): ParsedRateFile {
  const records = readCsvRecords(text);
  const layout = verifiedLayoutOf(records[0] ?? []);
  if (!layout) throw new AppError('IMPORT_REJECTED', 'not a verified rate file (unknown header)');
  return parseVerifiedRateCsv(records, layout, origin);
}

/** Read every verified table of a directory (e.g. ../shared/law) as built-in rows and gaps. */
export function readVerifiedFiles(dir: string): { rows: RateRow[]; gaps: RateGap[] } {
  const rows: RateRow[] = [];
  const gaps: RateGap[] = [];
  for (const name of VERIFIED_RATE_FILES) {
    const path = join(dir, name);
    if (!existsSync(path)) throw new AppError('NOT_FOUND', `${path}: verified rate file not found`);
    const parsed = parseVerifiedFile(readFileSync(path, 'utf8'), 'built-in');
    rows.push(...parsed.rows);
    gaps.push(...parsed.gaps);
  }
  return { rows, gaps };
}
