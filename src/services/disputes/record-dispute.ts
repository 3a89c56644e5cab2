import type { Kysely } from 'kysely';
import { refreshBalances } from '../../db/queries/balances.js';
import type { Database, DisputeReasonCode } from '../../db/schema/index.js';
import type { IsoDate } from '../../domain/calendar/index.js';

export interface RecordDisputeInput {
  customerId: string;
  invoice: { id: string; invoice_number: string };
  reasonCode: DisputeReasonCode;
  comment: string | null;
  /** Who opened it, as stored on the dispute ('portal', a user label…). */
  openedBy: string;
  /** Where it came from, kept on the collector's task. */
  source: 'portal' | 'call';
  today: IsoDate;
  assignee?: string | null;
}

/**
 * Open a dispute on an invoice, whoever raises it (the debtor in the portal, a collector on a
 * call): the dispute row, the invoice flagged so dunning leaves it alone, balances refreshed,
 * and a task for the collector. An invoice with an open dispute keeps it: nothing is created.
 * The caller records the evidence entry, which names its own channel.
 */
export async function recordDispute(
  trx: Kysely<Database>,
  orgId: string,
  input: RecordDisputeInput,
): Promise<{ disputeId: string; taskId: string | null; created: boolean }> {
  const { invoice } = input;
  const existing = await trx
    .selectFrom('disputes')
    .select('id')
    .where('org_id', '=', orgId)
    .where('invoice_id', '=', invoice.id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (existing) return { disputeId: existing.id, taskId: null, created: false };
  const dispute = await trx
    .insertInto('disputes')
    .values({
      org_id: orgId,
      invoice_id: invoice.id,
      customer_id: input.customerId,
      reason_code: input.reasonCode,
      comment: input.comment,
      opened_by: input.openedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('invoices')
    .set({ disputed: true })
    .where('org_id', '=', orgId)
    .where('id', '=', invoice.id)
    .execute();
  await refreshBalances(trx, orgId, { invoiceIds: [invoice.id] });
  const task = await trx
    .insertInto('tasks')
    .values({
      org_id: orgId,
      customer_id: input.customerId,
      invoice_id: invoice.id,
      kind: 'dispute',
      title: `Dispute on invoice ${invoice.invoice_number}: ${input.reasonCode.replaceAll('_', ' ')}`,
      detail: JSON.stringify({ disputeId: dispute.id, reasonCode: input.reasonCode, source: input.source }),
      due_date: input.today,
      assignee: input.assignee ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { disputeId: dispute.id, taskId: task.id, created: true };
}
