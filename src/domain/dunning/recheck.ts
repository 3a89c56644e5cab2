import { planCustomer } from './planner.js';
import type { PlannedAction, PlannerInput, PostponeReason } from './types.js';

/**
 * The claim-time check of an outbox row: re-plan the customer on fresh state at the claim
 * instant and send only if the same action (same idempotency key) is still due. A payment,
 * a dispute or a pause that arrived a minute before the send cancels it; quiet hours or the
 * pressure limit postpone it. The action's own step records and contact are ignored so the
 * second channel of a reminder is not cancelled by the first one's completion.
 */
export type Recheck =
  | { verdict: 'send'; action: PlannedAction }
  | { verdict: 'postpone'; reason: PostponeReason; detail: string; nextTryAt: Date; nextTryDate: string }
  | { verdict: 'cancel'; reason: string };

export function recheckAction(input: PlannerInput, idempotencyKey: string): Recheck {
  const plan = planCustomer({
    ...input,
    history: input.history.filter((h) => h.actionKey !== idempotencyKey),
    recentContacts: input.recentContacts.filter((c) => c.actionKey !== idempotencyKey),
  });
  const due = plan.actions.find((a) => a.idempotencyKey === idempotencyKey);
  if (due) return { verdict: 'send', action: due };
  const waiting = plan.postponed.find((p) => p.action.idempotencyKey === idempotencyKey);
  if (waiting)
    return {
      verdict: 'postpone',
      reason: waiting.reason,
      detail: waiting.detail,
      nextTryAt: waiting.nextTryAt,
      nextTryDate: waiting.nextTryDate,
    };
  const why = plan.excluded.map((e) => `${e.invoiceNumber}: ${e.detail}`);
  const replaced = [...plan.actions, ...plan.postponed.map((p) => p.action)].map(
    (a) => `now due instead: ${a.stepKey} for ${a.items.map((i) => i.invoiceNumber).join(', ')}`,
  );
  return {
    verdict: 'cancel',
    reason: ['no longer due', ...why, ...replaced].join('; '),
  };
}
