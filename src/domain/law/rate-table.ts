import { AppError } from '../../errors.js';
import type { IsoDate } from '../calendar/index.js';
import {
  BUILT_IN_RATE_GAPS,
  BUILT_IN_RATE_ROWS,
  RATE_SERIES,
  type RateGap,
  type RateRow,
  type RateSeries,
  SERIES_INFO,
} from './rates/index.js';
import { semesterOf } from './semesters.js';

/**
 * The rows a computation may use: built-in rows merged with an organisation's imported rows.
 * A row is in force from its effective date until the next row of its series, and only up
 * to the series' coverage (`knownThrough`): a later date is a missing period, so a stale
 * rate is never carried forward without anyone noticing.
 */
export class RateTable {
  private readonly bySeries: Map<RateSeries, RateRow[]>;
  private readonly coverage: Map<RateSeries, IsoDate>;
  private readonly gapList: RateGap[];

  constructor(
    rows: readonly RateRow[],
    coverage: Partial<Record<RateSeries, IsoDate>>,
    gaps: readonly RateGap[] = [],
  ) {
    this.gapList = [...gaps];
    this.bySeries = new Map(RATE_SERIES.map((s) => [s, [] as RateRow[]]));
    for (const r of rows) this.bySeries.get(r.series)?.push(r);
    for (const list of this.bySeries.values())
      list.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
    this.coverage = new Map();
    for (const s of RATE_SERIES) {
      const c = coverage[s];
      if (c) this.coverage.set(s, c);
    }
  }

  rows(series?: RateSeries): RateRow[] {
    if (series) return [...(this.bySeries.get(series) ?? [])];
    return RATE_SERIES.flatMap((s) => this.bySeries.get(s) ?? []);
  }

  /** Periods known to be missing (looked for, not found), with the reason. */
  gaps(series?: RateSeries): RateGap[] {
    return this.gapList.filter((g) => !series || g.series === series);
  }

  knownThrough(series: RateSeries): IsoDate | undefined {
    return this.coverage.get(series);
  }

  /**
   * The row in force on `date`. `purpose` names what the rate is for, so the error says
   * which period is missing ("reference date of 2027-H1").
   */
  inForce(series: RateSeries, date: IsoDate, purpose?: string): RateRow {
    const rows = this.bySeries.get(series) ?? [];
    let found: RateRow | undefined;
    for (const r of rows) {
      if (r.effectiveFrom <= date) found = r;
      else break;
    }
    const covered = this.coverage.get(series);
    const what = purpose ? ` (${purpose})` : '';
    if (!found || !covered || date > covered) {
      const range = rows.length
        ? `known rows run from ${rows[0]?.effectiveFrom} and are confirmed up to ${covered ?? '(none)'}`
        : 'no rows are loaded';
      const period = semesterOf(date).label;
      const gap = this.gapList.find(
        (g) => g.series === series && g.from <= date && (g.period === period || g.from === date),
      );
      const notFound = gap ? ` Not found by the verification of the official sources: ${gap.reason}` : '';
      throw new AppError(
        'LAW_NO_RATE',
        `No ${series} rate for ${date}${what}: ${range}.${notFound} Load the missing row with \`relance rates import FILE\`.`,
        [
          {
            field: 'rates',
            value: `${series}@${date}`,
            reason: `no ${series} rate in force on ${date}${what}`,
          },
        ],
        { series, date, period, rateStatus: 'missing', ...(gap ? { gap: gap.reason } : {}) },
      );
    }
    return found;
  }
}

function coverageOf(series: RateSeries, date: IsoDate): IsoDate {
  // A semester row describes its whole half-year; a decision row only its own date (a later
  // date needs a later row, e.g. a "hold" confirmation dated on the reference date).
  return SERIES_INFO[series].cadence === 'semester' ? semesterOf(date).end : date;
}

/**
 * Built-in rows plus an organisation's rows. On the same series and effective date the
 * organisation's row wins (it corrects a provisional or wrong figure); an organisation's row
 * extends the series' coverage up to its own period.
 */
export function mergeRates(
  orgRows: readonly RateRow[] = [],
  builtIn: readonly RateRow[] = BUILT_IN_RATE_ROWS,
  builtInGaps: readonly RateGap[] = BUILT_IN_RATE_GAPS,
): RateTable {
  const key = (r: RateRow) => `${r.series}|${r.effectiveFrom}`;
  const merged = new Map<string, RateRow>();
  for (const r of builtIn) merged.set(key(r), r);
  for (const r of orgRows) merged.set(key(r), r);
  const coverage: Partial<Record<RateSeries, IsoDate>> = {};
  for (const s of RATE_SERIES) coverage[s] = SERIES_INFO[s].knownThrough;
  for (const r of orgRows) {
    const c = coverageOf(r.series, r.effectiveFrom);
    const current = coverage[r.series];
    if (!current || c > current) coverage[r.series] = c;
  }
  // A gap the organisation filled is no longer a gap.
  const gaps = builtInGaps.filter(
    (g) => !orgRows.some((r) => r.series === g.series && r.effectiveFrom === g.from),
  );
  return new RateTable([...merged.values()], coverage, gaps);
}

let builtInTable: RateTable | undefined;
export function builtInRates(): RateTable {
  builtInTable ??= mergeRates([]);
  return builtInTable;
}
