/**
 * The cash-in forecast: expected collections per week, per currency, from each open
 * invoice's distribution of settlement dates (model.ts). Bands: P10/P90 of the weekly total
 * under independent invoices (normal approximation of a sum of Bernoulli amounts), which is
 * honest about one large invoice dominating a week and cheap on a million invoices.
 */
import { mapeAndBias } from './metrics.js';

export interface OpenItem {
  currency: string;
  balanceMinor: number;
  dueDay: number;
  /** Sorted possible settlement days, each equally likely (from predictInvoice's samples). */
  settlementDays: readonly number[];
}

export interface ForecastWeek {
  /** First day of the week (the forecast day + 7 × k). */
  startDay: number;
  expectedMinor: number;
  p10Minor: number;
  p90Minor: number;
  /** The naive forecast: every balance collected on its due date (overdue ones in week 1). */
  naiveMinor: number;
}

export interface CurrencyForecast {
  currency: string;
  weeks: ForecastWeek[];
  /** Expected to come in after the last week. */
  laterMinor: number;
}

const Z90 = 1.2815515655446004;

function countBelow(sorted: readonly number[], day: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function forecastCashIn(items: readonly OpenItem[], fromDay: number, weeks = 13): CurrencyForecast[] {
  const by = new Map<
    string,
    { mean: Float64Array; variance: Float64Array; naive: Float64Array; later: number }
  >();
  for (const it of items) {
    if (it.balanceMinor <= 0 || it.settlementDays.length === 0) continue;
    let acc = by.get(it.currency);
    if (!acc) {
      acc = {
        mean: new Float64Array(weeks),
        variance: new Float64Array(weeks),
        naive: new Float64Array(weeks),
        later: 0,
      };
      by.set(it.currency, acc);
    }
    const n = it.settlementDays.length;
    let prev = countBelow(it.settlementDays, fromDay);
    // Samples before today are paid "today": the invoice is still open.
    let carry = prev;
    for (let w = 0; w < weeks; w++) {
      const upto = countBelow(it.settlementDays, fromDay + 7 * (w + 1));
      const p = (upto - prev + carry) / n;
      carry = 0;
      prev = upto;
      acc.mean[w] = (acc.mean[w] as number) + it.balanceMinor * p;
      acc.variance[w] = (acc.variance[w] as number) + it.balanceMinor * it.balanceMinor * p * (1 - p);
    }
    acc.later += (it.balanceMinor * (n - prev)) / n;
    const nw = Math.max(0, Math.floor((it.dueDay - fromDay) / 7));
    if (nw < weeks) acc.naive[nw] = (acc.naive[nw] as number) + it.balanceMinor;
  }
  return [...by.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, a]) => ({
      currency,
      laterMinor: Math.round(a.later),
      weeks: Array.from({ length: weeks }, (_, w) => {
        const m = a.mean[w] as number;
        const sd = Math.sqrt(a.variance[w] as number);
        return {
          startDay: fromDay + 7 * w,
          expectedMinor: Math.round(m),
          p10Minor: Math.max(0, Math.round(m - Z90 * sd)),
          p90Minor: Math.round(m + Z90 * sd),
          naiveMinor: Math.round(a.naive[w] as number),
        };
      }),
    }));
}

export interface BacktestResult {
  currency: string;
  fromDay: number;
  actualMinor: number[];
  forecastMinor: number[];
  naiveMinor: number[];
  model: { mape: number; bias: number };
  naive: { mape: number; bias: number };
}

/** Compare a forecast made on `fromDay` with what was actually collected each week after it. */
export function backtest(
  forecast: readonly CurrencyForecast[],
  collected: readonly { currency: string; day: number; amountMinor: number }[],
): BacktestResult[] {
  return forecast.map((f) => {
    const weeks = f.weeks.length;
    const fromDay = f.weeks[0]?.startDay ?? 0;
    const actual = new Array<number>(weeks).fill(0);
    for (const c of collected) {
      if (c.currency !== f.currency) continue;
      const w = Math.floor((c.day - fromDay) / 7);
      if (w >= 0 && w < weeks) actual[w] = (actual[w] as number) + c.amountMinor;
    }
    const fm = f.weeks.map((w) => w.expectedMinor);
    const nm = f.weeks.map((w) => w.naiveMinor);
    return {
      currency: f.currency,
      fromDay,
      actualMinor: actual,
      forecastMinor: fm,
      naiveMinor: nm,
      model: mapeAndBias(actual, fm),
      naive: mapeAndBias(actual, nm),
    };
  });
}
