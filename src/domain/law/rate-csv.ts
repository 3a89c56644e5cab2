import { parse } from 'csv-parse/sync';
import { AppError, type ErrorDetail } from '../../errors.js';
import { isIsoDate } from '../calendar/index.js';
import { isRateSeries, RATE_SERIES, type RateRow, SERIES_INFO } from './rates/index.js';
import { isSemesterStart } from './semesters.js';

const COLUMNS = ['series', 'effective_from', 'rate', 'source'] as const;

/**
 * Parse an organisation's rate file: a header `series,effective_from,rate,source` (other
 * columns ignored) and one row per rate. All or nothing: any bad row rejects the file with
 * every problem listed by line and column. A source mentioning "provisional" marks the row
 * provisional, so statements using it warn.
 */
export function parseRateCsv(text: string): RateRow[] {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    });
  } catch (e) {
    throw new AppError('IMPORT_REJECTED', `Rate file is not valid CSV: ${(e as Error).message}`);
  }
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
    const before = errors.length;
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
    rows.push({
      series,
      effectiveFrom,
      rate: normaliseRate(rateText),
      source,
      provisional: /provisional/i.test(source),
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
