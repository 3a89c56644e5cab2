import { OFFICIAL_RATE_GAPS, OFFICIAL_RATE_ROWS } from './official-data.js';
import type { RateGap, RateRow, RateSeries, SeriesInfo } from './types.js';

export * from './types.js';

/** Data version of the built-in tables: bump when a row changes (shown by `relance rates list`). */
export const BUILT_IN_RATES_VERSION = '2026-12-05-verified';

export const SERIES_INFO: Record<RateSeries, SeriesInfo> = {
  // Last verified decision: 10 Sep 2026, in force from 16 Sep 2026. The outcome of the
  // 29 Oct 2026 meeting was not found (VERIFICATION.md), so the series stops the day before.
  ECB_MRO: {
    series: 'ECB_MRO',
    label: 'ECB main refinancing rate',
    cadence: 'change',
    knownThrough: '2026-10-28',
  },
  FR_TIL_CONSUMER: {
    series: 'FR_TIL_CONSUMER',
    label: "Taux d'intérêt légal, créancier personne physique non professionnelle",
    cadence: 'semester',
    knownThrough: '2026-06-30',
  },
  FR_TIL_OTHER: {
    series: 'FR_TIL_OTHER',
    label: "Taux d'intérêt légal, autres cas",
    cadence: 'semester',
    knownThrough: '2026-06-30',
  },
  DE_BASISZINS: {
    series: 'DE_BASISZINS',
    label: 'Basiszinssatz (§247 BGB)',
    cadence: 'semester',
    knownThrough: '2026-12-31',
  },
  // Last verified decision: hold of 17 Sep 2026. The 5 Nov 2026 outcome was not found.
  BOE_BASE: {
    series: 'BOE_BASE',
    label: 'Bank of England Bank Rate',
    cadence: 'change',
    knownThrough: '2026-11-04',
  },
  UK_STATUTORY: {
    series: 'UK_STATUTORY',
    label: 'UK statutory late-payment rate',
    cadence: 'semester',
    knownThrough: '2026-12-31',
  },
};

/**
 * The built-in rows, generated word for word from the verified files
 * (../shared/law/*.verified.csv, scripts/gen-rate-tables.ts): each with its official
 * citation and status. test/unit/law/rate-verified.test.ts compares them with the files.
 */
export const BUILT_IN_RATE_ROWS: readonly RateRow[] = Object.freeze([...OFFICIAL_RATE_ROWS]);

/** Periods the verification looked for and did not find (French taux légal 2026-H2). */
export const BUILT_IN_RATE_GAPS: readonly RateGap[] = Object.freeze([...OFFICIAL_RATE_GAPS]);
