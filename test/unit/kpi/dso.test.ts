import { describe, expect, it } from 'vitest';
import { agingBucket, countBackDso, countBackPeriods, sharePercent } from '../../../src/domain/kpi/index.js';

const p = (from: string, to: string, sales: number) => ({ from, to, sales });

describe('count-back periods', () => {
  it('starts with the month to date and walks whole months back', () => {
    expect(countBackPeriods('2026-03-15', 3)).toEqual([
      { from: '2026-03-01', to: '2026-03-15' },
      { from: '2026-02-01', to: '2026-02-28' },
      { from: '2026-01-01', to: '2026-01-31' },
    ]);
  });

  it('crosses a year boundary and counts a leap February', () => {
    expect(countBackPeriods('2024-03-01', 3)).toEqual([
      { from: '2024-03-01', to: '2024-03-01' },
      { from: '2024-02-01', to: '2024-02-29' },
      { from: '2024-01-01', to: '2024-01-31' },
    ]);
    expect(countBackPeriods('2026-01-31', 2)[1]).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });
});

describe('count-back DSO', () => {
  const periods = [
    p('2026-03-01', '2026-03-31', 100_000),
    p('2026-02-01', '2026-02-28', 200_000),
    p('2026-01-01', '2026-01-31', 50_000),
  ];

  it('is a fraction of the latest month when receivables are below its sales', () => {
    expect(countBackDso(50_000, periods)).toEqual({ days: 15.5, complete: true });
  });

  it('counts the whole latest month and a fraction of the one before', () => {
    // 100 000 absorbs March (31 days), 50 000 of February's 200 000 is a quarter of 28 days.
    expect(countBackDso(150_000, periods)).toEqual({ days: 38, complete: true });
  });

  it('equals exactly the months absorbed when receivables match their sales', () => {
    expect(countBackDso(300_000, periods)).toEqual({ days: 59, complete: true });
  });

  it('is zero with no receivables or a credit balance', () => {
    expect(countBackDso(0, periods)).toEqual({ days: 0, complete: true });
    expect(countBackDso(-5_000, periods)).toEqual({ days: 0, complete: true });
  });

  it('skips months without sales, counting their days', () => {
    const gap = [p('2026-03-01', '2026-03-31', 0), p('2026-02-01', '2026-02-28', 100_000)];
    expect(countBackDso(50_000, gap)).toEqual({ days: 45, complete: true });
  });

  it('reports a floor when the history runs out', () => {
    expect(countBackDso(1_000_000, periods)).toEqual({ days: 90, complete: false });
    expect(countBackDso(1, [])).toEqual({ days: 0, complete: false });
  });

  it('rounds to one decimal half up', () => {
    // 1/3 of 31 days = 10.333… → 10.3; 2/3 → 20.666… → 20.7
    expect(countBackDso(1, [p('2026-03-01', '2026-03-31', 3)]).days).toBe(10.3);
    expect(countBackDso(2, [p('2026-03-01', '2026-03-31', 3)]).days).toBe(20.7);
  });
});

describe('aging buckets', () => {
  it('puts each boundary day in the right bucket', () => {
    expect([-10, 0, 1, 30, 31, 60, 61, 90, 91, 5000].map(agingBucket)).toEqual([
      'notDue',
      'notDue',
      'd1_30',
      'd1_30',
      'd31_60',
      'd31_60',
      'd61_90',
      'd61_90',
      'd90plus',
      'd90plus',
    ]);
  });

  it('computes a share with one decimal and zero without a total', () => {
    expect(sharePercent(1, 3)).toBe(33.3);
    expect(sharePercent(2, 3)).toBe(66.7);
    expect(sharePercent(5, 0)).toBe(0);
  });
});
