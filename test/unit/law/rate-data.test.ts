import { describe, expect, it } from 'vitest';
import { dec } from '../../../src/domain/law/decimal.js';
import { builtInRates, mergeRates } from '../../../src/domain/law/rate-table.js';
import { BUILT_IN_RATE_ROWS, type RateRow, SERIES_INFO } from '../../../src/domain/law/rates/index.js';
import { isSemesterStart } from '../../../src/domain/law/semesters.js';
import { catchError } from './helpers.js';

const rates = builtInRates();
const semesters = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i).flatMap((y) => [`${y}-01-01`, `${y}-07-01`]);
const prevDay = (d: string) =>
  d.endsWith('01-01') ? `${Number(d.slice(0, 4)) - 1}-12-31` : `${d.slice(0, 4)}-06-30`;

describe('built-in rate data (transcribed from /work/shared/law)', () => {
  it('reproduces the French B2B default rate table (ECB on 1 Jan / 1 Jul + 10) of fr_b2b_late_penalty_default_rate.csv', () => {
    // fr_b2b_late_penalty_default_rate.csv, default_penalty_rate_pct column, 2020-H1 … 2026-H2.
    const expected = [
      '10.00',
      '10.00',
      '10.00',
      '10.00',
      '10.00',
      '10.00',
      '12.50',
      '14.00',
      '14.50',
      '14.25',
      '13.15',
      '12.15',
      '12.15',
      '12.40',
    ];
    const got = semesters(2020, 2026).map((d) => dec(rates.inForce('ECB_MRO', d).rate).plus(10).toFixed(2));
    expect(got).toEqual(expected);
  });

  it('reproduces the 3 × taux légal floors of the same table', () => {
    const expected = [
      '2.61',
      '2.52',
      '2.37',
      '2.28',
      '2.28',
      '2.31',
      '6.18',
      '12.66',
      '15.21',
      '14.76',
      '11.13',
      '8.28',
      '7.86',
    ];
    const got = semesters(2020, 2026)
      .slice(0, 13)
      .map((d) => dec(rates.inForce('FR_TIL_OTHER', d).rate).times(3).toFixed(2));
    expect(got).toEqual(expected);
  });

  it('agrees with the published UK statutory rates: base rate on 31 Dec / 30 Jun + 8', () => {
    for (const start of semesters(2020, 2026)) {
      const base = rates.inForce('BOE_BASE', prevDay(start));
      const published = rates.inForce('UK_STATUTORY', start);
      expect(`${start}:${dec(base.rate).plus(8).toFixed(2)}`).toBe(
        `${start}:${dec(published.rate).toFixed(2)}`,
      );
    }
  });

  it('re-derives each Basiszinssatz change from the ECB rate change (§247 BGB)', () => {
    const starts = semesters(2023, 2026);
    for (const start of starts) {
      const before = prevSemesterStart(start);
      const ecbChange = dec(rates.inForce('ECB_MRO', start).rate).minus(
        rates.inForce('ECB_MRO', before).rate,
      );
      const baseChange = dec(rates.inForce('DE_BASISZINS', start).rate).minus(
        rates.inForce('DE_BASISZINS', before).rate,
      );
      expect(`${start}:${baseChange.toFixed(2)}`).toBe(`${start}:${ecbChange.toFixed(2)}`);
    }
  });

  it('starts every semester-series row on 1 January or 1 July and gives every row a source', () => {
    for (const r of BUILT_IN_RATE_ROWS) {
      expect(r.source.length).toBeGreaterThan(3);
      expect(/^-?\d+\.\d{2}$/.test(r.rate)).toBe(true);
      if (SERIES_INFO[r.series].cadence === 'semester') expect(isSemesterStart(r.effectiveFrom)).toBe(true);
    }
  });

  it('no longer rests any row on a single or provisional source: every built-in row is confirmed', () => {
    // The June 2026 ECB hike and the 2026-H2 Basiszinssatz were provisional in the research
    // tables; the verification (VERIFICATION.md) confirmed both on official citations.
    expect(BUILT_IN_RATE_ROWS.filter((r) => r.provisional || r.status === 'unverified')).toEqual([]);
    expect(rates.inForce('ECB_MRO', '2026-09-16')).toMatchObject({ rate: '2.65', status: 'corrected' });
  });
});

function prevSemesterStart(d: string): string {
  return d.endsWith('01-01') ? `${Number(d.slice(0, 4)) - 1}-07-01` : `${d.slice(0, 4)}-01-01`;
}

describe('rate table lookups', () => {
  it('returns the row in force on a date, the day of a change included', () => {
    expect(rates.inForce('ECB_MRO', '2025-06-10').rate).toBe('2.40');
    expect(rates.inForce('ECB_MRO', '2025-06-11').rate).toBe('2.15');
  });

  it('refuses a date after the series is known instead of carrying the last rate forward', () => {
    // The taux légal for 2026-H2 was not found (legal_rules.md §3).
    const err = catchError(() => rates.inForce('FR_TIL_OTHER', '2026-07-01', 'taux légal 2026-H2'));
    expect(err.code).toBe('LAW_NO_RATE');
    expect(err.message).toMatch(/FR_TIL_OTHER.*2026-07-01.*taux légal 2026-H2/);
    expect(err.extra).toMatchObject({ series: 'FR_TIL_OTHER', period: '2026-H2' });
  });

  it('refuses a date before the first row', () => {
    expect(catchError(() => rates.inForce('FR_TIL_OTHER', '2019-12-31')).code).toBe('LAW_NO_RATE');
  });

  it("lets an organisation's row win on the same series and date and extend the coverage", () => {
    const correction: RateRow = {
      series: 'ECB_MRO',
      effectiveFrom: '2026-06-17',
      rate: '2.15',
      source: 'ECB confirmed no change',
      status: 'verified',
      provisional: false,
      origin: 'organisation',
    };
    const til: RateRow = {
      ...correction,
      series: 'FR_TIL_OTHER',
      effectiveFrom: '2026-07-01',
      rate: '2.50',
      source: 'arrêté',
    };
    const t = mergeRates([correction, til]);
    expect(t.inForce('ECB_MRO', '2026-07-01')).toMatchObject({
      rate: '2.15',
      origin: 'organisation',
      provisional: false,
    });
    expect(t.inForce('FR_TIL_OTHER', '2026-12-31').rate).toBe('2.50');
    expect(t.knownThrough('FR_TIL_OTHER')).toBe('2026-12-31');
    // A decision-series row covers its own date only: 1 Jan 2027 is still unknown.
    expect(catchError(() => t.inForce('ECB_MRO', '2027-01-01')).code).toBe('LAW_NO_RATE');
    // The built-in table is untouched.
    expect(rates.inForce('ECB_MRO', '2026-07-01').rate).toBe('2.40');
  });
});
