import { type Kysely, sql } from 'kysely';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { CallOutcome, Database, DisputeReasonCode } from '../../db/schema/index.js';
import { addDays, type IsoDate, zonedParts } from '../../domain/calendar/index.js';
import type { EvidenceKind } from '../../domain/dunning/evidence.js';
import { toMajorString } from '../../domain/money/index.js';
import { cleanComment, portalSettingsOf, promiseDateProblem } from '../../domain/portal/index.js';
import { AppError, notFound } from '../../errors.js';
import { recordDispute } from '../disputes/record-dispute.js';
import { type Actor, actorLabel } from './actor.js';

export const MAX_CALL_NOTE = 2000;
/** Days before the collector tries again after no answer, and checks a payment announced as made. */
export const CALL_BACK_DAYS = 2;
export const PAYMENT_CHECK_DAYS = 3;

export interface LogCallInput {
  outcome: CallOutcome;
  note?: string | null | undefined;
  promiseDate?: string | undefined;
  promiseAmountMinor?: number | undefined;
  invoiceId?: string | undefined;
  disputeReason?: DisputeReasonCode | undefined;
  /** The task this call answers; it is completed with the call's outcome. */
  taskId?: string | undefined;
}

export interface LogCallResult {
  callId: string;
  outcome: CallOutcome;
  promiseId: string | null;
  disputeId: string | null;
  /** A follow-up task made by the call (call back, check the payment, settle the dispute). */
  followUpTaskId: string | null;
  completedTaskId: string | null;
  evidenceSeq: number;
}

const fieldError = (field: string, reason: string, value?: string) =>
  new AppError('VALIDATION', `${field}: ${reason}`, [{ field, reason, ...(value ? { value } : {}) }]);

/**
 * A collector logs a phone call with a customer. What was agreed takes effect at once: a
 * promise to pay pauses dunning of its items until the date plus grace (the planner skips
 * items under an active promise), a dispute flags the invoice so it leaves dunning, no
 * answer schedules a call back, "paid" a check that the money came. The call and its effect
 * are one entry in the customer's evidence file.
 */
