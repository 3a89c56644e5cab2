import { describe, expect, it } from 'vitest';
import { addDays, isPublicHoliday, isSunday } from '../../../src/domain/calendar/index.js';
import { planCustomer } from '../../../src/domain/dunning/planner.js';
import type { OpenItem, RecentContact, StepDone } from '../../../src/domain/dunning/types.js';
import { invoice, parisAt, plannerInput } from './fixtures.js';

/** Run the planner every morning for months, carrying out every action, and check the invariants. */
function simulate(items: OpenItem[], days: number, start = '2026-04-01') {
  const history: StepDone[] = [];
  const contacts: RecentContact[] = [];
  const sends: { date: string; key: string }[] = [];
  const actionsPerDay: number[] = [];
  for (let d = 0; d < days; d++) {
    const date = addDays(start, d);
    const now = parisAt(`${date} 09:00`);
    const plan = planCustomer(plannerInput({ items, history, recentContacts: contacts, now }));
    actionsPerDay.push(plan.actions.filter((a) => a.kind === 'send').length);
    for (const a of plan.actions) {
      for (const i of a.items)
        history.push({
          invoiceId: i.invoiceId,
          instalmentSeq: i.instalmentSeq,
          stepKey: i.stepKey,
          at: now,
          actionKey: a.idempotencyKey,
        });
      if (a.kind === 'send') {
        contacts.push({ at: now, automatic: true, actionKey: a.idempotencyKey });
        sends.push({ date, key: a.idempotencyKey });
      }
    }
  }
  return { history, sends, actionsPerDay };
}

describe('planner simulation over months', () => {
  // Due dates spread so that steps of different invoices collide on the same days.
  const items = [
    invoice({ dueDate: '2026-04-03' }),
    invoice({ dueDate: '2026-04-06' }),
    invoice({ dueDate: '2026-04-10' }),
    invoice({ dueDate: '2026-04-17' }),
    invoice({ dueDate: '2026-05-01' }),
    invoice({
      dueDate: '2026-06-15',
      balanceMinor: 60_000,
      instalments: [
        { seq: 1, dueDate: '2026-04-15', amountMinor: 30_000 },
        { seq: 2, dueDate: '2026-05-15', amountMinor: 30_000 },
      ],
    }),
  ];
  const run = simulate(items, 120);

  it('never fires a step twice for the same item', () => {
    const seen = run.history.map((h) => `${h.invoiceId}#${h.instalmentSeq}:${h.stepKey}`);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('never sends the same action twice', () => {
    const keys = run.sends.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('sends at most one message a day and two in any rolling week', () => {
    expect(Math.max(...run.actionsPerDay)).toBeLessThanOrEqual(1);
    for (let d = 0; d < run.actionsPerDay.length; d++) {
      const week = run.actionsPerDay.slice(Math.max(0, d - 6), d + 1).reduce((a, b) => a + b, 0);
      expect(week).toBeLessThanOrEqual(2);
    }
  });

  it('never sends on a Sunday or a French public holiday', () => {
    const bad = run.sends.filter((s) => isSunday(s.date) || isPublicHoliday(s.date));
    expect(bad).toEqual([]);
  });

  it('brings every unpaid item to the escalation decision in the end, never silently stopping', () => {
    const escalated = new Set(
      run.history.filter((h) => h.stepKey === 'escalation').map((h) => `${h.invoiceId}#${h.instalmentSeq}`),
    );
    const units = items.flatMap((i) =>
      i.instalments ? i.instalments.map((s) => `${i.invoiceId}#${s.seq}`) : [`${i.invoiceId}#null`],
    );
    expect([...escalated].sort()).toEqual(units.sort());
  });

  it('sends each invoice its formal notice before its escalation', () => {
    for (const i of items.filter((x) => !x.instalments)) {
      const steps = run.history.filter((h) => h.invoiceId === i.invoiceId).map((h) => h.stepKey);
      expect(steps.indexOf('formal_notice')).toBeGreaterThanOrEqual(0);
      expect(steps.indexOf('formal_notice')).toBeLessThan(steps.indexOf('escalation'));
    }
  });
});
