import { describe, expect, it } from 'vitest';
import { priorityScore, recoveryProbability } from '../../../src/domain/prioritisation/index.js';

const base = { daysLate: 10, paidInvoices: 10, paidOnTime: 10, brokenPromises: 0 };

describe("the recovery term takes the risk model's output when the invoice is scored", () => {
  it('uses the model recovery instead of the hand-set estimate, within the same bounds', () => {
    expect(recoveryProbability(base)).toBeGreaterThan(0.8);
    expect(recoveryProbability({ ...base, modelRecovery: 0.3 })).toBe(0.3);
    expect(recoveryProbability({ ...base, modelRecovery: 0 })).toBe(0.05);
    expect(recoveryProbability({ ...base, modelRecovery: 1 })).toBe(0.95);
  });

  it('falls back to the estimate when there is no score', () => {
    expect(recoveryProbability({ ...base, modelRecovery: null })).toBe(recoveryProbability(base));
    expect(recoveryProbability({ ...base, modelRecovery: Number.NaN })).toBe(recoveryProbability(base));
  });

  it('shows the model value in the explained factors', () => {
    const s = priorityScore({
      amountOverdueMinor: 100_000,
      currency: 'EUR',
      ...base,
      strategic: false,
      revenueShare: 0,
      modelRecovery: 0.4,
    });
    expect(s.recoveryProbability).toBe(0.4);
    expect(s.factors.find((f) => f.factor === 'recovery')?.points).toBe(8);
  });
});
