import type { Kysely } from 'kysely';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import type { Database } from '../../db/schema/index.js';
import { compareDates } from '../../domain/calendar/index.js';
import { cleanComment } from '../../domain/portal/index.js';
import { notFound } from '../../errors.js';
import { type Actor, actorLabel } from '../worklist/actor.js';
import { alreadyClosed, caseFieldError, caseToday, MAX_CASE_REASON } from './case-context.js';

export interface EndPauseResult {
  pauseId: string;
  customerId: string;
  invoiceId: string | null;
  evidenceSeq: number;
}

/**
 * End a pause before its date, whether it holds the whole account or one invoice. The pause
 * is kept (cancelled_at, who, why) because the evidence file and the customer file tell what
 * happened; the planner only reads pauses that are not cancelled, so the items are plannable
 * again in the same day's run. A pause already ended or past its date answers 409.
 */
export async function endPause(
  trx: Kysely<Database>,
  orgId: string,
  pauseId: string,
  input: { reason?: string | null | undefined },
  actor: Actor,
  now: Date,
): Promise<EndPauseResult> {
  const reason = cleanComment(input.reason);
  if (reason !== null && reason.length > MAX_CASE_REASON)
    throw caseFieldError('reason', `at most ${MAX_CASE_REASON} characters`);
  const pause = await trx
    .selectFrom('dunning_pauses as p')
    .leftJoin('invoices as i', (j) => j.onRef('i.org_id', '=', 'p.org_id').onRef('i.id', '=', 'p.invoice_id'))
    .select([
      'p.id',
      'p.customer_id',
      'p.invoice_id',
      'p.until',
      'p.reason',
      'p.cancelled_at',
      'i.invoice_number',
    ])
    .where('p.org_id', '=', orgId)
    .where('p.id', '=', pauseId)
    .forUpdate('p')
    .executeTakeFirst();
  if (!pause) throw notFound('Pause', pauseId);
  if (pause.cancelled_at !== null) throw alreadyClosed('The pause', 'ended');
  const today = await caseToday(trx, orgId, now);
  if (compareDates(pause.until, today) < 0) throw alreadyClosed('The pause', `over (until ${pause.until})`);
  const by = actorLabel(actor);
  await trx
    .updateTable('dunning_pauses')
    .set({ cancelled_at: now, cancelled_by: by, cancel_reason: reason })
    .where('org_id', '=', orgId)
    .where('id', '=', pause.id)
    .execute();
  const what = pause.invoice_number ? `invoice ${pause.invoice_number}` : 'account';
  const entry = await appendEvidenceEntry(trx, orgId, {
    customerId: pause.customer_id,
    kind: 'pause',
    channel: null,
    summary: `pause of the ${what} (until ${pause.until}) ended early${reason ? `: ${reason}` : ''}`,
    payload: {
      pauseId: pause.id,
      invoiceId: pause.invoice_id,
      invoiceNumber: pause.invoice_number,
      until: pause.until,
      pauseReason: pause.reason,
      endedOn: today,
      reason,
      by,
    },
    contentSha256: null,
    at: now,
  });
  return {
    pauseId: pause.id,
    customerId: pause.customer_id,
    invoiceId: pause.invoice_id,
    evidenceSeq: entry.seq,
  };
}
