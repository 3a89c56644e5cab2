import type { Kysely } from 'kysely';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import type { Database } from '../../db/schema/index.js';
import { addDays, compareDates, isIsoDate } from '../../domain/calendar/index.js';
import { notFound } from '../../errors.js';
import { type Actor, actorLabel } from '../worklist/actor.js';
import { caseFieldError, caseToday, requiredReason } from './case-context.js';

/** A manual pause is a decision to revisit, not a way to forget a debtor. */
export const MAX_PAUSE_DAYS = 366;

export interface PauseCustomerResult {
  pauseId: string;
  until: string;
  evidenceSeq: number;
}

/**
 * Pause dunning of a customer's whole account up to and including `until` ("a manual pause
 * per customer or invoice with an end date"). The planner reads pauses live, so the next run
 * or preview leaves every item of the customer alone, and picks them up again the day after.
 */
export async function pauseCustomer(
  trx: Kysely<Database>,
  orgId: string,
  customerId: string,
  input: { until: string; reason: string },
  actor: Actor,
  now: Date,
): Promise<PauseCustomerResult> {
  const reason = requiredReason(input.reason);
  const customer = await trx
    .selectFrom('customers')
    .select(['id', 'name'])
    .where('org_id', '=', orgId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!customer) throw notFound('Customer', customerId);
  const today = await caseToday(trx, orgId, now);
  if (!isIsoDate(input.until)) throw caseFieldError('until', 'a date YYYY-MM-DD', input.until);
  if (compareDates(input.until, today) < 0)
    throw caseFieldError('until', `must be ${today} or later`, input.until);
  const latest = addDays(today, MAX_PAUSE_DAYS);
  if (compareDates(input.until, latest) > 0)
    throw caseFieldError('until', `at most ${MAX_PAUSE_DAYS} days ahead (${latest})`, input.until);
  const by = actorLabel(actor);
  const pause = await trx
    .insertInto('dunning_pauses')
    .values({
      org_id: orgId,
      customer_id: customerId,
      invoice_id: null,
      reason,
      until: input.until,
      created_by: by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const entry = await appendEvidenceEntry(trx, orgId, {
    customerId,
    kind: 'pause',
    channel: null,
    summary: `account paused until ${input.until}: ${reason}`,
    payload: {
      pauseId: pause.id,
      invoiceId: null,
      until: input.until,
      reason,
      resumesOn: addDays(input.until, 1),
      by,
    },
    contentSha256: null,
    at: now,
  });
  return { pauseId: pause.id, until: input.until, evidenceSeq: entry.seq };
}
