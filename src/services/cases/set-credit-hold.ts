import { type Kysely, sql } from 'kysely';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import type { Database } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';
import { type Actor, actorLabel } from '../worklist/actor.js';
import { requiredReason } from './case-context.js';

export interface SetCreditHoldResult {
  customerId: string;
  creditHold: boolean;
  evidenceSeq: number;
}

/**
 * Put a customer on credit hold (no new deliveries on credit) or release it, with a reason.
 * A dunning step's side effect can set the hold (deliver-actions.ts); only a human releases
 * it, here. Asking for the state the customer is already in answers 409, so two collectors
 * acting on the same file see that the other was first.
 */
export async function setCreditHold(
  trx: Kysely<Database>,
  orgId: string,
  customerId: string,
  input: { hold: boolean; reason: string },
  actor: Actor,
  now: Date,
): Promise<SetCreditHoldResult> {
  const reason = requiredReason(input.reason);
  const customer = await trx
    .selectFrom('customers')
    .select(['id', 'credit_hold', 'credit_hold_reason'])
    .where('org_id', '=', orgId)
    .where('id', '=', customerId)
    .forUpdate()
    .executeTakeFirst();
  if (!customer) throw notFound('Customer', customerId);
  if (customer.credit_hold === input.hold) {
    const state = input.hold ? 'on credit hold' : 'not on credit hold';
    throw new AppError('CONFLICT', `The customer is already ${state}: nothing was changed`, [
      { field: 'hold', value: String(input.hold), reason: `already ${state}` },
    ]);
  }
  const by = actorLabel(actor);
  await trx
    .updateTable('customers')
    .set({
      credit_hold: input.hold,
      credit_hold_reason: input.hold ? reason : null,
      credit_hold_since: input.hold ? now : null,
      updated_at: sql`now()`,
    })
    .where('org_id', '=', orgId)
    .where('id', '=', customerId)
    .execute();
  const entry = await appendEvidenceEntry(trx, orgId, {
    customerId,
    kind: 'note',
    channel: null,
    summary: input.hold ? `customer put on credit hold: ${reason}` : `credit hold released: ${reason}`,
    payload: {
      creditHold: input.hold,
      reason,
      previousReason: customer.credit_hold_reason,
      by,
    },
    contentSha256: null,
    at: now,
  });
  return { customerId, creditHold: input.hold, evidenceSeq: entry.seq };
}
