import { addDays, daysBetween, type IsoDate, isLeapYear } from '../calendar/index.js';

/**
 * Day-count conventions. French and UK practice is actual/365 (leanpay.fr:
 * montant × taux × jours / 365; payontime.co.uk: daily interest = debt × rate / 365), the
 * default everywhere. Some French calculators divide by 366 in leap years; the German
 * Mahnverfahren uses 30/360 (30E/360: day 31 counts as 30). A setting, not a constant.
 */
export const DAY_COUNTS = ['act/365', 'act/366-leap', '30/360'] as const;
export type DayCount = (typeof DAY_COUNTS)[number];

export function isDayCount(s: string): s is DayCount {
  return (DAY_COUNTS as readonly string[]).includes(s);
}

/**
 * Days and year basis for the inclusive period [from, to]. Periods never span a year end
 * (they are cut at semester boundaries first), so one basis per period is exact.
 */
export function countDays(from: IsoDate, to: IsoDate, convention: DayCount): { days: number; basis: number } {
  if (convention === '30/360') return { days: days30E360(addDays(from, -1), to), basis: 360 };
  const days = daysBetween(from, to) + 1;
  if (convention === 'act/366-leap') return { days, basis: isLeapYear(Number(from.slice(0, 4))) ? 366 : 365 };
  return { days, basis: 365 };
}

/** 30E/360 between two dates (start excluded, end included). */
function days30E360(start: IsoDate, end: IsoDate): number {
  const [y1, m1, d1] = start.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = end.split('-').map(Number) as [number, number, number];
  return 360 * (y2 - y1) + 30 * (m2 - m1) + (Math.min(d2, 30) - Math.min(d1, 30));
}
