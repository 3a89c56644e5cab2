import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICIES,
  DEFAULT_POLICY_RULES,
  FR_CONCILIATORY,
} from '../../../src/domain/dunning/default-policies.js';
import { planCustomer } from '../../../src/domain/dunning/planner.js';
import { selectPolicy } from '../../../src/domain/dunning/selection.js';
import { DEFAULT_DUNNING_SETTINGS } from '../../../src/domain/dunning/types.js';
import { customer, invoice, onSchedule, parisAt, plannerInput } from './fixtures.js';

const dueItem = () => invoice({ dueDate: '2026-05-31' });

describe('planner: send days, quiet hours and contact pressure', () => {
  it('postpones a send on a Sunday to Monday 08:00, without skipping it', () => {
    const plan = planCustomer(plannerInput({ items: [dueItem()], now: parisAt('2026-06-14 10:00') }));
    expect(plan.actions).toEqual([]);
    expect(plan.postponed).toHaveLength(1);
    expect(plan.postponed[0]).toMatchObject({ reason: 'sunday', nextTryDate: '2026-06-15' });
    expect(plan.postponed[0]?.nextTryAt.toISOString()).toBe('2026-06-15T06:00:00.000Z');
    expect(plan.postponed[0]?.action.stepKey).toBe('first_reminder');
    expect(plan.nextActionDate).toBe('2026-06-15');
  });

  it('postpones a send on 14 July (Fête nationale) to the 15th', () => {
    const plan = planCustomer(plannerInput({ items: [dueItem()], now: parisAt('2026-07-14 10:00') }));
    expect(plan.postponed[0]).toMatchObject({ reason: 'public_holiday', nextTryDate: '2026-07-15' });
  });

  it('sends on a Saturday', () => {
    const plan = planCustomer(plannerInput({ items: [dueItem()], now: parisAt('2026-06-13 10:00') }));
    expect(plan.actions).toHaveLength(1);
  });

  it('postpones at 07:59 local time and sends at 08:00', () => {
    const early = planCustomer(plannerInput({ items: [dueItem()], now: parisAt('2026-06-16 07:59') }));
    expect(early.postponed[0]).toMatchObject({ reason: 'quiet_hours', nextTryDate: '2026-06-16' });
    expect(early.postponed[0]?.nextTryAt.toISOString()).toBe('2026-06-16T06:00:00.000Z');
    expect(early.postponed[0]?.detail).toMatch(/07:59 in Europe\/Paris is outside 08:00–20:00/);
    const onTime = planCustomer(plannerInput({ items: [dueItem()], now: parisAt('2026-06-16 08:00') }));
    expect(onTime.actions).toHaveLength(1);
  });

  it('postpones at 20:00 to the next morning', () => {
    const plan = planCustomer(plannerInput({ items: [dueItem()], now: parisAt('2026-06-16 20:00') }));
    expect(plan.postponed[0]).toMatchObject({ reason: 'quiet_hours', nextTryDate: '2026-06-17' });
  });

  it('moves a Saturday-evening send past the Sunday DST change to Monday 08:00 summer time', () => {
    // 28 March 2026 20:30 CET; clocks go forward on Sunday 29 March.
    const plan = planCustomer(
      plannerInput({ items: [invoice({ dueDate: '2026-03-10' })], now: new Date('2026-03-28T19:30:00Z') }),
    );
    expect(plan.postponed[0]).toMatchObject({ reason: 'quiet_hours', nextTryDate: '2026-03-30' });
    expect(plan.postponed[0]?.nextTryAt.toISOString()).toBe('2026-03-30T06:00:00.000Z');
  });

  it('judges quiet hours in local summer time the Monday after the spring change', () => {
    const item = invoice({ dueDate: '2026-03-10' });
    const before = planCustomer(plannerInput({ items: [item], now: new Date('2026-03-30T05:59:00Z') }));
    expect(before.postponed[0]?.reason).toBe('quiet_hours');
    const at = planCustomer(plannerInput({ items: [item], now: new Date('2026-03-30T06:00:00Z') }));
    expect(at.actions).toHaveLength(1);
  });

  it('judges quiet hours in local winter time the Monday after the autumn change', () => {
    const item = invoice({ dueDate: '2026-10-10' });
    // 26 October 2026: Paris is UTC+1 again, so 07:00Z is 08:00 local.
    const before = planCustomer(plannerInput({ items: [item], now: new Date('2026-10-26T06:59:00Z') }));
    expect(before.postponed[0]?.reason).toBe('quiet_hours');
    const at = planCustomer(plannerInput({ items: [item], now: new Date('2026-10-26T07:00:00Z') }));
    expect(at.actions).toHaveLength(1);
  });

  it("uses the debtor's own time zone for quiet hours", () => {
    const plan = planCustomer(
      plannerInput({ items: [dueItem()], customer: customer({ timeZone: 'America/Guadeloupe' }) }),
    );
    // 09:00 in Paris is 03:00 in Guadeloupe.
    expect(plan.timeZone).toBe('America/Guadeloupe');
    expect(plan.postponed[0]).toMatchObject({ reason: 'quiet_hours', nextTryDate: '2026-06-16' });
    expect(plan.postponed[0]?.nextTryAt.toISOString()).toBe('2026-06-16T12:00:00.000Z');
  });

  it('sends a second automatic contact within 7 days', () => {
    const plan = planCustomer(
      plannerInput({
        items: [dueItem()],
        recentContacts: [{ at: parisAt('2026-06-12 10:00'), automatic: true }],
      }),
    );
    expect(plan.actions).toHaveLength(1);
  });

  it('postpones a third automatic contact within 7 days until the oldest leaves the window', () => {
    const plan = planCustomer(
      plannerInput({
        items: [dueItem()],
        recentContacts: [
          { at: parisAt('2026-06-10 10:30'), automatic: true },
          { at: parisAt('2026-06-12 10:00'), automatic: true },
        ],
      }),
    );
    expect(plan.actions).toEqual([]);
    expect(plan.postponed[0]).toMatchObject({ reason: 'pressure_limit', nextTryDate: '2026-06-17' });
    expect(plan.postponed[0]?.nextTryAt.getTime()).toBe(parisAt('2026-06-17 10:30').getTime());
    expect(plan.postponed[0]?.detail).toMatch(/2 automatic contact\(s\) in the last 7 days; the limit is 2/);
  });

  it('counts the email and SMS of one reminder as one contact', () => {
    const plan = planCustomer(
      plannerInput({
        items: [dueItem()],
        recentContacts: [
          { at: parisAt('2026-06-12 10:00'), automatic: true, actionKey: 'k1' },
          { at: parisAt('2026-06-12 10:00'), automatic: true, actionKey: 'k1' },
        ],
      }),
    );
    expect(plan.actions).toHaveLength(1);
  });

  it('does not count manual contacts or contacts older than 7 days', () => {
    const plan = planCustomer(
      plannerInput({
        items: [dueItem()],
        recentContacts: [
          { at: parisAt('2026-06-09 08:59'), automatic: true },
          { at: parisAt('2026-06-15 11:00'), automatic: false },
          { at: parisAt('2026-06-15 12:00'), automatic: false },
        ],
      }),
    );
    expect(plan.actions).toHaveLength(1);
  });

  it('postpones the pressure limit onto an allowed day when the window frees up on a Sunday', () => {
    const plan = planCustomer(
      plannerInput({
        items: [dueItem()],
        now: parisAt('2026-06-13 10:00'),
        recentContacts: [
          { at: parisAt('2026-06-07 09:00'), automatic: true },
          { at: parisAt('2026-06-08 09:00'), automatic: true },
        ],
      }),
    );
    expect(plan.postponed[0]).toMatchObject({ reason: 'pressure_limit', nextTryDate: '2026-06-15' });
  });

  it('counts earlier actions of the same run in per-item mode', () => {
    const first = dueItem();
    const plan = planCustomer(
      plannerInput({
        items: [first, invoice({ dueDate: '2026-06-09' })],
        history: onSchedule(first, ['first_reminder']),
        settings: { ...DEFAULT_DUNNING_SETTINGS, statementGrouping: false },
        recentContacts: [{ at: parisAt('2026-06-12 10:00'), automatic: true }],
      }),
    );
    expect(plan.actions.map((a) => a.stepKey)).toEqual(['second_reminder']);
    expect(plan.postponed.map((p) => [p.action.stepKey, p.reason])).toEqual([
      ['first_reminder', 'pressure_limit'],
    ]);
  });

  it('still creates tasks for a human on a Sunday', () => {
    const plan = planCustomer(
      plannerInput({
        items: [invoice({ dueDate: '2026-06-05' })],
        policy: FR_CONCILIATORY,
        customer: customer({ segment: 'strategic' }),
        now: parisAt('2026-06-14 10:00'),
      }),
    );
    expect(plan.postponed).toEqual([]);
    expect(plan.actions.map((a) => [a.kind, a.taskKind])).toEqual([['task', 'call']]);
  });

  it('turns every step of the conciliatory policy into a task instead of a send', () => {
    const item = invoice({ dueDate: '2026-05-25' });
    const plan = planCustomer(
      plannerInput({
        items: [item],
        policy: FR_CONCILIATORY,
        history: onSchedule(item, ['first_reminder'], FR_CONCILIATORY),
      }),
    );
    expect(plan.actions.map((a) => [a.stepKey, a.kind, a.taskKind])).toEqual([
      ['second_reminder', 'task', 'review_send'],
    ]);
    expect(plan.actions[0]?.reason).toMatch(/conciliatory policy: a human reviews/);
  });
});

