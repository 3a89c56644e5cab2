import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { refreshBalances } from '../../db/queries/balances.js';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import type { Database } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';
import { refreshPlanProgress } from '../payment-plans/track-payment-plans.js';
import { type Actor, actorLabel } from '../worklist/actor.js';

export const MAX_REVERSAL_REASON = 500;

export interface ReversedPayment {
  paymentId: string;
  customerId: string;
  paymentReference: string;
  amount: number;
  currency: string;
  /** The allocations undone: these invoices owe their amounts again. */
  allocations: { invoiceId: string; invoiceNumber: string; amount: number }[];
  evidenceSeq: number;
}

/**
 * Reverse a payment recorded by mistake (a wrong amount, a bounced cheque, a duplicate):
 * its allocations are undone, the invoices owe again, a bank line it matched goes back to
 * the unmatched queue, and the payment row is removed so no total counts it. What was
 * removed, why and by whom is kept twice: in the ledger history (action 'deleted', with the
 * whole row) and in the customer's hash-chained evidence file. A reason is required.
 */
export async function reversePayment(
  db: Kysely<Database>,
  orgId: string,
  paymentId: string,
  input: { reason: string },
  actor: Actor,
  now: Date,
): Promise<ReversedPayment> {
  const reason = input.reason.trim();
  if (reason === '' || reason.length > MAX_REVERSAL_REASON) {
    throw new AppError('VALIDATION', `reason: required, at most ${MAX_REVERSAL_REASON} characters`, [
      { field: 'reason', reason: `required, 1 to ${MAX_REVERSAL_REASON} characters` },
    ]);
  }
  return withOrg(db, orgId, async (trx) => {
    const p = await trx
      .selectFrom('payments')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', paymentId)
      .forUpdate()
      .executeTakeFirst();
    if (!p) throw notFound('Payment', paymentId);
    const allocations = await trx
      .selectFrom('allocations as a')
      .innerJoin('invoices as i', (j) =>
        j.onRef('i.org_id', '=', 'a.org_id').onRef('i.id', '=', 'a.invoice_id'),
      )
      .select(['a.invoice_id', 'i.invoice_number', 'a.amount_minor'])
      .where('a.org_id', '=', orgId)
      .where('a.payment_id', '=', p.id)
      .orderBy('i.invoice_number')
      .execute();
    const undone = allocations.map((a) => ({
      invoiceId: a.invoice_id,
      invoiceNumber: a.invoice_number,
      amount: Number(a.amount_minor),
    }));
    const by = actorLabel(actor);
    await trx
      .updateTable('bank_statement_lines')
      .set({ status: 'unmatched', payment_id: null, match_reason: `payment reversed: ${reason}` })
      .where('org_id', '=', orgId)
      .where('payment_id', '=', p.id)
      .execute();
    await trx
      .updateTable('payment_provider_events')
      .set({ payment_id: null })
      .where('org_id', '=', orgId)
      .where('payment_id', '=', p.id)
      .execute();
    // Allocations go with the payment (ON DELETE CASCADE).
    await trx.deleteFrom('payments').where('org_id', '=', orgId).where('id', '=', p.id).execute();
    await refreshBalances(trx, orgId, { customerIds: [p.customer_id] });
    await refreshPlanProgress(trx, orgId, [p.customer_id], null, now);
    const snapshot = {
      paymentReference: p.payment_reference,
      receivedOn: p.received_on,
      amountMinor: Number(p.amount_minor),
      currency: p.currency.trim(),
      method: p.method,
      bankReference: p.bank_reference,
      allocations: undone,
    };
    await trx
      .insertInto('ledger_history')
      .values({
        org_id: orgId,
        entity: 'payment',
        entity_id: p.id,
        action: 'deleted',
        changes: JSON.stringify({ reversed: true, reason, ...snapshot }),
        import_batch_id: null,
        actor: by,
      })
      .execute();
    const entry = await appendEvidenceEntry(trx, orgId, {
      customerId: p.customer_id,
      kind: 'payment',
      channel: null,
      summary: `payment ${p.payment_reference} reversed: ${reason}`,
      payload: { paymentId: p.id, reversed: true, reason, by, ...snapshot },
      contentSha256: null,
      at: now,
    });
    return {
      paymentId: p.id,
      customerId: p.customer_id,
      paymentReference: p.payment_reference,
      amount: Number(p.amount_minor),
      currency: p.currency.trim(),
      allocations: undone,
      evidenceSeq: entry.seq,
    };
  });
}
