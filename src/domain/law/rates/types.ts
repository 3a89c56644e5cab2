import type { IsoDate } from '../../calendar/index.js';

/**
 * The rate series the law engine reads. Rates are percent per year as decimal strings
 * ("2.15"), never floats.
 */
export const RATE_SERIES = [
  'ECB_MRO',
  'FR_TIL_CONSUMER',
  'FR_TIL_OTHER',
  'DE_BASISZINS',
  'BOE_BASE',
  'UK_STATUTORY',
] as const;
export type RateSeries = (typeof RATE_SERIES)[number];

export function isRateSeries(s: string): s is RateSeries {
  return (RATE_SERIES as readonly string[]).includes(s);
}

export interface RateRow {
  series: RateSeries;
  /** First day the rate is in force; it stays in force until the next row of the series. */
  effectiveFrom: IsoDate;
  /** Percent per year, decimal string. */
  rate: string;
  /** Where the figure comes from (publication, press release, arrêté…). */
  source: string;
  /** The figure rests on a single or unconfirmed source: statements using it warn. */
  provisional: boolean;
  origin: 'built-in' | 'organisation';
}

export interface SeriesInfo {
  series: RateSeries;
  label: string;
  /**
   * 'change': a row per decision (central-bank rates); 'semester': published for each
   * half-year, so rows start on 1 January or 1 July.
   */
  cadence: 'change' | 'semester';
  /**
   * The last day the built-in rows are known to describe. A rate asked for a later date is
   * a missing period (error), never the last known value carried forward silently.
   */
  knownThrough: IsoDate;
}
