import { describe, expect, it } from 'vitest';
import { FR_B2B_STANDARD } from '../../../src/domain/dunning/default-policies.js';
import { planCustomer } from '../../../src/domain/dunning/planner.js';
import type { DunningPolicy } from '../../../src/domain/dunning/policy.js';
import { invoice, onSchedule, parisAt, plannerInput } from './fixtures.js';

const stepKeys = (plan: ReturnType<typeof planCustomer>) => plan.actions.map((a) => a.stepKey);

describe('planner: which step is due', () => {
  it('sends the courtesy notice five days before the due date', () => {
    const plan = planCustomer(plannerInput({ items: [invoice({ dueDate: '2026-06-21' })] }));
    expect(stepKeys(plan)).toEqual(['courtesy']);
    expect(plan.actions[0]?.reason).toMatch(/is due in 5 days; step 1 \(courtesy notice\)/);
  });

  it('does nothing six days before the due date and schedules the next look for tomorrow', () => {
    const plan = planCustomer(plannerInput({ items: [invoice({ dueDate: '2026-06-22' })] }));
    expect(plan.actions).toEqual([]);
    expect(plan.nextActionDate).toBe('2026-06-17');
  });

  it('sends the first reminder on the seventh day after the due date', () => {
    const plan = planCustomer(plannerInput({ items: [invoice({ dueDate: '2026-06-09' })], history: [] }));
    expect(stepKeys(plan)).toEqual(['first_reminder']);
  });

  it('still sends a missed first reminder on day 8 instead of only on the exact day', () => {
    const plan = planCustomer(plannerInput({ items: [invoice({ dueDate: '2026-06-08' })] }));
    expect(stepKeys(plan)).toEqual(['first_reminder']);
    expect(plan.actions[0]?.items[0]?.daysLate).toBe(8);
  });

  it('explains the action with the invoice number, days late, step and policy version', () => {
    const item = invoice({ invoiceNumber: 'F-2024-118', dueDate: '2026-05-31' });
    const policy: DunningPolicy = { ...FR_B2B_STANDARD, version: 3 };
    const plan = planCustomer(
      plannerInput({
        items: [item],
        policy,
        history: [
          {
            invoiceId: item.invoiceId,
            instalmentSeq: null,
            stepKey: 'first_reminder',
            at: parisAt('2026-06-07'),
          },
        ],
      }),
    );
    expect(plan.actions[0]?.reason).toBe(
      'invoice F-2024-118 is 16 days overdue; step 3 (second reminder) of policy FR-B2B-standard v3',
    );
    expect(plan.actions[0]).toMatchObject({ policyVersion: 3, stepKey: 'second_reminder', tone: 'firm' });
  });

  it('sends the second reminder by email and SMS at J+15', () => {
    const item = invoice({ dueDate: '2026-06-01' });
    const plan = planCustomer(plannerInput({ items: [item], history: onSchedule(item, ['first_reminder']) }));
    expect(plan.actions[0]?.channels.map((c) => c.channel)).toEqual(['email', 'sms']);
    expect(plan.actions[0]?.sideEffects).toEqual({ notifyOwner: true });
  });

  it('never fires a step twice for the same item and schedules the next step', () => {
    const item = invoice({ dueDate: '2026-05-31' });
    const plan = planCustomer(
      plannerInput({
        items: [item],
        history: [
          {
            invoiceId: item.invoiceId,
            instalmentSeq: null,
            stepKey: 'second_reminder',
            at: parisAt('2026-06-15'),
          },
        ],
      }),
    );
    expect(plan.actions).toEqual([]);
    expect(plan.nextActionDate).toBe('2026-06-30');
  });

  it('starts an invoice imported 40 days late at the first reminder, marked as a backlog catch-up', () => {
    const plan = planCustomer(plannerInput({ items: [invoice({ dueDate: '2026-05-07' })] }));
    expect(stepKeys(plan)).toEqual(['first_reminder']);
    expect(plan.actions[0]).toMatchObject({
      catchUp: true,
      // The policy's spacing between the first and second reminders: 8 days.
      nextStep: { key: 'second_reminder', date: '2026-06-24' },
    });
    expect(plan.actions[0]?.reason).toMatch(/backlog catch-up/);
    expect(plan.nextActionDate).toBe('2026-06-24');
  });

  it('sends the formal notice once the reminders before it were sent, with its deadline and credit hold', () => {
    const item = invoice({ dueDate: '2026-05-07' });
    const plan = planCustomer(
      plannerInput({ items: [item], history: onSchedule(item, ['first_reminder', 'second_reminder']) }),
    );
    expect(stepKeys(plan)).toEqual(['formal_notice']);
    expect(plan.actions[0]).toMatchObject({ deadlineDays: 15, tone: 'formal', catchUp: false });
    expect(plan.actions[0]?.channels.map((c) => c.channel)).toEqual(['registered_letter', 'email']);
    expect(plan.actions[0]?.sideEffects.creditHold).toBe(true);
  });

  it('replays missed steps one per run when the policy asks for it', () => {
    const policy: DunningPolicy = { ...FR_B2B_STANDARD, replayMissedSteps: true };
    const item = invoice({ dueDate: '2026-05-07' });
    const first = planCustomer(plannerInput({ policy, items: [item] }));
    // The courtesy notice is pointless once overdue, so replay starts at the first reminder.
    expect(stepKeys(first)).toEqual(['first_reminder']);
    expect(first.nextActionDate).toBe('2026-06-17');
    const second = planCustomer(
      plannerInput({
        policy,
        items: [item],
        now: parisAt('2026-06-17 09:00'),
        history: [
          {
            invoiceId: item.invoiceId,
            instalmentSeq: null,
            stepKey: 'first_reminder',
            at: parisAt('2026-06-16'),
          },
        ],
      }),
    );
    expect(stepKeys(second)).toEqual(['second_reminder']);
  });

  it('lets the organisation setting turn replay off: the policy spacing applies again, still from the first step', () => {
    const policy: DunningPolicy = { ...FR_B2B_STANDARD, replayMissedSteps: true };
    const input = plannerInput({ policy, items: [invoice({ dueDate: '2026-05-07' })] });
    const plan = planCustomer({ ...input, settings: { ...input.settings, catchUpReplay: false } });
    expect(stepKeys(plan)).toEqual(['first_reminder']);
    expect(plan.nextActionDate).toBe('2026-06-24');
  });

  it('does not send a courtesy notice for an invoice that is already late', () => {
    const item = invoice({ dueDate: '2026-06-14' });
    const plan = planCustomer(plannerInput({ items: [item] }));
    expect(plan.actions).toEqual([]);
    expect(plan.skipped).toEqual([
      expect.objectContaining({
        invoiceId: item.invoiceId,
        stepKey: 'courtesy',
        reason: expect.stringMatching(/up to 0 day/),
      }),
    ]);
    expect(plan.nextActionDate).toBe('2026-06-21');
  });

  it('gives each customer a single action after a 10-day outage, never a burst', () => {
    const a = invoice({ dueDate: '2026-05-31' });
    const b = invoice({ dueDate: '2026-06-05' });
    const c = invoice({ dueDate: '2026-06-13' });
    // The scheduler last ran on 6 June: a had its first reminder; then ten days of silence.
    const plan = planCustomer(
      plannerInput({
        items: [a, b, c],
        history: [
          {
            invoiceId: a.invoiceId,
            instalmentSeq: null,
            stepKey: 'first_reminder',
            at: parisAt('2026-06-06'),
          },
        ],
      }),
    );
    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0]?.stepKey).toBe('second_reminder');
    expect(plan.actions[0]?.items.map((i) => [i.invoiceNumber, i.stepKey])).toEqual([
      [a.invoiceNumber, 'second_reminder'],
      [b.invoiceNumber, 'first_reminder'],
    ]);
    // c is 3 days late: its courtesy notice window has passed and its first reminder is not due yet.
    expect(plan.actions[0]?.statementItems.map((i) => i.invoiceNumber)).toEqual([c.invoiceNumber]);
  });

  it('creates the escalation decision as a task of its own, not absorbing a lower reminder', () => {
    const old = invoice({ dueDate: '2026-05-01' });
    const recent = invoice({ dueDate: '2026-06-08' });
    const plan = planCustomer(
      plannerInput({
        items: [old, recent],
        history: [
          {
            invoiceId: old.invoiceId,
            instalmentSeq: null,
            stepKey: 'formal_notice',
            at: parisAt('2026-05-25'),
          },
        ],
      }),
    );
    expect(plan.actions.map((a) => [a.stepKey, a.kind, a.taskKind])).toEqual([
      ['first_reminder', 'send', null],
      ['escalation', 'task', 'escalation_decision'],
    ]);
    expect(plan.actions[1]?.decisionTask?.options).toEqual([
      'legal_action',
      'collection_agency',
      'write_off',
    ]);
    expect(plan.actions[1]?.channels).toEqual([]);
  });

  it('skips a step whose minimum amount is not met and goes on to the next matching one', () => {
    const policy: DunningPolicy = {
      ...FR_B2B_STANDARD,
      steps: FR_B2B_STANDARD.steps.map((s) =>
        s.key === 'formal_notice' ? { ...s, conditions: { minAmountMinor: 50_000 } } : s,
      ),
    };
    const item = invoice({ dueDate: '2026-05-07', balanceMinor: 30_000 });
    const plan = planCustomer(
      plannerInput({
        policy,
        items: [item],
        history: onSchedule(item, ['first_reminder', 'second_reminder']),
      }),
    );
    expect(stepKeys(plan)).toEqual([]);
    // The escalation follows the second reminder at the policy's spacing (45 - 15 days after it).
    expect(plan.nextActionDate).toBe('2026-06-21');
    expect(plan.skipped).toEqual([
      expect.objectContaining({
        stepKey: 'formal_notice',
        reason: expect.stringMatching(/below the step minimum 50000/),
      }),
    ]);
  });

  it('skips a step that needs a risk band the customer does not have', () => {
    const policy: DunningPolicy = {
      ...FR_B2B_STANDARD,
      steps: FR_B2B_STANDARD.steps.map((s) =>
        s.key === 'second_reminder' ? { ...s, conditions: { riskBands: ['high'] } } : s,
      ),
    };
    const item = invoice({ dueDate: '2026-05-31' });
    const plan = planCustomer(
      plannerInput({ policy, items: [item], history: onSchedule(item, ['first_reminder']) }),
    );
    expect(stepKeys(plan)).toEqual([]);
    expect(plan.skipped.map((s) => s.reason)).toContainEqual(expect.stringMatching(/needs a risk band/));
  });

  it('treats the local date in the debtor time zone as today', () => {
    // 23:30 UTC on 15 June is already 16 June in Paris.
    const plan = planCustomer(
      plannerInput({ items: [invoice({ dueDate: '2026-06-09' })], now: new Date('2026-06-15T23:30:00Z') }),
    );
    expect(plan.localDate).toBe('2026-06-16');
    expect(plan.localTime).toBe('01:30');
  });
});
