import { describe, expect, it } from 'vitest';
import {
  amountPoints,
  latenessPoints,
  onTimeRatio,
  PRIORITY_WEIGHTS,
  type PriorityInput,
  priorityScore,
  rawPriority,
  recoveryProbability,
  revenueSharePoints,
} from '../../../src/domain/prioritisation/index.js';

const base: PriorityInput = {
  amountOverdueMinor: 100_000,
  currency: 'EUR',
  daysLate: 30,
  paidInvoices: 0,
  paidOnTime: 0,
  brokenPromises: 0,
  strategic: false,
  revenueShare: 0,
};

describe('priority score factors', () => {
  it('gives the weights that add up to 100', () => {
    expect(Object.values(PRIORITY_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
  });

  it.each([
    [0, 0],
    [-5_000, 0],
    [1, 35 * (Math.log(1.01) / Math.log(100_001))],
    [10_000_000, 35],
    [20_000_000, 35],
  ])('scores an overdue amount of %i cents at %f points', (minor, points) => {
    expect(amountPoints(minor)).toBeCloseTo(points, 10);
  });

  it('grows the amount points on a log scale: 10 000 € is worth less than 100 times 100 €', () => {
    const small = amountPoints(10_000);
    const large = amountPoints(1_000_000);
    expect(large).toBeGreaterThan(small);
    expect(large).toBeLessThan(small * 3);
  });

  it.each([
    [0, 0],
    [-3, 0],
    [45, 12.5],
    [90, 25],
    [400, 25],
  ])('scores %i days late at %f lateness points', (days, points) => {
    expect(latenessPoints(days)).toBeCloseTo(points, 10);
  });

  it.each([
    [0, 0, 0.5],
    [4, 4, 5 / 6],
    [4, 0, 1 / 6],
    [10, 20, 11 / 12],
    [-1, 3, 1 / 2],
  ])('smooths the on-time ratio of %i paid with %i on time to %f', (paid, onTime, ratio) => {
    expect(onTimeRatio(paid, onTime)).toBeCloseTo(ratio, 12);
  });

  it.each([
    [0, 0],
    [0.025, 5],
    [0.05, 10],
    [0.8, 10],
    [-0.1, 0],
    [Number.NaN, 0],
  ])('scores a revenue share of %f at %f points', (share, points) => {
    expect(revenueSharePoints(share)).toBeCloseTo(points, 10);
  });
});

describe('recovery probability', () => {
  it('starts high for a new customer with no history (0.95 - 0.3 x 0.5)', () => {
    expect(
      recoveryProbability({ daysLate: 0, paidInvoices: 0, paidOnTime: 0, brokenPromises: 0 }),
    ).toBeCloseTo(0.8, 12);
  });

  it('falls as the item ages, over a year', () => {
    const p = (daysLate: number) =>
      recoveryProbability({ daysLate, paidInvoices: 10, paidOnTime: 10, brokenPromises: 0 });
    expect(p(0)).toBeGreaterThan(p(30));
    expect(p(30)).toBeGreaterThan(p(180));
    expect(p(365)).toBeCloseTo(p(1000), 12);
  });

  it('is lower for a customer who pays late and breaks promises', () => {
    const good = recoveryProbability({ daysLate: 20, paidInvoices: 12, paidOnTime: 12, brokenPromises: 0 });
    const late = recoveryProbability({ daysLate: 20, paidInvoices: 12, paidOnTime: 1, brokenPromises: 0 });
    const broken = recoveryProbability({ daysLate: 20, paidInvoices: 12, paidOnTime: 1, brokenPromises: 2 });
    expect(good).toBeGreaterThan(late);
    expect(late - broken).toBeCloseTo(0.1, 12);
  });

  it('counts at most three broken promises and never goes below 0.05 or above 0.95', () => {
    const worst = recoveryProbability({ daysLate: 2000, paidInvoices: 50, paidOnTime: 0, brokenPromises: 9 });
    expect(worst).toBe(0.05);
    const best = recoveryProbability({
      daysLate: -10,
      paidInvoices: 1000,
      paidOnTime: 1000,
      brokenPromises: 0,
    });
    expect(best).toBeLessThanOrEqual(0.95);
    const three = recoveryProbability({ daysLate: 0, paidInvoices: 0, paidOnTime: 0, brokenPromises: 3 });
    const nine = recoveryProbability({ daysLate: 0, paidInvoices: 0, paidOnTime: 0, brokenPromises: 9 });
    expect(three).toBeCloseTo(nine, 12);
  });
});

describe('priority score and its explanation', () => {
  it('explains every factor and the contributions add up to the score', () => {
    const s = priorityScore({ ...base, strategic: true, revenueShare: 0.02, brokenPromises: 1 });
    expect(s.factors.map((f) => f.factor).sort()).toEqual(
      ['amount', 'lateness', 'recovery', 'revenueShare', 'strategic'].sort(),
    );
    const sum = s.factors.reduce((a, f) => a + f.points, 0);
    expect(Math.abs(sum - s.score)).toBeLessThanOrEqual(0.25);
    for (const f of s.factors) {
      expect(f.points).toBeGreaterThanOrEqual(0);
      expect(f.points).toBeLessThanOrEqual(f.max);
    }
  });

  it('lists the largest contribution first', () => {
    const s = priorityScore({ ...base, amountOverdueMinor: 50_000_000, daysLate: 1 });
    expect(s.factors[0]?.factor).toBe('amount');
    const pts = s.factors.map((f) => f.points);
    expect([...pts].sort((a, b) => b - a)).toEqual(pts);
  });

  it('keeps the inputs in the explanation', () => {
    const s = priorityScore({ ...base, daysLate: 17 });
    expect(s.factors.find((f) => f.factor === 'lateness')?.value).toBe(17);
    expect(s.factors.find((f) => f.factor === 'amount')?.value).toBe(100_000);
    expect(s.factors.find((f) => f.factor === 'recovery')?.value).toBeCloseTo(s.recoveryProbability, 3);
  });

  it('ranks a larger, older item of a strategic customer above a small recent one', () => {
    const big = rawPriority({ ...base, amountOverdueMinor: 2_500_000, daysLate: 75, strategic: true });
    const small = rawPriority({ ...base, amountOverdueMinor: 9_900, daysLate: 3 });
    expect(big).toBeGreaterThan(small);
  });

  it('ranks the same item higher for a customer who usually pays (worth chasing) than for a lost cause', () => {
    const reliable = rawPriority({ ...base, paidInvoices: 20, paidOnTime: 19 });
    const lost = rawPriority({ ...base, paidInvoices: 20, paidOnTime: 0, brokenPromises: 3 });
    expect(reliable).toBeGreaterThan(lost);
  });

  it('gives an item with nothing overdue only its recovery and importance points', () => {
    const s = priorityScore({ ...base, amountOverdueMinor: 0, daysLate: 0 });
    expect(s.score).toBeCloseTo(20 * 0.8, 1);
  });

  it('reaches 100 at most', () => {
    const s = rawPriority({
      amountOverdueMinor: 1e12,
      currency: 'EUR',
      daysLate: 1e4,
      paidInvoices: 1e6,
      paidOnTime: 1e6,
      brokenPromises: 0,
      strategic: true,
      revenueShare: 1,
    });
    expect(s).toBeLessThanOrEqual(100);
    expect(s).toBeGreaterThan(80);
  });

  it('rounds the displayed score to a tenth of a point', () => {
    const s = priorityScore({ ...base, amountOverdueMinor: 123_457, daysLate: 7 });
    expect(Math.round(s.score * 10)).toBeCloseTo(s.score * 10, 9);
  });
});
