import { type Kysely, sql } from 'kysely';
import { refreshBalances } from '../../db/queries/balances.js';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import type { Database } from '../../db/schema/index.js';
import { toMajorString } from '../../domain/money/index.js';
import { notFound } from '../../errors.js';
import { type IssuedCreditNote, issueCreditNote } from '../invoices/issue-credit-note.js';
import { type Actor, actorLabel } from '../worklist/actor.js';
import {
  alreadyClosed,
  caseFieldError,
  caseToday,
  completeTasksFor,
  optionalComment,
  requiredReason,
} from './case-context.js';

export type DisputeOutcome = 'upheld' | 'rejected';

export interface ResolveDisputeInput {
  outcome: DisputeOutcome;
  reason: string;
  comment?: string | null | undefined;
  /** Upheld only: a credit note of this amount is issued against the invoice. */
  creditNoteAmountMinor?: number | undefined;
}

export interface ResolveDisputeResult {
  disputeId: string;
  invoiceId: string;
  invoiceNumber: string;
  /** As stored and shown on the debtor's portal: upheld is 'resolved'. */
  status: 'resolved' | 'rejected';
  creditNote: IssuedCreditNote | null;
  /** The invoice's balance after the resolution (0 once fully credited). */
  balanceMinor: number;
  currency: string;
  completedTaskIds: string[];
  evidenceSeq: number;
}

/**
 * The collector settles a dispute. Upheld: the debtor was right, optionally corrected by a
 * credit note for at most the balance; rejected: the claim stands. Either way the invoice's
 * disputed flag is cleared the way recordDispute set it (flag + balances refreshed), so what
 * is still due goes back into dunning at once, at the step its age calls for (the planner's
 * catch-up, src/domain/dunning/catch-up.ts) — a full credit note leaves nothing to chase.
 * The dispute task is completed and the evidence file names who decided and why.
 */
export async function resolveDispute(
  trx: Kysely<Database>,
  orgId: string,
  disputeId: string,
  input: ResolveDisputeInput,
  actor: Actor,
  now: Date,
): Promise<ResolveDisputeResult> {
  const reason = requiredReason(input.reason);
  const comment = optionalComment(input.comment);
  if (input.outcome === 'rejected' && input.creditNoteAmountMinor !== undefined)
    throw caseFieldError('creditNoteAmountMinor', 'only an upheld dispute is settled by a credit note');
  const dispute = await trx
    .selectFrom('disputes')
    .select(['id', 'invoice_id', 'customer_id', 'status', 'reason_code'])
    .where('org_id', '=', orgId)
    .where('id', '=', disputeId)
    .forUpdate()
    .executeTakeFirst();
  if (!dispute) throw notFound('Dispute', disputeId);
  if (dispute.status !== 'open') throw alreadyClosed('The dispute', dispute.status);
  const invoice = await trx
    .selectFrom('invoices')
    .select(['id', 'invoice_number', 'currency', 'balance_minor'])
    .where('org_id', '=', orgId)
    .where('id', '=', dispute.invoice_id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const today = await caseToday(trx, orgId, now);
  const by = actorLabel(actor);
  const status = input.outcome === 'upheld' ? 'resolved' : 'rejected';

  let creditNote: IssuedCreditNote | null = null;
  if (input.outcome === 'upheld' && input.creditNoteAmountMinor !== undefined) {
    creditNote = await issueCreditNote(trx, orgId, {
      customerId: dispute.customer_id,
      invoice,
      amountMinor: input.creditNoteAmountMinor,
      reason: `Dispute upheld (${dispute.reason_code}): ${reason}`,
      issueDate: today,
    });
  }
  await trx
    .updateTable('disputes')
    .set({
      status,
      resolved_at: now,
      resolved_by: by,
      resolution: reason,
      resolution_comment: comment,
      credit_note_id: creditNote?.id ?? null,
    })
    .where('org_id', '=', orgId)
    .where('id', '=', dispute.id)
    .execute();
  // Only one dispute is open per invoice (recordDispute and the bulk action keep it so), so
  // closing it clears the flag that takes the invoice out of dunning.
  await trx
    .updateTable('invoices')
    .set({ disputed: false, updated_at: sql`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', invoice.id)
    .execute();
  await refreshBalances(trx, orgId, { invoiceIds: [invoice.id] });
  const after = await trx
    .selectFrom('invoices')
    .select('balance_minor')
    .where('org_id', '=', orgId)
    .where('id', '=', invoice.id)
    .executeTakeFirstOrThrow();

  const completedTaskIds = await completeTasksFor(
    trx,
    orgId,
    {
      customerId: dispute.customer_id,
      kind: 'dispute',
      detailKey: 'disputeId',
      id: dispute.id,
      invoiceId: invoice.id,
    },
    `dispute ${input.outcome}: ${reason}`,
    now,
  );
  const credited = creditNote
    ? ` — credit note ${creditNote.creditNoteNumber} of ${toMajorString({ amount: creditNote.amountMinor, currency: creditNote.currency })} ${creditNote.currency}`
    : '';
  const entry = await appendEvidenceEntry(trx, orgId, {
    customerId: dispute.customer_id,
    kind: 'dispute',
    channel: null,
    summary: `dispute on invoice ${invoice.invoice_number} ${input.outcome}: ${reason}${credited}`,
    payload: {
      disputeId: dispute.id,
      invoiceId: invoice.id,
      invoiceNumber: invoice.invoice_number,
      outcome: input.outcome,
      status,
      reason,
      comment,
      creditNoteId: creditNote?.id ?? null,
      creditNoteNumber: creditNote?.creditNoteNumber ?? null,
      creditNoteAmountMinor: creditNote?.amountMinor ?? null,
      balanceMinor: Number(after.balance_minor),
      currency: invoice.currency.trim(),
      completedTaskIds,
      by,
    },
    contentSha256: null,
    at: now,
  });
  return {
    disputeId: dispute.id,
    invoiceId: invoice.id,
    invoiceNumber: invoice.invoice_number,
    status,
    creditNote,
    balanceMinor: Number(after.balance_minor),
    currency: invoice.currency.trim(),
    completedTaskIds,
    evidenceSeq: entry.seq,
  };
}
