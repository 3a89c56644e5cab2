import { parse } from 'csv-parse/sync';
import { AppError, type ErrorDetail } from '../../errors.js';
import { isIsoDate } from '../calendar/index.js';
import { normaliseRate } from './rate-csv.js';
import { isRateStatus, type RateGap, type RateRow, type RateSeries, type RateStatus } from './rates/index.js';

/**
 * The verified rate files (`*.verified.csv`, docs/law.md "Rate sources"): one layout per
 * table, each with an `official_source` citation and a `status` per row. The layout is
 * recognised from the header; a row whose value was not found (blank figure, status
 * 'unverified') becomes a gap, reported, never a row.
 */
interface Layout {
  name: string;
  /** Columns that identify the layout (all must be present). */
  signature: string[];
  /** Column holding the date or the half-year. */
  when: string;
  whenKind: 'date' | 'semester';
  values: { column: string; series: RateSeries }[];
}

const LAYOUTS: Layout[] = [
  {
    name: 'ecb_mro_rate_history',
    signature: ['effective_date', 'mro_rate_pct'],
    when: 'effective_date',
    whenKind: 'date',
    values: [{ column: 'mro_rate_pct', series: 'ECB_MRO' }],
  },
  {
    name: 'boe_bank_rate_history',
    signature: ['effective_date', 'bank_rate_pct'],
    when: 'effective_date',
    whenKind: 'date',
    values: [{ column: 'bank_rate_pct', series: 'BOE_BASE' }],
  },
  {
    name: 'de_basiszinssatz',
    signature: ['period', 'basiszinssatz_pct'],
    when: 'period',
    whenKind: 'semester',
    values: [{ column: 'basiszinssatz_pct', series: 'DE_BASISZINS' }],
  },
  {
    name: 'fr_taux_interet_legal',
    signature: ['semester', 'creancier_personne_physique_non_pro_pct', 'autres_cas_pct'],
    when: 'semester',
    whenKind: 'semester',
    values: [
      { column: 'creancier_personne_physique_non_pro_pct', series: 'FR_TIL_CONSUMER' },
      { column: 'autres_cas_pct', series: 'FR_TIL_OTHER' },
    ],
  },
  {
    name: 'uk_statutory_late_payment_rate',
    signature: ['period', 'statutory_rate_pct'],
    when: 'period',
    whenKind: 'semester',
    values: [{ column: 'statutory_rate_pct', series: 'UK_STATUTORY' }],
  },
];

/** 'fr_b2b_late_penalty_default_rate' is derived (ECB MRO + 10): the engine computes it. */
const DERIVED_SIGNATURE = ['semester', 'ecb_mro_reference_pct', 'default_penalty_rate_pct'];

export interface ParsedRateFile {
  /** Layout recognised ('generic' for series,effective_from,rate,source[,status]). */
  layout: string;
  rows: RateRow[];
  gaps: RateGap[];
}

export function readCsvRecords(text: string): string[][] {
  try {
    return parse(text.replace(/^\uFEFF/, ''), {
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    });
  } catch (e) {
    throw new AppError('IMPORT_REJECTED', `Rate file is not valid CSV: ${(e as Error).message}`);
  }
}

/** The layout of a header, or undefined when it is not one of the verified tables. */
export function verifiedLayoutOf(header: string[]): Layout | undefined {
  const h = header.map((c) => c.toLowerCase());
  if (DERIVED_SIGNATURE.every((c) => h.includes(c))) {
    throw new AppError(
      'IMPORT_REJECTED',
      'This is the French B2B default-rate table, which is derived (ECB MRO on 1 January / 1 July + 10 points, L441-10 C. com.): import ecb_mro_rate_history.verified.csv and fr_taux_interet_legal.verified.csv instead',
      [{ line: 1, column: 'default_penalty_rate_pct', reason: 'derived table, computed by the engine' }],
    );
  }
  return LAYOUTS.find((l) => l.signature.every((c) => h.includes(c)));
}

