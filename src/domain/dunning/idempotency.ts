import { hash } from 'node:crypto';

/**
 * The outbox key of an action: the same customer, policy, step and set of items always give
 * the same key, whatever the run, the date or the order items were listed in. The policy's
 * stable key is used rather than a version's id so that editing a policy between planning
 * and sending cannot produce a second send of the same step.
 *
 * The key is stored in every outbox row: its value must never change. crypto.hash is the
 * one-shot form of createHash(...).update(...).digest(), same digest without a Hash object
 * per action.
 */
export function idempotencyKey(parts: {
  customerId: string;
  policyKey: string;
  stepKey: string;
  /** unitId()s: invoice id, or `invoiceId#seq` for an instalment. */
  unitIds: string[];
}): string {
  const ids = parts.unitIds;
  const canonical = JSON.stringify([
    'dunning/v1',
    parts.customerId,
    parts.policyKey,
    parts.stepKey,
    ids.length < 2 ? ids : [...new Set(ids)].sort(),
  ]);
  return hash('sha256', canonical, 'hex');
}
