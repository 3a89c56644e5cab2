import Holidays from 'date-holidays';
import { addDays, dayOfWeek, type IsoDate } from './dates.js';

/**
 * Public holidays per country (and optional region, e.g. FR-57 Moselle has extra days),
 * from the date-holidays package. Only `public` holidays count: bank and observance days
 * are working days for sending reminders and for legal deadlines.
 */
const cache = new Map<string, Map<number, Set<IsoDate>>>();

function holidaysOf(country: string, year: number): Set<IsoDate> {
  let byYear = cache.get(country);
  if (!byYear) {
    byYear = new Map();
    cache.set(country, byYear);
  }
  let set = byYear.get(year);
  if (!set) {
    const [c, region] = country.split('-');
    const hd = region ? new Holidays(c as string, region) : new Holidays(c as string);
    set = new Set(
      (hd.getHolidays(year) || []).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)),
    );
    byYear.set(year, set);
  }
  return set;
}

export function isPublicHoliday(d: IsoDate, country = 'FR'): boolean {
  return holidaysOf(country, Number(d.slice(0, 4))).has(d);
}

export function isSunday(d: IsoDate): boolean {
  return dayOfWeek(d) === 0;
}

/** Monday to Friday and not a public holiday. */
export function isWorkingDay(d: IsoDate, country = 'FR'): boolean {
  const dow = dayOfWeek(d);
  return dow !== 0 && dow !== 6 && !isPublicHoliday(d, country);
}

/** The date itself if it is a working day, else the next one (legal deadlines, CPC 642). */
export function nextWorkingDay(d: IsoDate, country = 'FR'): IsoDate {
  let day = d;
  while (!isWorkingDay(day, country)) day = addDays(day, 1);
  return day;
}

export function addWorkingDays(d: IsoDate, n: number, country = 'FR'): IsoDate {
  let day = d;
  let left = n;
  while (left > 0) {
    day = addDays(day, 1);
    if (isWorkingDay(day, country)) left--;
  }
  return day;
}