/** '2026-H2' → 2026-07-01; '2020-H1..2022-H2' → 2020-01-01 (the range's first half-year). */
function semesterStart(label: string): { start: string; label: string } | undefined {
  const first = label.split('..')[0]?.trim() ?? '';
  const m = /^(\d{4})-H([12])$/.exec(first);
  if (!m) return undefined;
  return { start: `${m[1]}-${m[2] === '1' ? '01' : '07'}-01`, label: first };
}

const RATE_RE = /^-?\d{1,2}(\.\d{1,4})?$/;

/**
 * Parse one verified rate file, all or nothing: every problem is listed by line and column.
 * Rows become organisation rows when imported (`origin`), built-in rows when generated.
 */
export function parseVerifiedRateCsv(
  records: string[][],
  layout: Layout,
  origin: RateRow['origin'] = 'organisation',
): ParsedRateFile {
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const errors: ErrorDetail[] = [];
  for (const c of ['official_source', 'status']) {
    if (col(c) < 0)
      errors.push({ line: 1, column: c, reason: 'missing column (verified rate files carry it)' });
  }
  if (errors.length > 0) {
    throw new AppError(
      'IMPORT_REJECTED',
      `Rate file rejected: ${errors.map((e) => `${e.column}: ${e.reason}`).join('; ')}`,
      errors,
    );
  }
  const rows: RateRow[] = [];
  const gaps: RateGap[] = [];
  const seen = new Map<string, number>();
  records.slice(1).forEach((rec, i) => {
    const line = i + 2;
    const get = (name: string) => (rec[col(name)] ?? '').trim();
    const statusText = get('status').toLowerCase();
    const source = get('official_source');
    const whenText = get(layout.when);
    const before = errors.length;
    let status: RateStatus = 'unverified';
    if (!isRateStatus(statusText)) {
      errors.push({
        line,
        column: 'status',
        value: statusText,
        reason: 'must be verified, corrected or unverified',
      });
    } else status = statusText;
    if (!source)
      errors.push({ line, column: 'official_source', reason: 'every row needs its official citation' });
    let from = '';
    let period = whenText;
    if (layout.whenKind === 'date') {
      if (!isIsoDate(whenText))
        errors.push({ line, column: layout.when, value: whenText, reason: 'not a YYYY-MM-DD date' });
      from = whenText;
    } else {
      const s = semesterStart(whenText);
      if (!s)
        errors.push({
          line,
          column: layout.when,
          value: whenText,
          reason: 'not a half-year such as 2026-H2',
        });
      else {
        from = s.start;
        period = s.label;
      }
    }
    if (errors.length > before) return;
    for (const v of layout.values) {
      const raw = get(v.column).replace(',', '.');
      if (raw === '') {
        if (status === 'unverified') {
          gaps.push({ series: v.series, period, from, reason: source });
        } else {
          errors.push({ line, column: v.column, reason: `blank figure on a row marked ${status}` });
        }
        continue;
      }
      if (!RATE_RE.test(raw)) {
        errors.push({
          line,
          column: v.column,
          value: raw,
          reason: 'not a percentage with at most 4 decimals',
        });
        continue;
      }
      const key = `${v.series}|${from}`;
      const earlier = seen.get(key);
      if (earlier) {
        errors.push({
          line,
          column: layout.when,
          value: whenText,
          reason: `duplicates line ${earlier} (${v.series})`,
        });
        continue;
      }
      seen.set(key, line);
      rows.push({
        series: v.series,
        effectiveFrom: from,
        rate: normaliseRate(raw),
        source,
        status,
        provisional: status === 'unverified',
        origin,
      });
    }
  });
  if (errors.length > 0) {
    throw new AppError(
      'IMPORT_REJECTED',
      `Rate file rejected: ${errors.length} problem(s), nothing loaded`,
      errors,
    );
  }
  if (rows.length === 0 && gaps.length === 0) throw new AppError('IMPORT_REJECTED', 'Rate file has no rows');
  return { layout: layout.name, rows, gaps };
}
