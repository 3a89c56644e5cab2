import type { Kysely } from 'kysely';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import type { Database } from '../../db/schema/index.js';
import { addDays } from '../../domain/calendar/index.js';
import { notFound } from '../../errors.js';
import { type Actor, actorLabel } from '../worklist/actor.js';
import { alreadyClosed, caseToday, completeTasksFor, requiredReason } from './case-context.js';

export type PromiseClosing = 'cancelled' | 'kept' | 'broken';

export interface ClosePromiseResult {
  promiseId: string;
  customerId: string;
  status: PromiseClosing;
  completedTaskIds: string[];
  followUpTaskId: string | null;
  evidenceSeq: number;
}

/**
 * Close an active promise to pay by hand, before the daily check
 * (checkBrokenPromises in services/portal/promise-to-pay.ts) would: cancelled (agreed
 * otherwise, entered by mistake), kept (the collector saw the money), or broken (the debtor
 * said they will not pay). Any of them lifts the pause the promise held, at once. Broken
 * gives the collector the same task the daily check creates; kept or cancelled completes a
 * broken-promise task still open for it.
 */
export async function closePromise(
  trx: Kysely<Database>,
  orgId: string,
  promiseId: string,
  input: { status: PromiseClosing; reason: string },
  actor: Actor,
  now: Date,
): Promise<ClosePromiseResult> {
  const reason = requiredReason(input.reason);
  const promise = await trx
    .selectFrom('promises_to_pay')
    .select(['id', 'customer_id', 'status', 'promised_date', 'amount_minor', 'currency', 'invoice_ids'])
    .where('org_id', '=', orgId)
    .where('id', '=', promiseId)
    .forUpdate()
    .executeTakeFirst();
  if (!promise) throw notFound('Promise to pay', promiseId);
  if (promise.status !== 'active') throw alreadyClosed('The promise to pay', promise.status);
  const today = await caseToday(trx, orgId, now);
  const by = actorLabel(actor);
  await trx
    .updateTable('promises_to_pay')
    .set({ status: input.status, resolved_at: now, resolved_by: by, resolution: reason })
    .where('org_id', '=', orgId)
    .where('id', '=', promise.id)
    .execute();
  let completedTaskIds: string[] = [];
  let followUpTaskId: string | null = null;
  if (input.status === 'broken') {
    const t = await trx
      .insertInto('tasks')
      .values({
        org_id: orgId,
        customer_id: promise.customer_id,
        kind: 'broken_promise',
        title: `Promise to pay of ${promise.promised_date} not kept`,
        detail: JSON.stringify({ promiseId: promise.id, source: 'manual', reason }),
        due_date: addDays(today, 1),
        assignee: actor.userId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    followUpTaskId = t.id;
  } else {
    completedTaskIds = await completeTasksFor(
      trx,
      orgId,
      { customerId: promise.customer_id, kind: 'broken_promise', detailKey: 'promiseId', id: promise.id },
      `promise ${input.status}: ${reason}`,
      now,
    );
  }
  const verb = { cancelled: 'cancelled', kept: 'marked kept', broken: 'marked broken' }[input.status];
  const entry = await appendEvidenceEntry(trx, orgId, {
    customerId: promise.customer_id,
    kind: 'promise_to_pay',
    channel: null,
    summary: `promise to pay of ${promise.promised_date} ${verb}: ${reason}`,
    payload: {
      promiseId: promise.id,
      status: input.status,
      promisedDate: promise.promised_date,
      amountMinor: Number(promise.amount_minor),
      currency: promise.currency.trim(),
      invoiceIds: promise.invoice_ids,
      reason,
      manual: true,
      completedTaskIds,
      followUpTaskId,
      by,
    },
    contentSha256: null,
    at: now,
  });
  return {
    promiseId: promise.id,
    customerId: promise.customer_id,
    status: input.status,
    completedTaskIds,
    followUpTaskId,
    evidenceSeq: entry.seq,
  };
}