describe('planner: policy kinds and customers', () => {
  it('swaps a business template for the consumer one when a B2B policy is forced on a consumer', () => {
    const item = invoice({ dueDate: '2026-05-31' });
    const plan = planCustomer(
      plannerInput({
        items: [item],
        customer: customer({ kind: 'b2c' }),
        history: onSchedule(item, ['first_reminder']),
      }),
    );
    expect(plan.actions[0]?.templateKey).toBe('second_reminder_b2c');
    expect(plan.actions[0]?.channelNotes).toContain(
      'consumer: template second_reminder_b2c used instead of second_reminder_b2b',
    );
  });

  it('keeps the business template for a business customer', () => {
    const item = invoice({ dueDate: '2026-05-31' });
    const plan = planCustomer(plannerInput({ items: [item], history: onSchedule(item, ['first_reminder']) }));
    expect(plan.actions[0]?.templateKey).toBe('second_reminder_b2b');
  });

  it('routes a strategic customer through selection to tasks for a human', () => {
    const strategic = customer({ segment: 'strategic' });
    const selected = selectPolicy(
      [...DEFAULT_POLICY_RULES],
      { ...strategic, riskScore: null, policyOverride: null },
      0,
    );
    const policy = DEFAULT_POLICIES.find((p) => p.key === selected?.policyKey);
    if (!policy) throw new Error('no policy selected');
    const plan = planCustomer(
      plannerInput({ customer: strategic, policy, items: [invoice({ dueDate: '2026-06-08' })] }),
    );
    expect(plan.actions.map((a) => [a.policyKey, a.kind, a.taskKind])).toEqual([
      ['FR-conciliatory', 'task', 'call'],
    ]);
  });
});
