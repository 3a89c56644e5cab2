import { describe, expect, it } from 'vitest';
import { invoiceFeatures } from '../../../src/domain/scoring/dataset.js';
import { toDay } from '../../../src/domain/scoring/days.js';
import { buildFeatures, featureRow, type LedgerInvoice } from '../../../src/domain/scoring/features.js';
import { syntheticPortfolio } from '../../fixtures/scoring/synthetic-ar.js';

const inv = (
  id: string,
  issue: string,
  due: string,
  settled: string | null,
  extra: Partial<LedgerInvoice> = {},
) => ({
  id,
  customerId: 'C1',
  issueDay: toDay(issue),
  dueDay: toDay(due),
  amountMinor: 10_000,
  currency: 'EUR',
  disputed: false,
  settledDay: settled === null ? null : toDay(settled),
  ...extra,
});

describe('invoice features (known at issue time)', () => {
  it('counts only invoices settled strictly before the issue date', () => {
    const ledger = [
      inv('A', '2025-01-01', '2025-01-31', '2025-02-10'), // 10 days late, settled before C's issue
      inv('B', '2025-01-15', '2025-02-14', '2025-03-01'), // settled ON C's issue date: not known yet
      inv('C', '2025-03-01', '2025-03-31', null),
    ];
    const f = featureRow(invoiceFeatures(ledger, [], ledger), 2);
    expect(f.priorCount).toBe(1);
    expect(f.meanDaysLate).toBe(10);
    expect(f.lastDaysLate).toBe(10);
    expect(f.lateShare).toBeCloseTo(2 / 3);
    // A and B were issued before C; only A was settled: one other invoice still open.
    expect(f.openCount).toBe(1);
    expect(f.termsDays).toBe(30);
    expect(f.month).toBe(3);
  });

  it('never uses a payment dated after the issue date: moving later payments changes nothing', () => {
    const { invoices } = syntheticPortfolio({ seed: 5, customers: 30, invoices: 800 });
    const cut = toDay('2024-09-01');
    const asked = invoices.filter((i) => i.issueDay <= cut);
    const before = invoiceFeatures(invoices, [], asked);
    // Every settlement on or after the cut moves a year later, or disappears.
    const shifted = invoices.map((i, k) =>
      i.settledDay !== null && i.settledDay >= cut
        ? { ...i, settledDay: k % 2 ? i.settledDay + 365 : null }
        : i,
    );
    const after = invoiceFeatures(shifted, [], asked);
    expect(Array.from(after.data)).toEqual(Array.from(before.data));
    // And the check has teeth: moving a payment dated before the cut does change features.
    const early = invoices.map((i) =>
      i.settledDay !== null && i.settledDay < cut - 60 ? { ...i, settledDay: i.settledDay + 20 } : i,
    );
    expect(Array.from(invoiceFeatures(early, [], asked).data)).not.toEqual(Array.from(before.data));
  });

  it('keeps a 12-month window and the last three settlements apart from the lifetime mean', () => {
    const ledger = [
      inv('A', '2023-01-01', '2023-01-31', '2023-03-02'), // 30 late, more than a year before D
      inv('B', '2024-06-01', '2024-07-01', '2024-07-01'), // 0
      inv('C', '2024-07-01', '2024-07-31', '2024-08-06', { disputed: true }), // 6, disputed
      inv('D', '2024-09-01', '2024-10-01', null),
    ];
    const f = featureRow(invoiceFeatures(ledger, [], ledger), 3);
    expect(f.meanDaysLate).toBe(12);
    expect(f.meanDaysLate12m).toBe(3);
    expect(f.meanDaysLateLast3).toBe(12);
    expect(f.meanDaysLateUndisputed).toBe(15);
    expect(f.disputeShare).toBeCloseTo(1 / 3);
  });

  it('counts broken promises dated before the day asked about', () => {
    const m = buildFeatures(
      [],
      [
        { customerId: 'C1', day: toDay('2025-01-10') },
        { customerId: 'C1', day: toDay('2025-02-10') },
        { customerId: 'C2', day: toDay('2025-01-10') },
      ],
      [
        {
          customerId: 'C1',
          asOfDay: toDay('2025-02-01'),
          amountMinor: 100,
          termsDays: 30,
          disputed: false,
          month: 2,
        },
      ],
    );
    expect(featureRow(m, 0).brokenPromises).toBe(1);
    expect(featureRow(m, 0).priorCount).toBe(0);
    expect(featureRow(m, 0).lateShare).toBe(0.5);
  });
});