export async function logCall(
  trx: Kysely<Database>,
  orgId: string,
  customerId: string,
  input: LogCallInput,
  actor: Actor,
  now: Date,
): Promise<LogCallResult> {
  const note = cleanComment(input.note);
  if (note !== null && note.length > MAX_CALL_NOTE) {
    throw fieldError('note', `at most ${MAX_CALL_NOTE} characters`, String(note.length));
  }
  const customer = await trx
    .selectFrom('customers')
    .select(['id', 'name'])
    .where('org_id', '=', orgId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!customer) throw notFound('Customer', customerId);
  const org = await getOrganisation(trx, orgId);
  if (!org) throw notFound('Organisation', orgId);
  const today = zonedParts(now, org.time_zone).date;
  const by = actorLabel(actor);

  let invoice: { id: string; invoice_number: string; balance_minor: number; currency: string } | undefined;
  if (input.invoiceId) {
    invoice = await trx
      .selectFrom('invoices')
      .select(['id', 'invoice_number', 'balance_minor', 'currency'])
      .where('org_id', '=', orgId)
      .where('customer_id', '=', customerId)
      .where('id', '=', input.invoiceId)
      .forUpdate()
      .executeTakeFirst();
    if (!invoice) throw fieldError('invoiceId', "not one of this customer's invoices", input.invoiceId);
  }
  let task: { id: string; title: string } | undefined;
  if (input.taskId) {
    task = await trx
      .selectFrom('tasks')
      .select(['id', 'title'])
      .where('org_id', '=', orgId)
      .where('customer_id', '=', customerId)
      .where('id', '=', input.taskId)
      .where('status', '=', 'open')
      .forUpdate()
      .executeTakeFirst();
    if (!task) throw fieldError('taskId', 'not an open task of this customer', input.taskId);
  }

  let promiseId: string | null = null;
  let disputeId: string | null = null;
  let followUpTaskId: string | null = null;
  let kind: EvidenceKind = 'note';
  let summary = `call logged: ${input.outcome.replace('_', ' ')}`;
  const effect: Record<string, unknown> = {};

  if (input.outcome === 'promise') {
    const p = await recordPromise(trx, orgId, customerId, input, invoice, today, org.settings, by, now);
    promiseId = p.id;
    kind = 'promise_to_pay';
    summary = `call: promise to pay ${toMajorString({ amount: p.amountMinor, currency: p.currency })} ${p.currency} by ${p.promisedDate} (${p.numbers.join(', ')})`;
    Object.assign(effect, {
      promiseId: p.id,
      invoiceIds: p.invoiceIds,
      invoiceNumbers: p.numbers,
      amountMinor: p.amountMinor,
      currency: p.currency,
      promisedDate: p.promisedDate,
      graceDays: p.graceDays,
      resumesOn: addDays(p.promisedDate, p.graceDays + 1),
      superseded: p.superseded,
    });
  } else if (input.outcome === 'dispute') {
    if (!invoice) throw fieldError('invoiceId', 'a dispute is about one invoice: choose it');
    if (!input.disputeReason) throw fieldError('disputeReason', 'give the reason of the dispute');
    if (invoice.balance_minor <= 0) {
      throw fieldError('invoiceId', `invoice ${invoice.invoice_number} has nothing left to pay`, invoice.id);
    }
    const d = await recordDispute(trx, orgId, {
      customerId,
      invoice,
      reasonCode: input.disputeReason,
      comment: note,
      openedBy: by,
      source: 'call',
      today,
      assignee: actor.userId ?? null,
    });
    disputeId = d.disputeId;
    followUpTaskId = d.taskId;
    kind = 'dispute';
    summary = `call: invoice ${invoice.invoice_number} disputed (${input.disputeReason})`;
    Object.assign(effect, {
      disputeId,
      invoiceId: invoice.id,
      invoiceNumber: invoice.invoice_number,
      reasonCode: input.disputeReason,
      balanceMinor: invoice.balance_minor,
      currency: invoice.currency,
      alreadyOpen: !d.created,
    });
  } else if (input.outcome === 'no_answer' || input.outcome === 'paid') {
    const callBack = input.outcome === 'no_answer';
    const due = addDays(today, callBack ? CALL_BACK_DAYS : PAYMENT_CHECK_DAYS);
    const t = await trx
      .insertInto('tasks')
      .values({
        org_id: orgId,
        customer_id: customerId,
        invoice_id: invoice?.id ?? null,
        kind: callBack ? 'call' : 'follow_up',
        title: callBack
          ? `Call ${customer.name} back (no answer on ${today})`
          : `Check that the payment announced on ${today} by ${customer.name} arrived`,
        detail: JSON.stringify({ source: 'call', outcome: input.outcome }),
        due_date: due,
        assignee: actor.userId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    followUpTaskId = t.id;
    Object.assign(effect, { followUpTaskId: t.id, followUpDue: due });
  }

  const call = await trx
    .insertInto('call_logs')
    .values({
      org_id: orgId,
      customer_id: customerId,
      invoice_id: invoice?.id ?? null,
      task_id: task?.id ?? null,
      outcome: input.outcome,
      note,
      promise_id: promiseId,
      dispute_id: disputeId,
      logged_by: by,
      logged_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (task) {
    await trx
      .updateTable('tasks')
      .set({ status: 'done', done_at: now, outcome: `call: ${input.outcome}${note ? ` — ${note}` : ''}` })
      .where('org_id', '=', orgId)
      .where('id', '=', task.id)
      .execute();
  }
  const entry = await appendEvidenceEntry(trx, orgId, {
    customerId,
    kind,
    channel: 'phone',
    summary: note ? `${summary} — ${note}` : summary,
    payload: {
      callId: call.id,
      outcome: input.outcome,
      note,
      invoiceId: invoice?.id ?? null,
      invoiceNumber: invoice?.invoice_number ?? null,
      completedTaskId: task?.id ?? null,
      by,
      ...effect,
    },
    contentSha256: null,
    at: now,
  });
  return {
    callId: call.id,
    outcome: input.outcome,
    promiseId,
    disputeId,
    followUpTaskId,
    completedTaskId: task?.id ?? null,
    evidenceSeq: entry.seq,
  };
}

async function recordPromise(
  trx: Kysely<Database>,
  orgId: string,
  customerId: string,
  input: LogCallInput,
  invoice: { id: string } | undefined,
  today: IsoDate,
  orgSettings: Record<string, unknown>,
  by: string,
  now: Date,
) {
  if (!input.promiseDate)
    throw fieldError('promiseDate', 'a promise needs the date the customer will pay by');
  const settings = portalSettingsOf(orgSettings);
  const problem = promiseDateProblem(input.promiseDate, today, settings);
  if (problem) throw fieldError('promiseDate', problem.reason, input.promiseDate);
  let q = trx
    .selectFrom('invoices')
    .select(['id', 'invoice_number', 'balance_minor', 'currency'])
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .where('balance_minor', '>', 0)
    .where('disputed', '=', false);
  if (invoice) q = q.where('id', '=', invoice.id);
  const items = await q.orderBy('due_date').orderBy('invoice_number').execute();
  if (items.length === 0) {
    throw fieldError(
      invoice ? 'invoiceId' : 'outcome',
      'nothing is due (or it is disputed): there is nothing to promise',
    );
  }
  const currencies = [...new Set(items.map((i) => i.currency))];
  if (currencies.length > 1) {
    throw fieldError('invoiceId', `open items are in ${currencies.join(' and ')}: choose one invoice`);
  }
  const owed = items.reduce((s, i) => s + i.balance_minor, 0);
  const amount = input.promiseAmountMinor ?? owed;
  if (amount > owed) {
    throw fieldError('promiseAmountMinor', `at most what is due (${owed} minor units)`, String(amount));
  }
  const ids = items.map((i) => i.id);
  // A newer promise on the same items replaces the older one (empty invoice_ids = everything).
  const superseded = await sql<{ id: string }>`
    update promises_to_pay set status = 'cancelled', resolved_at = ${now}
    where org_id = ${orgId} and customer_id = ${customerId} and status = 'active'
      and (cardinality(invoice_ids) = 0 or invoice_ids && ${ids}::uuid[])
    returning id
  `.execute(trx);
  const row = await trx
    .insertInto('promises_to_pay')
    .values({
      org_id: orgId,
      customer_id: customerId,
      invoice_ids: ids,
      amount_minor: amount,
      currency: currencies[0] as string,
      promised_date: input.promiseDate,
      grace_days: settings.promiseGraceDays,
      created_by: by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    invoiceIds: ids,
    numbers: items.map((i) => i.invoice_number),
    amountMinor: amount,
    currency: currencies[0] as string,
    promisedDate: input.promiseDate,
    graceDays: settings.promiseGraceDays,
    superseded: superseded.rows.map((r) => r.id),
  };
}
