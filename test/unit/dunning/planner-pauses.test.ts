import { describe, expect, it } from 'vitest';
import { planCustomer } from '../../../src/domain/dunning/planner.js';
import { invoice, onSchedule, parisAt, plannerInput } from './fixtures.js';

describe('planner: pauses and exclusions', () => {
  it('drops a paid or credited item even if it was due a minute ago', () => {
    const item = invoice({ dueDate: '2026-05-31', balanceMinor: 0 });
    const plan = planCustomer(plannerInput({ items: [item] }));
    expect(plan.actions).toEqual([]);
    expect(plan.excluded).toEqual([expect.objectContaining({ invoiceId: item.invoiceId, reason: 'paid' })]);
    expect(plan.nextActionDate).toBeNull();
  });

  it('treats a credit balance as nothing to collect', () => {
    const plan = planCustomer(plannerInput({ items: [invoice({ balanceMinor: -500 })] }));
    expect(plan.actions).toEqual([]);
    expect(plan.excluded[0]?.reason).toBe('paid');
  });

  it('excludes a disputed item while the other items are still reminded', () => {
    const disputed = invoice({ dueDate: '2026-05-31', disputed: true });
    const other = invoice({ dueDate: '2026-06-08' });
    const plan = planCustomer(plannerInput({ items: [disputed, other] }));
    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0]?.items.map((i) => i.invoiceId)).toEqual([other.invoiceId]);
    expect(plan.actions[0]?.statementItems).toEqual([]);
    expect(plan.excluded).toEqual([
      expect.objectContaining({ invoiceId: disputed.invoiceId, reason: 'disputed' }),
    ]);
  });

  it('pauses dunning while a promise to pay is active, grace included', () => {
    const item = invoice({ dueDate: '2026-05-31' });
    const promise = {
      id: 'ptp-1',
      invoiceIds: [item.invoiceId],
      promisedDate: '2026-06-20',
      graceDays: 3,
      status: 'active' as const,
    };
    const during = planCustomer(plannerInput({ items: [item], promises: [promise] }));
    expect(during.actions).toEqual([]);
    expect(during.excluded[0]).toMatchObject({ reason: 'promise_to_pay', resumesOn: '2026-06-24' });
    expect(during.nextActionDate).toBe('2026-06-24');
    const lastGraceDay = planCustomer(
      plannerInput({ items: [item], promises: [promise], now: parisAt('2026-06-23 09:00') }),
    );
    expect(lastGraceDay.actions).toEqual([]);
    const after = planCustomer(
      plannerInput({
        items: [item],
        promises: [promise],
        now: parisAt('2026-06-24 09:00'),
        history: onSchedule(item, ['first_reminder']),
      }),
    );
    expect(after.actions.map((a) => a.stepKey)).toEqual(['second_reminder']);
  });

  it('applies a promise without invoice ids to every item of the customer', () => {
    const plan = planCustomer(
      plannerInput({
        items: [invoice(), invoice()],
        promises: [{ id: 'p', invoiceIds: [], promisedDate: '2026-06-18', graceDays: 0, status: 'active' }],
      }),
    );
    expect(plan.actions).toEqual([]);
    expect(plan.excluded.map((e) => e.reason)).toEqual(['promise_to_pay', 'promise_to_pay']);
  });

  it('ignores a broken or cancelled promise', () => {
    const item = invoice();
    for (const status of ['broken', 'cancelled', 'kept'] as const) {
      const plan = planCustomer(
        plannerInput({
          items: [item],
          promises: [
            { id: 'p', invoiceIds: [item.invoiceId], promisedDate: '2026-06-30', graceDays: 2, status },
          ],
        }),
      );
      expect(plan.actions).toHaveLength(1);
    }
  });

  it('pauses the items of a payment plan in good standing', () => {
    const inPlan = invoice({ inPaymentPlanInGoodStanding: true });
    const plan = planCustomer(plannerInput({ items: [inPlan] }));
    expect(plan.actions).toEqual([]);
    expect(plan.excluded[0]?.reason).toBe('payment_plan');
  });

  it('pauses one invoice by hand until an end date, inclusive', () => {
    const paused = invoice({ dueDate: '2026-05-31' });
    const other = invoice({ dueDate: '2026-05-31' });
    const pauses = [
      { id: 'pz', invoiceId: paused.invoiceId, until: '2026-06-16', reason: 'credit note coming' },
    ];
    const today = planCustomer(plannerInput({ items: [paused, other], pauses }));
    expect(today.actions[0]?.items.map((i) => i.invoiceId)).toEqual([other.invoiceId]);
    expect(today.excluded[0]).toMatchObject({ reason: 'paused', resumesOn: '2026-06-17' });
    const tomorrow = planCustomer(
      plannerInput({ items: [paused], pauses, now: parisAt('2026-06-17 09:00') }),
    );
    expect(tomorrow.actions[0]?.items.map((i) => i.invoiceId)).toEqual([paused.invoiceId]);
  });

  it('pauses the whole customer by hand', () => {
    const plan = planCustomer(
      plannerInput({
        items: [invoice(), invoice({ dueDate: '2026-06-08' })],
        pauses: [{ id: 'pz', invoiceId: null, until: '2026-06-30', reason: 'receivership check' }],
      }),
    );
    expect(plan.actions).toEqual([]);
    expect(plan.excluded.every((e) => e.reason === 'paused' && e.detail.includes('receivership'))).toBe(true);
    expect(plan.nextActionDate).toBe('2026-07-01');
  });

  it("honours the invoice's own paused-until date", () => {
    const plan = planCustomer(plannerInput({ items: [invoice({ pausedUntil: '2026-06-20' })] }));
    expect(plan.actions).toEqual([]);
    expect(plan.excluded[0]?.resumesOn).toBe('2026-06-21');
  });

  it('reports a paid invoice as paid even when it is also disputed', () => {
    const plan = planCustomer(plannerInput({ items: [invoice({ balanceMinor: 0, disputed: true })] }));
    expect(plan.excluded[0]?.reason).toBe('paid');
  });
});
