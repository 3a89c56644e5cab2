import type { Kysely } from 'kysely';
import type { Database, DisputeReasonCode } from '../../db/schema/index.js';
import type { IsoDate } from '../../domain/calendar/index.js';
import { openDisputes } from './open-disputes.js';

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
 * call): openDisputes for one invoice — the dispute row, the invoice flagged so dunning
 * leaves it alone, balances refreshed, and a task for the collector. An invoice with an open dispute keeps it: nothing is created.
 * The caller records the evidence entry, which names its own channel.
 */
export async function recordDispute(
  trx: Kysely<Database>,
  orgId: string,
  input: RecordDisputeInput,
): Promise<{ disputeId: string; taskId: string | null; created: boolean }> {
  const { invoice } = input;
  const [opened] = await openDisputes(
    trx,
    orgId,
    [{ invoiceId: invoice.id, reasonCode: input.reasonCode, comment: input.comment }],
    {
      openedBy: input.openedBy,
      source: input.source,
      today: input.today,
      ...(input.assignee !== undefined ? { assignee: input.assignee } : {}),
    },
  );
  if (opened) return { disputeId: opened.dispute_id, taskId: opened.task_id, created: true };
  const existing = await trx
    .selectFrom('disputes')
    .select('id')
    .where('org_id', '=', orgId)
    .where('invoice_id', '=', invoice.id)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return { disputeId: existing.id, taskId: null, created: false };
}
