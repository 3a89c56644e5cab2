import { AppError, type ErrorDetail } from '../../errors.js';
import { isIsoDate } from '../calendar/index.js';
import {
  type ParsedRateFile,
  parseVerifiedRateCsv,
  readCsvRecords,
  verifiedLayoutOf,
} from './rate-csv-verified.js';
import {
  isRateSeries,
  isRateStatus,
  RATE_SERIES,
  type RateRow,
  type RateStatus,
  SERIES_INFO,
} from './rates/index.js';
import { isSemesterStart } from './semesters.js';

const COLUMNS = ['series', 'effective_from', 'rate', 'source'] as const;

/**
 * Parse a rate file in either format: one of the verified tables (`*.verified.csv`, with
 * `official_source` and `status` per row; recognised from the header) or the generic
 * `series,effective_from,rate,source[,status]`. All or nothing.
 */
export function parseRateFile(text: string): ParsedRateFile {
  const records = readCsvRecords(text);
  const layout = verifiedLayoutOf(records[0] ?? []);
  if (layout) return parseVerifiedRateCsv(records, layout);
  return { layout: 'generic', rows: parseGeneric(records), gaps: [] };
}

/**
 * Parse an organisation's rate file: a header `series,effective_from,rate,source` and an
 * optional `status` (verified | corrected | unverified; other columns ignored), one row per
 * rate. All or nothing: any bad row rejects the file with every problem listed by line and
 * column. A row without a status, or whose source says "provisional", is 'unverified': a
 * statement using it flags it.
 */
export function parseRateCsv(text: string): RateRow[] {
  return parseGeneric(readCsvRecords(text));
}

function parseGeneric(records: string[][]): RateRow[] {
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const index = Object.fromEntries(COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof COLUMNS)[number],
    number
  >;
  const missing = COLUMNS.filter((c) => index[c] < 0);
  if (missing.length > 0) {
    throw new AppError(
      'IMPORT_REJECTED',
      `Rate file header must name the columns ${COLUMNS.join(',')}; missing: ${missing.join(', ')}`,
      missing.map((c) => ({ line: 1, column: c, reason: 'missing column' })),
    );
  }
  const statusIndex = header.indexOf('status');
  const errors: ErrorDetail[] = [];
  const rows: RateRow[] = [];
  const seen = new Map<string, number>();
  records.slice(1).forEach((rec, i) => {
    const line = i + 2;
    const get = (c: (typeof COLUMNS)[number]) => (rec[index[c]] ?? '').trim();
    const series = get('series').toUpperCase();
    const effectiveFrom = get('effective_from');
    const rateText = get('rate').replace(',', '.');
    const source = get('source');
    const statusText = statusIndex < 0 ? '' : (rec[statusIndex] ?? '').trim().toLowerCase();
    const before = errors.length;
    if (statusText !== '' && !isRateStatus(statusText)) {
      errors.push({
        line,
        column: 'status',
        value: statusText,
        reason: 'must be verified, corrected or unverified',
      });
    }
    if (!isRateSeries(series)) {
      errors.push({
        line,
        column: 'series',
        value: series,
        reason: `unknown series; known: ${RATE_SERIES.join(', ')}`,
      });
    }
    if (!isIsoDate(effectiveFrom)) {
      errors.push({ line, column: 'effective_from', value: effectiveFrom, reason: 'not a YYYY-MM-DD date' });
    } else if (
      isRateSeries(series) &&
      SERIES_INFO[series].cadence === 'semester' &&
      !isSemesterStart(effectiveFrom)
    ) {
      errors.push({
        line,
        column: 'effective_from',
        value: effectiveFrom,
        reason: `${series} is set per half-year: use 1 January or 1 July`,
      });
    }
    if (!/^-?\d{1,2}(\.\d{1,4})?$/.test(rateText)) {
      errors.push({
        line,
        column: 'rate',
        value: rateText,
        reason: 'not a percentage between -99.9999 and 99.9999 with at most 4 decimals',
      });
    }
    if (!source) errors.push({ line, column: 'source', reason: 'a source is required for every rate row' });
    if (errors.length > before || !isRateSeries(series)) return;
    const key = `${series}|${effectiveFrom}`;
    const earlier = seen.get(key);
    if (earlier) {
      errors.push({
        line,
        column: 'effective_from',
        value: effectiveFrom,
        reason: `duplicates line ${earlier} (${series})`,
      });
      return;
    }
    seen.set(key, line);
    const status: RateStatus =
      /provisional/i.test(source) || !isRateStatus(statusText) ? 'unverified' : statusText;
    rows.push({
      series,
      effectiveFrom,
      rate: normaliseRate(rateText),
      source,
      status,
      provisional: status === 'unverified',
      origin: 'organisation',
    });
  });
  if (errors.length > 0) {
    throw new AppError(
      'IMPORT_REJECTED',
      `Rate file rejected: ${errors.length} problem(s), nothing loaded`,
      errors,
    );
  }
  if (rows.length === 0) throw new AppError('IMPORT_REJECTED', 'Rate file has no rows');
  return rows;
}

/** "2.1500" → "2.15", "3" → "3.00": at least two decimals, no trailing zeros beyond. */
export function normaliseRate(r: string): string {
  const [int = '0', frac = ''] = r.split('.');
  return `${int}.${frac.replace(/0+$/, '').padEnd(2, '0')}`;
}
