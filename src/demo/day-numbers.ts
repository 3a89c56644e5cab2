import type { IsoDate } from '../domain/calendar/index.js';

const DAY_MS = 86_400_000;

/**
 * Dates as day numbers (days since 1970-01-01) with cached ISO strings: the generator does
 * a dozen date operations per invoice, and a few hundred thousand invoices span only a few
 * hundred distinct days, so parsing and formatting once per day keeps it fast.
 */
export class DayNumbers {
  readonly #iso = new Map<number, IsoDate>();
  readonly #eom = new Map<number, number>();

  day(iso: IsoDate): number {
    return Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
  }

  iso(day: number): IsoDate {
    let s = this.#iso.get(day);
    if (s === undefined) {
      s = new Date(day * DAY_MS).toISOString().slice(0, 10);
      this.#iso.set(day, s);
    }
    return s;
  }

  /** 0 = January. */
  month(day: number): number {
    return Number(this.iso(day).slice(5, 7)) - 1;
  }

  /** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
  weekday(day: number): number {
    return (((day + 4) % 7) + 7) % 7;
  }

  endOfMonth(day: number): number {
    let e = this.#eom.get(day);
    if (e === undefined) {
      const d = new Date(day * DAY_MS);
      e = Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0) / DAY_MS);
      this.#eom.set(day, e);
    }
    return e;
  }
}
