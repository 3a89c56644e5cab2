import { addDays, type IsoDate } from '../../calendar/index.js';
import { dec, type LawDecimal } from '../decimal.js';
import type { RateTable } from '../rate-table.js';
import type { RateRow, RateSeries } from '../rates/index.js';
import type { Semester } from '../semesters.js';
import type { InterestStart, LawWarning, RateQuote } from '../types.js';

export function pct(d: LawDecimal): string {
  return d.toFixed(2);
}

export function provisionalWarnings(rows: RateRow[], semester: Semester): LawWarning[] {
  return rows
    .filter((r) => r.provisional || r.status === 'unverified')
    .map((r) => ({
      code: 'PROVISIONAL_RATE' as const,
      period: semester.label,
      message: `${semester.label}: UNVERIFIED ${r.series} row ${r.effectiveFrom} (${r.rate} %, ${r.origin === 'organisation' ? "organisation's row" : 'built-in'}) used, no official source confirms it: ${r.source}`,
    }));
}

/** Reference rate in force on a reference date plus a margin in points. */
export function referencePlus(
  rates: RateTable,
  series: RateSeries,
  referenceDate: IsoDate,
  margin: number,
  semester: Semester,
  reference: string,
): RateQuote {
  const row = rates.inForce(series, referenceDate, `reference date of ${semester.label}`);
  const rate = dec(row.rate).plus(margin);
  return {
    rate,
    kind: 'statutory',
    basis: `${series} ${row.rate} % in force on ${referenceDate} + ${margin} points (${reference})`,
    rows: [row],
    warnings: provisionalWarnings([row], semester),
  };
}

/**
 * A contractual rate replaces the statutory one when it is at least the floor; below the
 * floor the law's floor applies and the statement says so.
 */
export function withContractualFloor(
  statutory: RateQuote,
  contractual: LawDecimal | undefined,
  floor: { rate: LawDecimal; rows: RateRow[]; basis: string },
  semester: Semester,
): RateQuote {
  if (!contractual) return statutory;
  const rows = dedupeRows([...floor.rows]);
  if (contractual.gte(floor.rate)) {
    return {
      rate: contractual,
      kind: 'contractual',
      basis: `contractual rate ${pct(contractual)} % (not below the floor ${pct(floor.rate)} %: ${floor.basis})`,
      rows,
      warnings: provisionalWarnings(rows, semester),
    };
  }
  return {
    rate: floor.rate,
    kind: 'floor',
    basis: `legal floor ${pct(floor.rate)} % (${floor.basis}) instead of the contractual ${pct(contractual)} %`,
    rows,
    warnings: [
      {
        code: 'FLOOR_APPLIED',
        period: semester.label,
        message: `${semester.label}: contractual rate ${pct(contractual)} % is below the legal floor ${pct(floor.rate)} % (${floor.basis}); the floor applies`,
      },
      ...provisionalWarnings(rows, semester),
    ],
  };
}

function dedupeRows(rows: RateRow[]): RateRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const k = `${r.series}|${r.effectiveFrom}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Interest runs from the day after the due date, without any reminder. */
export function fromDayAfterDue(dueDate: IsoDate, reference: string): InterestStart {
  return { from: addDays(dueDate, 1), reference };
}

/** The day before the half-year starts (31 December / 30 June): UK reference dates. */
export function dayBefore(semester: Semester): IsoDate {
  return addDays(semester.start, -1);
}
