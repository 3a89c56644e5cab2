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
  /**
   * The official citation the figure comes from (ECB press release, arrêté in the Journal
   * officiel, Bundesbank series, Bank of England history…), word for word from the verified file.
   */
  source: string;
  /**
   * 'verified' (the official publication was read or identified and matches), 'corrected'
   * (a row added or changed by the verification, on an official citation), 'unverified' (no
   * authoritative source found, or an organisation's row that does not say): statements
   * using an unverified row flag it and never apply it silently.
   */
  status: RateStatus;
  /** True when status is 'unverified' (kept for the stored column and the API). */
  provisional: boolean;
  origin: 'built-in' | 'organisation';
}

export const RATE_STATUSES = ['verified', 'corrected', 'unverified'] as const;
export type RateStatus = (typeof RATE_STATUSES)[number];

export function isRateStatus(s: string): s is RateStatus {
  return (RATE_STATUSES as readonly string[]).includes(s);
}

/** A status counts as confirmed by an official source when it is not 'unverified'. */
export function isConfirmedStatus(s: RateStatus): boolean {
  return s !== 'unverified';
}

/**
 * A period the verification looked for and did not find (e.g. the French taux légal for
 * 2026-H2): no figure, only why. A computation needing it is refused with this reason.
 */
export interface RateGap {
  series: RateSeries;
  /** Semester label ('2026-H2') or first date the missing row would cover. */
  period: string;
  from: IsoDate;
  reason: string;
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
