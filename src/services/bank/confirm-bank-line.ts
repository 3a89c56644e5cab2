import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';
import { recordPayment } from '../payments/record-payment.js';

export interface ConfirmBankLineInput {
  /** Default: the customer the matcher suggested. */
  customerId?: string;
  /** Default: the matcher's suggested allocations, else the customer's oldest open invoices. */
  allocations?: { invoiceId: string; amountMinor: number }[];
}

/**
 * A person settles a line the matcher left for review: the credit is recorded as a transfer
 * from the customer (the suggestion unless told otherwise), and the line is marked matched,
 * so its payer IBAN identifies the customer in the next imports.
 */
export async function confirmBankLine(
  db: Kysely<Database>,
  orgId: string,
  lineId: string,
  input: ConfirmBankLineInput,
  actor: string,
): Promise<{ paymentId: string; customerId: string; allocatedMinor: number }> {
  return withOrg(db, orgId, async (trx) => {
    const line = await trx
      .selectFrom('bank_statement_lines')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', lineId)
      .forUpdate()
      .executeTakeFirst();
    if (!line) throw notFound('Bank statement line', lineId);
    if (line.status !== 'unmatched' || Number(line.amount_minor) <= 0)
      throw new AppError(
        'CONFLICT',
        `The line is ${line.status}: only an unmatched credit can be confirmed`,
        [{ field: 'id', value: lineId, reason: `status is ${line.status}` }],
      );
    const suggestion = (line.suggestion ?? null) as {
      customerId?: string | null;
      allocations?: { invoiceId: string; amountMinor: number }[];
    } | null;
    const customerId = input.customerId ?? suggestion?.customerId ?? undefined;
    if (!customerId)
      throw new AppError('VALIDATION', 'Say which customer paid: the matcher had no suggestion', [
        { field: 'customerId', reason: 'required for this line' },
      ]);
    const allocations =
      input.allocations ?? (customerId === suggestion?.customerId ? suggestion?.allocations : undefined);
    const p = await recordPayment(trx, orgId, {
      customerId,
      paymentReference: `bank:${line.line_key.slice(0, 40)}`,
      receivedOn: line.booking_date,
      amount: Number(line.amount_minor),
      currency: line.currency.trim(),
      method: 'transfer',
      ...(line.remittance ? { bankReference: line.remittance.slice(0, 500) } : {}),
      ...(allocations && allocations.length > 0
        ? { allocations: allocations.map((a) => ({ invoiceId: a.invoiceId, amount: a.amountMinor })) }
        : { allocation: 'auto' as const }),
      actor,
    });
    await trx
      .updateTable('bank_statement_lines')
      .set({
        status: 'matched',
        customer_id: customerId,
        payment_id: p.paymentId,
        match_reason: [line.match_reason, `confirmed by ${actor}`].filter(Boolean).join(','),
        decided_by: actor,
        decided_at: new Date(),
        // The decision joins the evidence; the payer's IBAN is learned from the matched line.
        explanation: JSON.stringify({
          ...((line.explanation ?? {}) as Record<string, unknown>),
          decision: {
            kind: allocations && allocations.length > 1 ? 'split' : 'confirm',
            by: actor,
            customerId,
            allocations: allocations ?? null,
            paymentId: p.paymentId,
          },
        }),
      })
      .where('org_id', '=', orgId)
      .where('id', '=', lineId)
      .execute();
    return { paymentId: p.paymentId, customerId, allocatedMinor: p.amount - p.unallocated };
  });
}
