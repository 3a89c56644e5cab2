import { describe, expect, it } from 'vitest';
import {
  decidePlanRequest,
  instalmentProgress,
  paymentPlanPolicyOf,
  planStanding,
} from '../../../src/domain/payment-plans/index.js';

const schedule = [
  { seq: 2, dueDate: '2026-05-01', amountMinor: 3_333 },
  { seq: 1, dueDate: '2026-04-01', amountMinor: 3_334 },
  { seq: 3, dueDate: '2026-06-01', amountMinor: 3_333 },
];

describe('instalment progress', () => {
  it('settles instalments in order whatever the order given', () => {
    const p = instalmentProgress(schedule, 5_000, '2026-04-10', 5);
    expect(p.map((i) => [i.seq, i.paidMinor, i.status])).toEqual([
      [1, 3_334, 'paid'],
      [2, 1_666, 'due'],
      [3, 0, 'due'],
    ]);
    expect(planStanding(p)).toBe('in_good_standing');
  });

  it('counts an instalment missed only after its grace days', () => {
    expect(instalmentProgress(schedule, 0, '2026-04-06', 5)[0]?.status).toBe('due');
    expect(instalmentProgress(schedule, 0, '2026-04-07', 5)[0]?.status).toBe('missed');
    expect(planStanding(instalmentProgress(schedule, 0, '2026-04-07', 5))).toBe('missed');
  });

  it('judges nothing late without a date, and clamps what was paid', () => {
    expect(instalmentProgress(schedule, -50, null, 0).map((i) => i.status)).toEqual(['due', 'due', 'due']);
    const all = instalmentProgress(schedule, 99_999, '2027-01-01', 0);
    expect(all.map((i) => i.paidMinor)).toEqual([3_334, 3_333, 3_333]);
    expect(planStanding(all)).toBe('completed');
  });

  it('a debtor ahead of schedule is in good standing after a later due date', () => {
    const p = instalmentProgress(schedule, 6_667, '2026-05-20', 0);
    expect(planStanding(p)).toBe('in_good_standing');
  });
});

describe('plan request decision', () => {
  const total = { amount: 120_000, currency: 'EUR' };
  const today = '2026-03-15';

  it('proposes within the auto-accept rules, asks for approval within the limits, refuses beyond', () => {
    const policy = paymentPlanPolicyOf({
      portal: { paymentPlan: { maxInstalments: 6 }, paymentPlanLimits: { maxInstalments: 12 } },
    });
    const at = (n: number) =>
      decidePlanRequest({ total, instalments: n, firstDate: '2026-03-20' }, today, policy);
    expect(at(6)).toMatchObject({ ok: true, status: 'proposed' });
    expect(at(7)).toMatchObject({ ok: true, status: 'pending_approval' });
    const refused = at(13);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.broken.map((b) => b.rule)).toContain('max_instalments');
      // The nearest plan is one the debtor can have at once.
      expect(refused.nearest?.request.instalments).toBe(6);
    }
  });

  it('without limits configured, nothing waits for approval', () => {
    const policy = paymentPlanPolicyOf({});
    expect(policy.limits).toEqual(policy.autoAccept);
    expect(policy.graceDays).toBe(5);
    const r = decidePlanRequest({ total, instalments: 13, firstDate: '2026-03-20' }, today, policy);
    expect(r.ok).toBe(false);
  });

  it('never lets the limits be narrower than the auto-accept rules', () => {
    const policy = paymentPlanPolicyOf({
      portal: { paymentPlan: { maxInstalments: 6, graceDays: 2 }, paymentPlanLimits: { maxInstalments: 3 } },
    });
    expect(policy.limits.maxInstalments).toBe(6);
    expect(policy.graceDays).toBe(2);
  });
});
