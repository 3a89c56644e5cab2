import { Decimal } from 'decimal.js';
import { addDays, addMonths, daysBetween, type IsoDate } from '../calendar/index.js';

/** One period of credit sales, most recent first in the lists below. */
export interface SalesPeriod {
  /** First and last day, inclusive. */
  from: IsoDate;
  to: IsoDate;
  /** Invoiced (gross) in the period, minor units. */
  sales: number;
}

export interface DsoResult {
  /** Days sales outstanding, one decimal. */
  days: number;
  /** False when the history ran out before the receivables were absorbed: `days` is a floor. */
  complete: boolean;
}

/**
 * The last `months` periods ending on `today`: the month to date, then whole calendar
 * months before it. Count-back DSO walks them from the most recent.
 */
export function countBackPeriods(today: IsoDate, months: number): Omit<SalesPeriod, 'sales'>[] {
  const periods: Omit<SalesPeriod, 'sales'>[] = [];
  let monthStart = `${today.slice(0, 7)}-01`;
  let to = today;
  for (let i = 0; i < months; i++) {
    periods.push({ from: monthStart, to });
    to = addDays(monthStart, -1);
    monthStart = addMonths(monthStart, -1);
  }
  return periods;
}

/**
 * Count-back DSO: starting from the most recent period, subtract each period's sales from
 * the receivables outstanding and count its days, until what is left is smaller than a
 * period's sales; that period contributes the matching fraction of its days. Unlike the
 * average method (receivables / sales × days), it is not skewed by seasonal sales.
 */
export function countBackDso(receivables: number, periods: readonly SalesPeriod[]): DsoResult {
  if (receivables <= 0) return { days: 0, complete: true };
  let left = new Decimal(receivables);
  let days = new Decimal(0);
  for (const p of periods) {
    const length = daysBetween(p.from, p.to) + 1;
    if (p.sales > 0 && left.lte(p.sales)) {
      days = days.plus(left.div(p.sales).times(length));
      return { days: days.toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toNumber(), complete: true };
    }
    left = left.minus(Math.max(p.sales, 0));
    days = days.plus(length);
  }
  return { days: days.toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toNumber(), complete: false };
}
