import { hash } from 'node:crypto';

/**
 * The outbox key of an action: the same customer, policy, step and set of items always give
 * the same key, whatever the run, the date or the order items were listed in. The policy's
 * stable key is used rather than a version's id so that editing a policy between planning
 * and sending cannot produce a second send of the same step.
 *
 * The key is stored in every outbox row: its value must never change. It is the SHA-256 of
 * JSON.stringify(['dunning/v1', customerId, policyKey, stepKey, sorted unique unit ids]),
 * built by hand below because that costs half as much, once per planned action.
 */
export function idempotencyKey(parts: {
  customerId: string;
  policyKey: string;
  stepKey: string;
  /** unitId()s: invoice id, or `invoiceId#seq` for an instalment. */
  unitIds: string[];
}): string {
  const ids = parts.unitIds.length < 2 ? parts.unitIds : [...new Set(parts.unitIds)].sort();
  const canonical = `["dunning/v1",${jsonString(parts.customerId)},${jsonString(parts.policyKey)},${jsonString(parts.stepKey)},[${ids.map(jsonString).join(',')}]]`;
  // The one-shot form of createHash().update().digest(): the same digest, no Hash object.
  return hash('sha256', canonical, 'hex');
}

/** Ids and keys are nearly always plain (uuids, snake_case): their JSON is the text in quotes. */
const PLAIN = /^[\w#-]*$/;

function jsonString(s: string): string {
  return PLAIN.test(s) ? `"${s}"` : JSON.stringify(s);
}
