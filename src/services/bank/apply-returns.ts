import { type Kysely, sql } from 'kysely';
import { refreshBalances } from '../../db/queries/balances.js';
import type { Database } from '../../db/schema/index.js';
import type { BankLine } from '../../domain/matching/index.js';
import { refreshPlanProgress } from '../payment-plans/track-payment-plans.js';

/** Words banks put on returned and rejected transfers and direct debits (SEPA R-transactions). */
const RETURN_WORDS =
  /\b(RETOUR|REJET|REJETE|IMPAYE|IMPAYES|RTRN|RETURN|RETURNED|REVERSAL|STORNO|RUECKLASTSCHRIFT|UNPAID)\b/i;

/** A debit that gives back money received: a return, a reject or a reversal. */
export function isReturn(line: BankLine): boolean {
  if (line.creditDebit !== 'DBIT') return false;
  if (line.reversal) return true;
  const text = `${line.remittanceText ?? ''} ${line.debtorName ?? ''}`
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
  return RETURN_WORDS.test(text);
}

export interface AppliedReturn {
  line: BankLine;
  returnLineId: string;
  originalLineId: string;
  paymentId: string;
  customerId: string;
  feeMinor: number;
  invoiceIds: string[];
}

/**
 * R-transactions: a returned direct debit or a reversed transfer undoes the payment recorded
 * for the original credit. The original is the matched credit with the same end-to-end id,
 * else the latest one from the same account for the same amount (or less: the bank may add
 * its fee to the amount it takes back). The payment and its allocations are removed (the
 * history keeps them), the invoices reopen (so the dunning sweep picks them up again), the
 * fee is recorded, and the collector gets a task. Returns that find no payment stay ignored.
 */
export async function applyReturns(
  trx: Kysely<Database>,
  orgId: string,
  lines: readonly { id: string; line: BankLine }[],
  opts: { today: string; actor: string },
): Promise<AppliedReturn[]> {
  if (lines.length === 0) return [];
  const e2e = lines.map((l) => l.line.endToEndId).filter((x): x is string => Boolean(x));
  const ibans = lines
    .map((l) => l.line.debtorIban?.replace(/\s+/g, '').toUpperCase())
    .filter((x): x is string => Boolean(x));
  const candidates = await trx
    .selectFrom('bank_statement_lines')
    .select([
      'id',
      'payment_id',
      'customer_id',
      'amount_minor',
      'currency',
      'end_to_end_id',
      'counterparty_iban',
      'booking_date',
    ])
    .where('org_id', '=', orgId)
    .where('status', '=', 'matched')
    .where('amount_minor', '>', 0)
    .where('payment_id', 'is not', null)
    .where((eb) =>
      eb.or([
        ...(e2e.length > 0 ? [eb('end_to_end_id', 'in', e2e)] : []),
        ...(ibans.length > 0 ? [eb('counterparty_iban', 'in', ibans)] : []),
        eb.val(false),
      ]),
    )
    .orderBy('booking_date', 'desc')
    .execute();
  const used = new Set<string>();
  const applied: AppliedReturn[] = [];
  for (const { id, line } of lines) {
    const amount = line.amount.amount;
    const iban = line.debtorIban?.replace(/\s+/g, '').toUpperCase();
    const fits = (c: (typeof candidates)[number]) =>
      !used.has(c.id) && c.currency.trim() === line.amount.currency && Number(c.amount_minor) <= amount;
    const original =
      (line.endToEndId
        ? candidates.find((c) => fits(c) && c.end_to_end_id === line.endToEndId)
        : undefined) ??
      (iban
        ? candidates.find((c) => fits(c) && c.counterparty_iban === iban && Number(c.amount_minor) === amount)
        : undefined) ??
      (iban ? candidates.find((c) => fits(c) && c.counterparty_iban === iban) : undefined);
    if (!original?.payment_id || !original.customer_id) continue;
    used.add(original.id);
    applied.push({
      line,
      returnLineId: id,
      originalLineId: original.id,
      paymentId: original.payment_id,
      customerId: original.customer_id,
      feeMinor: amount - Number(original.amount_minor),
      invoiceIds: [],
    });
  }
  if (applied.length === 0) return [];
  const paymentIds = applied.map((a) => a.paymentId);
  const allocations = await trx
    .selectFrom('allocations')
    .select(['payment_id', 'invoice_id', 'amount_minor'])
    .where('org_id', '=', orgId)
    .where('payment_id', 'in', paymentIds)
    .execute();
  for (const a of applied)
    a.invoiceIds = allocations.filter((x) => x.payment_id === a.paymentId).map((x) => x.invoice_id);
  await trx
    .insertInto('ledger_history')
    .values(
      applied.map((a) => ({
        org_id: orgId,
        entity: 'payment',
        entity_id: a.paymentId,
        action: 'deleted' as const,
        changes: JSON.stringify({
          reason: 'returned by the bank',
          returnLineId: a.returnLineId,
          allocations: allocations
            .filter((x) => x.payment_id === a.paymentId)
            .map((x) => ({ invoiceId: x.invoice_id, amount: Number(x.amount_minor) })),
        }),
        actor: opts.actor,
      })),
    )
    .execute();
  // Allocations go with their payment (ON DELETE CASCADE).
  await trx.deleteFrom('payments').where('org_id', '=', orgId).where('id', 'in', paymentIds).execute();
  await sql`
    update bank_statement_lines l set status = 'returned'
    where l.org_id = ${orgId} and l.id = any(${applied.map((a) => a.originalLineId)}::uuid[])
  `.execute(trx);
  await sql`
    update bank_statement_lines l set status = 'return', reverses_line_id = s.original, customer_id = s.customer,
      match_reason = coalesce(l.match_reason || ',', '') || 'payment-returned'
    from unnest(${applied.map((a) => a.returnLineId)}::uuid[], ${applied.map((a) => a.originalLineId)}::uuid[],
      ${applied.map((a) => a.customerId)}::uuid[]) as s(id, original, customer)
    where l.org_id = ${orgId} and l.id = s.id
  `.execute(trx);
  const fees = applied.filter((a) => a.feeMinor > 0);
  if (fees.length > 0)
    await trx
      .insertInto('bank_line_adjustments')
      .values(
        fees.map((a) => ({
          org_id: orgId,
          bank_line_id: a.returnLineId,
          invoice_id: null,
          kind: 'return_fee' as const,
          reason: 'bank fee on a returned payment',
          currency: a.line.amount.currency,
          amount_minor: a.feeMinor,
        })),
      )
      .execute();
  await trx
    .insertInto('tasks')
    .values(
      applied.map((a) => ({
        org_id: orgId,
        customer_id: a.customerId,
        invoice_id: a.invoiceIds[0] ?? null,
        kind: 'follow_up' as const,
        title: 'Payment returned by the bank: the invoices are due again',
        detail: JSON.stringify({
          source: 'bank-return',
          returnLineId: a.returnLineId,
          originalLineId: a.originalLineId,
          invoiceIds: a.invoiceIds,
          amountMinor: a.line.amount.amount,
          feeMinor: Math.max(0, a.feeMinor),
          text: a.line.remittanceText ?? null,
        }),
        due_date: opts.today,
      })),
    )
    .execute();
  const invoiceIds = [...new Set(applied.flatMap((a) => a.invoiceIds))];
  if (invoiceIds.length > 0) await refreshBalances(trx, orgId, { invoiceIds });
  await refreshBalances(trx, orgId, { customerIds: [...new Set(applied.map((a) => a.customerId))] });
  await refreshPlanProgress(trx, orgId, [...new Set(applied.map((a) => a.customerId))], null);
  return applied;
}
