/**
 * Business dates are 'YYYY-MM-DD' strings: calendar days with no time zone. All arithmetic
 * goes through UTC midnight so daylight-saving changes never shift a day.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
}

export function assertIsoDate(s: string, field = 'date'): IsoDate {
  if (!isIsoDate(s)) throw new RangeError(`${field}: "${s}" is not a valid YYYY-MM-DD date`);
  return s;
}

// A dunning run does this arithmetic a few times per open item over a few hundred distinct
// dates: memoised both ways (bounded), parsing and formatting stop showing in its profile.
const MEMO_MAX = 20_000;
const utcOf = new Map<string, number>();
const isoOf = new Map<number, IsoDate>();
const instantOf = new Map<string, number>();

function toUtc(d: IsoDate): number {
  const hit = utcOf.get(d);
  if (hit !== undefined) return hit;
  const m = ISO_DATE.exec(d);
  if (!m) throw new RangeError(`"${d}" is not a YYYY-MM-DD date`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (utcOf.size >= MEMO_MAX) utcOf.clear();
  utcOf.set(d, ms);
  return ms;
}

function fromUtc(ms: number): IsoDate {
  const hit = isoOf.get(ms);
  if (hit !== undefined) return hit;
  const d = new Date(ms).toISOString().slice(0, 10);
  if (isoOf.size >= MEMO_MAX) isoOf.clear();
  isoOf.set(ms, d);
  return d;
}

export function addDays(d: IsoDate, days: number): IsoDate {
  return fromUtc(toUtc(d) + days * DAY_MS);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

/** Add calendar months, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(d: IsoDate, months: number): IsoDate {
  const dt = new Date(toUtc(d));
  const day = dt.getUTCDate();
  const target = new Date(Date.UTC(dt.getUTCFullYear(), dt.getUTCMonth() + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, last));
  return fromUtc(target.getTime());
}

export function addYears(d: IsoDate, years: number): IsoDate {
  return addMonths(d, years * 12);
}

export function endOfMonth(d: IsoDate): IsoDate {
  const dt = new Date(toUtc(d));
  return fromUtc(Date.UTC(dt.getUTCFullYear(), dt.getUTCMonth() + 1, 0));
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(d: IsoDate): number {
  return new Date(toUtc(d)).getUTCDay();
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const minDate = (a: IsoDate, b: IsoDate): IsoDate => (a <= b ? a : b);
export const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a >= b ? a : b);

/** The calendar date and wall-clock time of an instant in an IANA time zone. */
// Building an Intl formatter costs far more than using one: keep one per zone.
const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = zoneFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    zoneFormatters.set(timeZone, f);
  }
  return f;
}

export function zonedParts(instant: Date, timeZone: string): { date: IsoDate; hour: number; minute: number } {
  // One pass over the parts rather than a lookup per field: this runs for every uncached
  // (instant, zone), several times per postponed send while searching the next slot.
  let year: string | undefined;
  let month: string | undefined;
  let day: string | undefined;
  let hour: string | undefined;
  let minute: string | undefined;
  for (const p of zoneFormatter(timeZone).formatToParts(instant)) {
    if (p.type === 'year') year ??= p.value;
    else if (p.type === 'month') month ??= p.value;
    else if (p.type === 'day') day ??= p.value;
    else if (p.type === 'hour') hour ??= p.value;
    else if (p.type === 'minute') minute ??= p.value;
  }
  return {
    date: `${year ?? '00'}-${month ?? '00'}-${day ?? '00'}`,
    hour: Number(hour ?? '00'),
    minute: Number(minute ?? '00'),
  };
}

/** The instant at which it is `date` `hh:mm` in `timeZone` (e.g. the 09:00 Paris run). */
export function zonedInstant(date: IsoDate, hour: number, minute: number, timeZone: string): Date {
  // Memoised (bounded) like the date arithmetic above: the dunning planner asks for the same
  // few send-window starts for every postponed send, and each answer costs two Intl calls.
  const key = `${date} ${hour}:${minute} ${timeZone}`;
  let ms = instantOf.get(key);
  if (ms === undefined) {
    // Start from the UTC guess and correct by the zone's offset at that moment; a second
    // pass settles DST transitions.
    ms = toUtc(date) + (hour * 60 + minute) * 60_000;
    for (let i = 0; i < 2; i++) {
      const p = zonedParts(new Date(ms), timeZone);
      const shown = toUtc(p.date) + (p.hour * 60 + p.minute) * 60_000;
      ms += toUtc(date) + (hour * 60 + minute) * 60_000 - shown;
    }
    if (instantOf.size >= MEMO_MAX) instantOf.clear();
    instantOf.set(key, ms);
  }
  // A fresh Date each time: callers own (and may mutate) what they get.
  return new Date(ms);
}
