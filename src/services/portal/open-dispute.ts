import type { Kysely } from 'kysely';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database, DisputeReasonCode } from '../../db/schema/index.js';
import { zonedParts } from '../../domain/calendar/index.js';
import { cleanComment, MAX_DISPUTE_COMMENT } from '../../domain/portal/index.js';
import { AppError } from '../../errors.js';
import { recordDispute } from '../disputes/record-dispute.js';
import { type PortalAccess, portalLinkInvalid } from './portal-access.js';

export interface OpenDisputeInput {
  invoiceId: string;
  reasonCode: DisputeReasonCode;
  comment?: string | null;
}

export interface OpenDisputeResult {
  disputeId: string;
  invoiceId: string;
  invoiceNumber: string;
  status: 'open';
  /** False when the invoice already had an open dispute: the same one is returned. */
  created: boolean;
  taskId: string | null;
}

/**
 * The debtor disputes one of their invoices. The invoice is flagged disputed (so balances
 * give it status 'disputed' and the dunning planner excludes it), the collector gets a task,
 * and the customer's evidence file records the reason. Disputing twice returns the open
 * dispute instead of opening a second one.
 */
export async function openDispute(
  trx: Kysely<Database>,
  access: PortalAccess,
  input: OpenDisputeInput,
  now: Date,
): Promise<OpenDisputeResult> {
  const { orgId, customerId } = access;
  const comment = cleanComment(input.comment);
  if (comment !== null && comment.length > MAX_DISPUTE_COMMENT) {
    throw new AppError('VALIDATION', `A comment holds at most ${MAX_DISPUTE_COMMENT} characters`, [
      {
        field: 'comment',
        value: String(comment.length),
        reason: `at most ${MAX_DISPUTE_COMMENT} characters`,
      },
    ]);
  }
  const invoice = await trx
    .selectFrom('invoices')
    .select(['id', 'invoice_number', 'balance_minor', 'currency'])
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .where('id', '=', input.invoiceId)
    .forUpdate()
    .executeTakeFirst();
  // Another customer's invoice gets the same answer as a bad link: it reveals nothing.
  if (!invoice) throw portalLinkInvalid();
  if (invoice.balance_minor <= 0) {
    throw new AppError('CONFLICT', `Invoice ${invoice.invoice_number} has nothing left to pay`, [
      {
        field: 'invoiceId',
        value: invoice.invoice_number,
        reason: 'only an invoice with a balance due can be disputed',
      },
    ]);
  }
  const org = await getOrganisation(trx, orgId);
  const today = zonedParts(now, org?.time_zone ?? 'Europe/Paris').date;
  const recorded = await recordDispute(trx, orgId, {
    customerId,
    invoice,
    reasonCode: input.reasonCode,
    comment,
    openedBy: 'portal',
    source: 'portal',
    today,
  });
  if (!recorded.created) {
    return {
      disputeId: recorded.disputeId,
      invoiceId: invoice.id,
      invoiceNumber: invoice.invoice_number,
      status: 'open',
      created: false,
      taskId: null,
    };
  }
  await appendEvidenceEntry(trx, orgId, {
    customerId,
    kind: 'dispute',
    channel: 'portal',
    summary: `invoice ${invoice.invoice_number} disputed by the debtor (${input.reasonCode})`,
    payload: {
      disputeId: recorded.disputeId,
      invoiceId: invoice.id,
      invoiceNumber: invoice.invoice_number,
      reasonCode: input.reasonCode,
      comment,
      balanceMinor: invoice.balance_minor,
      currency: invoice.currency,
      linkId: access.linkId,
      taskId: recorded.taskId,
    },
    contentSha256: null,
    at: now,
  });
  return {
    disputeId: recorded.disputeId,
    invoiceId: invoice.id,
    invoiceNumber: invoice.invoice_number,
    status: 'open',
    created: true,
    taskId: recorded.taskId,
  };
}
