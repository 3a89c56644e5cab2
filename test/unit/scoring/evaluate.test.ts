import { describe, expect, it } from 'vitest';
import { trainingSet } from '../../../src/domain/scoring/dataset.js';
import { fromDay, toDay } from '../../../src/domain/scoring/days.js';
import { evaluateSplit } from '../../../src/domain/scoring/evaluate.js';
import { bandOf, explainCustomer } from '../../../src/domain/scoring/explain.js';
import { buildFeatures } from '../../../src/domain/scoring/features.js';
import { backtest, forecastCashIn } from '../../../src/domain/scoring/forecast.js';
import { predictInvoice, settlementSamples, trainRiskModel } from '../../../src/domain/scoring/model.js';
import { syntheticPortfolio, twoThirdsDay } from '../../fixtures/scoring/synthetic-ar.js';

describe('risk model on a generated portfolio with known habits', () => {
  const p = syntheticPortfolio({ seed: 42 });
  const { evaluation: e, model } = evaluateSplit(p.invoices, [], twoThirdsDay(p));

  it('trains on the first two thirds and beats both baselines clearly', () => {
    expect(e.modelKind).toBe('gbdt');
    expect(e.trainingRows).toBeGreaterThan(1400);
    expect(e.testRows).toBeGreaterThan(700);
    expect(e.model.auc).toBeGreaterThanOrEqual(0.92);
    expect(e.model.accuracy).toBeGreaterThanOrEqual(0.87);
    expect(e.model.rmse).toBeLessThanOrEqual(5.2);
    expect(e.model.auc).toBeGreaterThan(e.baselineHistory.auc + 0.03);
    expect(e.model.accuracy).toBeGreaterThan(e.baselineHistory.accuracy + 0.03);
    expect(e.model.brier).toBeLessThan(e.baselineHistory.brier * 0.8);
    expect(e.model.rmse).toBeLessThan(e.baselineHistory.rmse * 0.8);
    expect(e.model.rmse).toBeLessThan(e.baselineDueDate.rmse * 0.5);
    expect(e.baselineDueDate.auc).toBe(0.5);
  });

  it('is calibrated: in each well-filled bin the observed rate is near the predicted one', () => {
    for (const b of e.calibration.filter((c) => c.count >= 50))
      expect(Math.abs(b.observedRate - b.meanPredicted)).toBeLessThan(0.12);
  });

  it('ranks chronic late payers high and early payers low, with words for why', () => {
    const today = toDay('2026-01-01');
    const late = p.customers.filter((c) => c.habit === 'late');
    const early = p.customers.filter((c) => c.habit === 'early');
    const q = (id: string) => ({
      customerId: id,
      asOfDay: today,
      amountMinor: 6000,
      termsDays: 30,
      disputed: false,
      month: 1,
    });
    const m = buildFeatures(
      p.invoices,
      [],
      [...late, ...early].map((c) => q(c.id)),
    );
    const risks = [...late, ...early].map((_, i) => explainCustomer(model, m.data, i * m.cols));
    const lateScores = risks.slice(0, late.length).map((r) => r.score);
    const earlyScores = risks.slice(late.length).map((r) => r.score);
    expect(Math.min(...lateScores)).toBeGreaterThan(Math.max(...earlyScores));
    const worst = risks[lateScores.indexOf(Math.max(...lateScores))];
    expect(worst?.band).toBe('critique');
    expect(worst?.factors.length).toBeGreaterThan(0);
    expect(worst?.factors.map((f) => f.fr).join(' ')).toMatch(/j après l'échéance|payées en retard/);
    expect(bandOf(10)).toBe('faible');
    expect(bandOf(49)).toBe('moyen');
    expect(bandOf(50)).toBe('eleve');
  });

  it('gives each open invoice P10 ≤ P50 ≤ P90 and falling P(unpaid) at 30/60/90 days', () => {
    const m = buildFeatures(
      p.invoices,
      [],
      [
        {
          customerId: late(p),
          asOfDay: toDay('2026-01-01'),
          amountMinor: 6000,
          termsDays: 30,
          disputed: true,
          month: 12,
        },
      ],
    );
    const pr = predictInvoice(model, m.data, 0, null);
    expect(pr.daysLateP10).toBeLessThanOrEqual(pr.daysLateP50);
    expect(pr.daysLateP50).toBeLessThanOrEqual(pr.daysLateP90);
    expect(pr.pUnpaid30).toBeGreaterThanOrEqual(pr.pUnpaid60);
    expect(pr.pUnpaid60).toBeGreaterThanOrEqual(pr.pUnpaid90);
    expect(pr.pLate).toBeGreaterThan(0.9);
    // 45 days overdue: it cannot be paid before day 46 any more, and P(late) is 1.
    const overdue = predictInvoice(model, m.data, 0, 45);
    expect(overdue.daysLateP10).toBeGreaterThan(45);
    expect(overdue.pLate).toBe(1);
    expect(overdue.pUnpaid30).toBe(1);
  });
});

function late(p: ReturnType<typeof syntheticPortfolio>): string {
  return (p.customers.find((c) => c.habit === 'late') as { id: string }).id;
}

describe('too little history', () => {
  it('falls back to the documented prior and says why', () => {
    const p = syntheticPortfolio({ seed: 3, customers: 5, invoices: 60 });
    const model = trainRiskModel(trainingSet(p.invoices, [], null));
    expect(model.kind).toBe('prior');
    expect(model.note).toMatch(/only \d+ settled invoices/);
    // The prior's P(late) is the customer's smoothed late share.
    const m = buildFeatures(
      p.invoices,
      [],
      [
        {
          customerId: 'C001',
          asOfDay: toDay('2027-01-01'),
          amountMinor: 1,
          termsDays: 30,
          disputed: false,
          month: 1,
        },
      ],
    );
    expect(predictInvoice(model, m.data).pLate).toBe(m.data[1]);
    expect(settlementSamples(model, m.data).length).toBeGreaterThan(0);
  });
});

describe('cash-in forecast', () => {
  it('spreads each balance over the weeks its settlement samples fall in, per currency', () => {
    const from = toDay('2026-01-05');
    const f = forecastCashIn(
      [
        { currency: 'EUR', balanceMinor: 1000, dueDay: from + 3, settlementDays: [from + 1, from + 8] },
        { currency: 'EUR', balanceMinor: 500, dueDay: from - 30, settlementDays: [from - 2, from + 100] },
        { currency: 'USD', balanceMinor: 700, dueDay: from + 10, settlementDays: [from + 9, from + 9] },
      ],
      from,
      4,
    );
    expect(f.map((c) => c.currency)).toEqual(['EUR', 'USD']);
    const eur = f[0];
    expect(eur?.weeks.map((w) => w.expectedMinor)).toEqual([500 + 250, 500, 0, 0]);
    expect(eur?.laterMinor).toBe(250);
    expect(eur?.weeks[0]?.naiveMinor).toBe(1500);
    expect(eur?.weeks[0]?.p10Minor).toBeLessThan(750);
    expect(eur?.weeks[0]?.p90Minor).toBeGreaterThan(750);
    expect(f[1]?.weeks[1]?.expectedMinor).toBe(700);
    expect(f[1]?.weeks[1]?.p10Minor).toBe(700);
    const bt = backtest(f, [
      { currency: 'EUR', day: from + 2, amountMinor: 1000 },
      { currency: 'EUR', day: from + 9, amountMinor: 400 },
    ]);
    expect(bt[0]?.actualMinor).toEqual([1000, 400, 0, 0]);
    expect(bt[0]?.model.mape).toBeCloseTo((0.25 + 0.25) / 2);
    expect(bt[0]?.naive.bias).toBeCloseTo((1500 - 1400) / 1400);
    expect(fromDay(bt[0]?.fromDay ?? 0)).toBe('2026-01-05');
  });
});
