import { addDays, compareDates, type IsoDate, isIsoDate } from '../calendar/index.js';

/** Portal rules an organisation can set under settings.portal. */
export interface PortalSettings {
  /** Latest promised date, in days after today. */
  maxPromiseDays: number;
  /** Days after the promised date before a promise counts as broken (transfer delay). */
  promiseGraceDays: number;
}

export const DEFAULT_PORTAL_SETTINGS: PortalSettings = { maxPromiseDays: 30, promiseGraceDays: 3 };

function intIn(v: unknown, min: number, max: number): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined;
}

/** Read settings.portal leniently: an absent or out-of-range value falls back to the default. */
export function portalSettingsOf(settings: Record<string, unknown> | null | undefined): PortalSettings {
  const p = (settings?.portal ?? {}) as Record<string, unknown>;
  return {
    maxPromiseDays: intIn(p.maxPromiseDays, 1, 365) ?? DEFAULT_PORTAL_SETTINGS.maxPromiseDays,
    promiseGraceDays: intIn(p.promiseGraceDays, 0, 60) ?? DEFAULT_PORTAL_SETTINGS.promiseGraceDays,
  };
}

export interface PromiseDateProblem {
  field: 'promisedDate';
  rule: 'format' | 'not_in_past' | 'max_days';
  reason: string;
  /** The latest acceptable date, when the rule is max_days. */
  latest?: IsoDate;
}

/** Why a promised date is refused, or null: today up to today + maxPromiseDays, inclusive. */
export function promiseDateProblem(
  promisedDate: string,
  today: IsoDate,
  settings: PortalSettings,
): PromiseDateProblem | null {
  if (!isIsoDate(promisedDate))
    return { field: 'promisedDate', rule: 'format', reason: 'must be a date YYYY-MM-DD' };
  if (compareDates(promisedDate, today) < 0)
    return { field: 'promisedDate', rule: 'not_in_past', reason: `must be ${today} or later` };
  const latest = addDays(today, settings.maxPromiseDays);
  if (compareDates(promisedDate, latest) > 0)
    return {
      field: 'promisedDate',
      rule: 'max_days',
      reason: `must be at most ${settings.maxPromiseDays} days from today (${latest} at the latest)`,
      latest,
    };
  return null;
}

/** A promise is broken once the day after its grace period has come with money still owed. */
export function promiseExpired(promisedDate: IsoDate, graceDays: number, today: IsoDate): boolean {
  return compareDates(addDays(promisedDate, graceDays), today) < 0;
}
