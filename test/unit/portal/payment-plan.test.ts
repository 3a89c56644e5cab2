import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PAYMENT_PLAN_RULES,
  decidePaymentPlan,
  type PaymentPlanRules,
  planSchedule,
} from '../../../src/domain/portal/index.js';

const today = '2026-03-15';
const eur = (amount: number) => ({ amount, currency: 'EUR' });
const rules: PaymentPlanRules = { ...DEFAULT_PAYMENT_PLAN_RULES };
const sum = (xs: { amount: { amount: number } }[]) => xs.reduce((s, x) => s + x.amount.amount, 0);

describe('payment plan rules', () => {
  it('accepts a plan within every rule and splits it to the cent', () => {
    const d = decidePaymentPlan(
      { total: eur(100_000), instalments: 3, firstDate: '2026-03-31' },
      today,
      rules,
    );
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.schedule.map((i) => i.amount.amount)).toEqual([33_334, 33_333, 33_333]);
    expect(d.schedule.map((i) => i.dueDate)).toEqual(['2026-03-31', '2026-04-30', '2026-05-31']);
  });

  it('puts the down payment on the first date and the instalments from the month after', () => {
    const s = planSchedule({
      total: eur(120_000),
      instalments: 2,
      firstDate: '2026-04-01',
      downPayment: eur(20_000),
    });
    expect(s).toEqual([
      { seq: 0, dueDate: '2026-04-01', amount: eur(20_000) },
      { seq: 1, dueDate: '2026-05-01', amount: eur(50_000) },
      { seq: 2, dueDate: '2026-06-01', amount: eur(50_000) },
    ]);
    expect(sum(s)).toBe(120_000);
  });

  it('refuses too many instalments and offers the maximum', () => {
    const d = decidePaymentPlan(
      { total: eur(1_000_000), instalments: 18, firstDate: '2026-04-01' },
      today,
      rules,
    );
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.broken.map((b) => b.rule)).toContain('max_instalments');
    expect(d.nearest?.request.instalments).toBe(12);
    expect(sum(d.nearest?.schedule ?? [])).toBe(1_000_000);
  });

  it('refuses instalments below the minimum and offers fewer, larger ones', () => {
    const d = decidePaymentPlan(
      { total: eur(20_000), instalments: 10, firstDate: '2026-04-01' },
      today,
      rules,
    );
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.broken).toEqual([expect.objectContaining({ rule: 'min_instalment', field: 'instalments' })]);
    expect(d.nearest?.request.instalments).toBe(4);
    expect(d.nearest?.schedule.every((i) => i.amount.amount >= 5_000)).toBe(true);
  });

  it('refuses a first date in the past or too far, and moves it into the window', () => {
    const past = decidePaymentPlan(
      { total: eur(50_000), instalments: 2, firstDate: '2026-03-01' },
      today,
      rules,
    );
    expect(!past.ok && past.broken[0]?.rule).toBe('first_date_not_in_past');
    expect(!past.ok && past.nearest?.request.firstDate).toBe(today);
    const far = decidePaymentPlan(
      { total: eur(50_000), instalments: 2, firstDate: '2026-05-01' },
      today,
      rules,
    );
    expect(!far.ok && far.broken[0]?.field).toBe('firstDate');
    expect(!far.ok && far.nearest?.request.firstDate).toBe('2026-04-14');
  });

  it('refuses a plan ending after the maximum duration and shortens it', () => {
    const short = { ...rules, maxDurationDays: 90 };
    const d = decidePaymentPlan(
      { total: eur(600_000), instalments: 6, firstDate: '2026-04-01' },
      today,
      short,
    );
    expect(!d.ok && d.broken.map((b) => b.rule)).toEqual(['max_duration']);
    // Last allowed day 2026-06-13: instalments on 1 April, 1 May and 1 June.
    expect(!d.ok && d.nearest?.request.instalments).toBe(3);
  });

  it('requires the organisation down payment, rounded up to the cent', () => {
    const withDown = { ...rules, minDownPaymentPercent: '10' };
    const d = decidePaymentPlan(
      { total: eur(100_005), instalments: 2, firstDate: '2026-04-01' },
      today,
      withDown,
    );
    expect(!d.ok && d.broken).toEqual([
      expect.objectContaining({ rule: 'min_down_payment', field: 'downPayment' }),
    ]);
    expect(!d.ok && d.nearest?.request.downPayment).toEqual(eur(10_001));
    expect(!d.ok && sum(d.nearest?.schedule ?? [])).toBe(100_005);
  });

  it('accepts a single payment smaller than the minimum instalment', () => {
    expect(decidePaymentPlan({ total: eur(1_999), instalments: 1, firstDate: today }, today, rules).ok).toBe(
      true,
    );
  });

  it('refuses zero instalments and a down payment above the total', () => {
    const d = decidePaymentPlan(
      { total: eur(10_000), instalments: 0, firstDate: today, downPayment: eur(20_000) },
      today,
      rules,
    );
    expect(!d.ok && d.broken.map((b) => b.rule).sort()).toEqual([
      'down_payment_exceeds_total',
      'instalments_min',
    ]);
  });
});
