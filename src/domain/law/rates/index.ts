import { BOE_BASE_ROWS } from './boe-base.js';
import { DE_BASISZINS_ROWS } from './de-basiszins.js';
import { ECB_MRO_ROWS } from './ecb-mro.js';
import { FR_TIL_ROWS } from './fr-til.js';
import type { RateRow, RateSeries, SeriesInfo } from './types.js';
import { UK_STATUTORY_ROWS } from './uk-statutory.js';

export * from './types.js';

/** Data version of the built-in tables: bump when a row changes (shown by `relance rates list`). */
export const BUILT_IN_RATES_VERSION = '2026-06-research';

export const SERIES_INFO: Record<RateSeries, SeriesInfo> = {
  // Covers the 2026-H2 reference date (1 July 2026); the next decision was not researched.
  ECB_MRO: {
    series: 'ECB_MRO',
    label: 'ECB main refinancing rate',
    cadence: 'change',
    knownThrough: '2026-07-01',
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
  // Covers the 2026-H2 reference date (30 June 2026).
  BOE_BASE: {
    series: 'BOE_BASE',
    label: 'Bank of England Bank Rate',
    cadence: 'change',
    knownThrough: '2026-06-30',
  },
  UK_STATUTORY: {
    series: 'UK_STATUTORY',
    label: 'UK statutory late-payment rate',
    cadence: 'semester',
    knownThrough: '2026-12-31',
  },
};

export const BUILT_IN_RATE_ROWS: readonly RateRow[] = Object.freeze([
  ...ECB_MRO_ROWS,
  ...FR_TIL_ROWS,
  ...DE_BASISZINS_ROWS,
  ...BOE_BASE_ROWS,
  ...UK_STATUTORY_ROWS,
]);
