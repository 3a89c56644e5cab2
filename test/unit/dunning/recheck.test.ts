import { describe, expect, it } from 'vitest';
import { planCustomer } from '../../../src/domain/dunning/planner.js';
import { recheckAction } from '../../../src/domain/dunning/recheck.js';
import { invoice, parisAt, plannerInput } from './fixtures.js';

describe('claim-time re-check', () => {
  const a = invoice({ dueDate: '2026-05-31' });
  const b = invoice({ dueDate: '2026-06-08' });
  const planned = planCustomer(plannerInput({ items: [a, b] })).actions[0];
  const key = planned?.idempotencyKey ?? '';

  it('sends an action that is still due', () => {
    const r = recheckAction(plannerInput({ items: [a, b], now: parisAt('2026-06-16 09:05') }), key);
    expect(r.verdict).toBe('send');
  });

  it('cancels an action whose item was paid a minute before the send', () => {
    const r = recheckAction(plannerInput({ items: [a, { ...b, balanceMinor: 0 }] }), key);
    expect(r.verdict).toBe('cancel');
    if (r.verdict === 'cancel') {
      expect(r.reason).toContain(`${b.invoiceNumber}: nothing left to pay`);
      expect(r.reason).toContain(`now due instead: first_reminder for ${a.invoiceNumber}`);
    }
  });

  it('cancels an action whose items were all disputed', () => {
    const r = recheckAction(
      plannerInput({
        items: [
          { ...a, disputed: true },
          { ...b, disputed: true },
        ],
      }),
      key,
    );
    expect(r).toMatchObject({ verdict: 'cancel' });
  });

  it('postpones an action claimed after 20:00', () => {
    const r = recheckAction(plannerInput({ items: [a, b], now: parisAt('2026-06-16 20:15') }), key);
    expect(r).toMatchObject({ verdict: 'postpone', reason: 'quiet_hours', nextTryDate: '2026-06-17' });
  });

  it("does not let the first channel's completion cancel or throttle the second channel", () => {
    const sentAt = parisAt('2026-06-16 09:01');
    const r = recheckAction(
      plannerInput({
        items: [a, b],
        now: parisAt('2026-06-16 09:02'),
        history: [
          {
            invoiceId: a.invoiceId,
            instalmentSeq: null,
            stepKey: 'second_reminder',
            at: sentAt,
            actionKey: key,
          },
          {
            invoiceId: b.invoiceId,
            instalmentSeq: null,
            stepKey: 'first_reminder',
            at: sentAt,
            actionKey: key,
          },
        ],
        recentContacts: [
          { at: parisAt('2026-06-12 10:00'), automatic: true, actionKey: 'earlier' },
          { at: sentAt, automatic: true, actionKey: key },
        ],
      }),
      key,
    );
    expect(r.verdict).toBe('send');
  });

  it('cancels a replay of an action another run already completed', () => {
    const r = recheckAction(
      plannerInput({
        items: [a, b],
        history: [
          {
            invoiceId: a.invoiceId,
            instalmentSeq: null,
            stepKey: 'second_reminder',
            at: parisAt('2026-06-16 08:00'),
            actionKey: 'other',
          },
          {
            invoiceId: b.invoiceId,
            instalmentSeq: null,
            stepKey: 'first_reminder',
            at: parisAt('2026-06-16 08:00'),
            actionKey: 'other',
          },
        ],
      }),
      key,
    );
    expect(r).toEqual({ verdict: 'cancel', reason: 'no longer due' });
  });
});
