import { describe, expect, it } from 'vitest';
import { planCustomer } from '../../../src/domain/dunning/planner.js';
import { DEFAULT_DUNNING_SETTINGS } from '../../../src/domain/dunning/types.js';
import { invoice, onSchedule, parisAt, plannerInput } from './fixtures.js';

describe('planner: statements, instalments and idempotency', () => {
  it('sends one statement listing every item at the same or a lower step', () => {
    const a = invoice({ dueDate: '2026-05-31', balanceMinor: 100_00 });
    const b = invoice({ dueDate: '2026-06-09', balanceMinor: 50_00 });
    const c = invoice({ dueDate: '2026-06-21', balanceMinor: 25_00 });
    const plan = planCustomer(plannerInput({ items: [c, b, a], history: onSchedule(a, ['first_reminder']) }));
    expect(plan.actions).toHaveLength(1);
    const action = plan.actions[0];
    expect(action?.stepKey).toBe('second_reminder');
    expect(action?.items.map((i) => [i.invoiceNumber, i.stepKey])).toEqual([
      [a.invoiceNumber, 'second_reminder'],
      [b.invoiceNumber, 'first_reminder'],
      [c.invoiceNumber, 'courtesy'],
    ]);
    expect(action?.totals).toEqual([{ currency: 'EUR', balanceMinor: 175_00 }]);
    expect(action?.reason).toMatch(/with 2 other items at the same or a lower step/);
  });

  it('lists overdue items already reminded at their step on the statement without moving them', () => {
    const due = invoice({ dueDate: '2026-05-31' });
    const waiting = invoice({ dueDate: '2026-06-05' });
    const plan = planCustomer(
      plannerInput({
        items: [due, waiting],
        history: [
          {
            invoiceId: due.invoiceId,
            instalmentSeq: null,
            stepKey: 'first_reminder',
            at: parisAt('2026-06-07'),
          },
          {
            invoiceId: waiting.invoiceId,
            instalmentSeq: null,
            stepKey: 'first_reminder',
            at: parisAt('2026-06-12'),
          },
        ],
      }),
    );
    expect(plan.actions[0]?.items.map((i) => i.invoiceId)).toEqual([due.invoiceId]);
    expect(plan.actions[0]?.statementItems).toEqual([
      expect.objectContaining({ invoiceId: waiting.invoiceId, stepKey: 'first_reminder', daysLate: 11 }),
    ]);
  });

  it('keeps totals per currency on a mixed-currency statement', () => {
    const plan = planCustomer(
      plannerInput({
        items: [invoice({ balanceMinor: 10_00 }), invoice({ currency: 'USD', balanceMinor: 7_00 })],
      }),
    );
    expect(plan.actions[0]?.totals).toEqual([
      { currency: 'EUR', balanceMinor: 10_00 },
      { currency: 'USD', balanceMinor: 7_00 },
    ]);
  });

  it('makes one action per item when statement grouping is off', () => {
    const a = invoice({ dueDate: '2026-05-31' });
    const plan = planCustomer(
      plannerInput({
        items: [a, invoice({ dueDate: '2026-06-09' })],
        history: onSchedule(a, ['first_reminder']),
        settings: { ...DEFAULT_DUNNING_SETTINGS, statementGrouping: false },
      }),
    );
    expect(plan.actions.map((a) => [a.stepKey, a.items.length])).toEqual([
      ['second_reminder', 1],
      ['first_reminder', 1],
    ]);
    expect(new Set(plan.actions.map((a) => a.idempotencyKey)).size).toBe(2);
  });

  it('reminds each instalment of a split invoice on its own due date', () => {
    const split = invoice({
      dueDate: '2026-06-30',
      balanceMinor: 90_000,
      instalments: [
        { seq: 1, dueDate: '2026-05-31', amountMinor: 30_000 },
        { seq: 2, dueDate: '2026-06-30', amountMinor: 30_000 },
        { seq: 3, dueDate: '2026-07-31', amountMinor: 30_000 },
      ],
    });
    const history = [
      { invoiceId: split.invoiceId, instalmentSeq: 1, stepKey: 'first_reminder', at: parisAt('2026-06-07') },
    ];
    const plan = planCustomer(plannerInput({ items: [split], history }));
    expect(plan.actions[0]?.items).toEqual([
      expect.objectContaining({
        instalmentSeq: 1,
        stepKey: 'second_reminder',
        balanceMinor: 30_000,
        daysLate: 16,
      }),
    ]);
    expect(plan.actions[0]?.reason).toMatch(/^instalment 1 of invoice F-2026-\d+ is 16 days overdue/);
    expect(plan.nextActionDate).toBe('2026-06-25');
  });

  it('lets payments settle the earliest instalments first', () => {
    const split = invoice({
      balanceMinor: 40_000,
      instalments: [
        { seq: 1, dueDate: '2026-05-31', amountMinor: 30_000 },
        { seq: 2, dueDate: '2026-06-08', amountMinor: 30_000 },
      ],
    });
    // 20 000 paid: instalment 1 has 10 000 left, instalment 2 is untouched.
    const history = [
      { invoiceId: split.invoiceId, instalmentSeq: 1, stepKey: 'first_reminder', at: parisAt('2026-06-07') },
    ];
    const plan = planCustomer(plannerInput({ items: [split], history }));
    expect(plan.actions[0]?.items.map((i) => [i.instalmentSeq, i.balanceMinor, i.stepKey])).toEqual([
      [1, 10_000, 'second_reminder'],
      [2, 30_000, 'first_reminder'],
    ]);
  });

  it('stops reminding an instalment once it is paid while the next one is still reminded', () => {
    const split = invoice({
      balanceMinor: 30_000,
      instalments: [
        { seq: 1, dueDate: '2026-05-31', amountMinor: 30_000 },
        { seq: 2, dueDate: '2026-06-08', amountMinor: 30_000 },
      ],
    });
    const plan = planCustomer(plannerInput({ items: [split] }));
    expect(plan.actions[0]?.items.map((i) => i.instalmentSeq)).toEqual([2]);
    expect(plan.excluded).toEqual([]);
  });

  it('records an instalment step separately from the same step on another instalment', () => {
    const split = invoice({
      balanceMinor: 60_000,
      instalments: [
        { seq: 1, dueDate: '2026-06-01', amountMinor: 30_000 },
        { seq: 2, dueDate: '2026-06-09', amountMinor: 30_000 },
      ],
    });
    const plan = planCustomer(
      plannerInput({
        items: [split],
        history: [
          {
            invoiceId: split.invoiceId,
            instalmentSeq: 1,
            stepKey: 'first_reminder',
            at: parisAt('2026-06-08'),
          },
        ],
      }),
    );
    expect(plan.actions[0]?.items.map((i) => [i.instalmentSeq, i.stepKey])).toEqual([
      [1, 'second_reminder'],
      [2, 'first_reminder'],
    ]);
  });

  it('derives the same idempotency key whatever the order of items and the run', () => {
    const a = invoice();
    const b = invoice();
    const k1 = planCustomer(plannerInput({ items: [a, b] })).actions[0]?.idempotencyKey;
    const k2 = planCustomer(plannerInput({ items: [b, a], now: parisAt('2026-06-16 15:00') })).actions[0]
      ?.idempotencyKey;
    expect(k1).toMatch(/^[0-9a-f]{64}$/);
    expect(k2).toBe(k1);
  });

  it('derives a different key when the set of items changes', () => {
    const a = invoice();
    const b = invoice();
    const k1 = planCustomer(plannerInput({ items: [a, b] })).actions[0]?.idempotencyKey;
    const k2 = planCustomer(plannerInput({ items: [a] })).actions[0]?.idempotencyKey;
    expect(k2).not.toBe(k1);
  });

  it('keeps the key when the policy is edited into a new version', () => {
    const items = [invoice()];
    const base = plannerInput({ items });
    const k1 = planCustomer(base).actions[0];
    const k2 = planCustomer({ ...base, policy: { ...base.policy, id: 'new-version-id', version: 2 } })
      .actions[0];
    expect(k2?.policyVersion).toBe(2);
    expect(k2?.idempotencyKey).toBe(k1?.idempotencyKey);
  });
});
