import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/domain/calendar/index.js';
import { planCustomer } from '../../../src/domain/dunning/planner.js';
import { DEFAULT_DUNNING_SETTINGS, type StepDone } from '../../../src/domain/dunning/types.js';
import { invoice, parisAt, plannerInput } from './fixtures.js';

const keys = (plan: ReturnType<typeof planCustomer>) => plan.actions.map((a) => a.stepKey);
const done = (invoiceId: string, stepKey: string, day: string, over: Partial<StepDone> = {}): StepDone => ({
  invoiceId,
  instalmentSeq: null,
  stepKey,
  at: parisAt(day),
  ...over,
});

describe('backlog onboarding: items first seen already overdue', () => {
  // 650 days before Tuesday 16 June 2026.
  const old = invoice({ dueDate: addDays('2026-06-16', -650) });

  it('enters a 650-days-late item at the first reminder, never a second reminder or a formal notice', () => {
    const plan = planCustomer(plannerInput({ items: [old] }));
    expect(keys(plan)).toEqual(['first_reminder']);
    expect(plan.actions[0]?.catchUp).toBe(true);
    expect(plan.actions[0]?.nextStep).toEqual({
      key: 'second_reminder',
      label: 'second reminder',
      date: '2026-06-24',
    });
  });

  it('moves one step per run at the policy spacing, then waits for the notice deadline before escalating', () => {
    // Run 2, 8 days after the first reminder was sent: the second reminder.
    const run2 = planCustomer(
      plannerInput({
        items: [old],
        now: parisAt('2026-06-24 09:00'),
        history: [done(old.invoiceId, 'first_reminder', '2026-06-16')],
      }),
    );
    expect(keys(run2)).toEqual(['second_reminder']);
    // A day earlier, nothing: the spacing is not over, and the preview says until when.
    const early = planCustomer(
      plannerInput({
        items: [old],
        now: parisAt('2026-06-23 09:00'),
        history: [done(old.invoiceId, 'first_reminder', '2026-06-16')],
      }),
    );
    expect(early.actions).toEqual([]);
    expect(early.nextActionDate).toBe('2026-06-24');
    expect(early.skipped).toEqual([
      expect.objectContaining({
        stepKey: 'second_reminder',
        reason: expect.stringMatching(/waits until 2026-06-24/),
      }),
    ]);
    // Run 3, 15 days after the second reminder: the formal notice.
    const history = [
      done(old.invoiceId, 'first_reminder', '2026-06-16'),
      done(old.invoiceId, 'second_reminder', '2026-06-24'),
    ];
    const run3 = planCustomer(plannerInput({ items: [old], now: parisAt('2026-07-09 09:00'), history }));
    expect(keys(run3)).toEqual(['formal_notice']);
    // The notice was posted on 9 July with no receipt: 3 days of post + 15 days = 27 July
    // (a Monday); the escalation decision comes the day after, not the same second.
    const posted = [
      ...history,
      done(old.invoiceId, 'formal_notice', '2026-07-09', {
        postal: true,
        sentAt: parisAt('2026-07-09 10:00'),
      }),
    ];
    const sameDay = planCustomer(
      plannerInput({ items: [old], now: parisAt('2026-07-09 11:00'), history: posted }),
    );
    expect(sameDay.actions).toEqual([]);
    expect(sameDay.nextActionDate).toBe('2026-07-28');
    expect(
      keys(planCustomer(plannerInput({ items: [old], now: parisAt('2026-07-27 09:00'), history: posted }))),
    ).toEqual([]);
    expect(
      keys(planCustomer(plannerInput({ items: [old], now: parisAt('2026-07-28 09:00'), history: posted }))),
    ).toEqual(['escalation']);
  });

  it('counts the notice deadline from the recorded delivery when there is one, rolled to a working day', () => {
    const history = [
      done(old.invoiceId, 'first_reminder', '2026-06-01'),
      done(old.invoiceId, 'second_reminder', '2026-06-09'),
      // Delivered Friday 30 October: 15 days = Saturday 14 November, rolled to Monday 16.
      done(old.invoiceId, 'formal_notice', '2026-10-27', {
        postal: true,
        deliveredAt: parisAt('2026-10-30 11:00'),
      }),
    ];
    const on16 = planCustomer(plannerInput({ items: [old], now: parisAt('2026-11-16 09:00'), history }));
    expect(on16.actions).toEqual([]);
    expect(on16.nextActionDate).toBe('2026-11-17');
    expect(
      keys(planCustomer(plannerInput({ items: [old], now: parisAt('2026-11-17 09:00'), history }))),
    ).toEqual(['escalation']);
  });

  it('uses the shorter onboarding spacing the organisation sets while catching up', () => {
    const settings = { ...DEFAULT_DUNNING_SETTINGS, onboardingSpacingDays: 5 };
    const first = planCustomer(plannerInput({ items: [old], settings }));
    expect(first.actions[0]?.nextStep?.date).toBe('2026-06-21');
    const history = [done(old.invoiceId, 'first_reminder', '2026-06-16')];
    expect(
      keys(planCustomer(plannerInput({ items: [old], settings, history, now: parisAt('2026-06-20 09:00') }))),
    ).toEqual([]);
    expect(
      keys(planCustomer(plannerInput({ items: [old], settings, history, now: parisAt('2026-06-22 09:00') }))),
    ).toEqual(['second_reminder']);
  });

  it('gives a customer with a whole backlog one message per run, every item at its first reminder', () => {
    const items = [10, 45, 200, 650].map((d) => invoice({ dueDate: addDays('2026-06-16', -d) }));
    const plan = planCustomer(plannerInput({ items }));
    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0]?.items.map((i) => i.stepKey)).toEqual(Array(4).fill('first_reminder'));
  });
});

describe('step preconditions: a step presupposing earlier ones needs them sent', () => {
  const item = invoice({ dueDate: '2026-04-01' });

  it('does not plan the second reminder while the first one has not been sent (awaiting approval, printing, failed)', () => {
    const plan = planCustomer(
      plannerInput({
        items: [item],
        history: [done(item.invoiceId, 'first_reminder', '2026-05-01', { sentAt: null })],
      }),
    );
    expect(plan.actions).toEqual([]);
    expect(plan.skipped).toEqual([
      expect.objectContaining({
        stepKey: 'second_reminder',
        reason: 'second reminder waits: the first reminder has not been sent yet',
      }),
    ]);
    // Looked at again tomorrow.
    expect(plan.nextActionDate).toBe('2026-06-17');
  });

  it('does not escalate when the formal notice was never sent, however late the item is', () => {
    const plan = planCustomer(
      plannerInput({
        items: [item],
        history: [
          done(item.invoiceId, 'first_reminder', '2026-04-08'),
          done(item.invoiceId, 'second_reminder', '2026-04-16'),
          done(item.invoiceId, 'formal_notice', '2026-05-01', { sentAt: null, postal: true }),
        ],
      }),
    );
    expect(plan.actions).toEqual([]);
    expect(plan.skipped[0]?.reason).toMatch(
      /escalation decision waits: the formal notice .* has not been sent/,
    );
  });
});
