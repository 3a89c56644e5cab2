import { type Kysely, sql } from 'kysely';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { type IsoDate, zonedParts } from '../../domain/calendar/index.js';
import { cleanComment } from '../../domain/portal/index.js';
import { AppError, notFound } from '../../errors.js';

/** Shared by the case actions of the customer file (resolve a dispute, end a pause…). */
export const MAX_CASE_REASON = 500;
export const MAX_CASE_COMMENT = 2000;

export const caseFieldError = (field: string, reason: string, value?: string) =>
  new AppError('VALIDATION', `${field}: ${reason}`, [{ field, reason, ...(value ? { value } : {}) }]);

/** Something already ended cannot be ended again: 409, naming what it is now. */
export const alreadyClosed = (what: string, state: string) =>
  new AppError('CONFLICT', `${what} is already ${state}: nothing was changed`, [
    { field: 'status', value: state, reason: `already ${state}` },
  ]);

/** The reason a human gives for acting on a case: required, cleaned, bounded. */
export function requiredReason(value: string | null | undefined, field = 'reason'): string {
  const r = cleanComment(value);
  if (r === null) throw caseFieldError(field, 'give a reason');
  if (r.length > MAX_CASE_REASON) throw caseFieldError(field, `at most ${MAX_CASE_REASON} characters`);
  return r;
}

export function optionalComment(value: string | null | undefined, field = 'comment'): string | null {
  const c = cleanComment(value);
  if (c !== null && c.length > MAX_CASE_COMMENT)
    throw caseFieldError(field, `at most ${MAX_CASE_COMMENT} characters`, String(c.length));
  return c;
}

/** "Today" in the organisation's time zone: pauses and due dates are business dates. */
export async function caseToday(trx: Kysely<Database>, orgId: string, now: Date): Promise<IsoDate> {
  const org = await getOrganisation(trx, orgId);
  if (!org) throw notFound('Organisation', orgId);
  return zonedParts(now, org.time_zone).date;
}

/**
 * Complete the collector's open tasks a case action answers (the dispute task once the
 * dispute is resolved, the broken-promise task once the promise is settled). A task names
 * what it is about in its detail (`disputeId`, `promiseId`); older tasks without it match
 * on the invoice.
 */
export async function completeTasksFor(
  trx: Kysely<Database>,
  orgId: string,
  match: {
    customerId: string;
    kind: 'dispute' | 'broken_promise';
    detailKey: 'disputeId' | 'promiseId';
    id: string;
    invoiceId?: string | null;
  },
  outcome: string,
  now: Date,
): Promise<string[]> {
  const r = await sql<{ id: string }>`
    update tasks set status = 'done', done_at = ${now}, outcome = ${outcome}
    where org_id = ${orgId} and customer_id = ${match.customerId} and kind = ${match.kind}
      and status = 'open'
      and (detail->>${match.detailKey} = ${match.id}
        ${match.invoiceId ? sql`or (detail->>${match.detailKey} is null and invoice_id = ${match.invoiceId})` : sql``})
    returning id
  `.execute(trx);
  return r.rows.map((x) => x.id).sort();
}
