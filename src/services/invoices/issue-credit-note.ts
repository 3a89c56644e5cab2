import { type Kysely, sql } from 'kysely';
import { refreshBalances } from '../../db/queries/balances.js';
import { insertAllocations } from '../../db/queries/ledger-writes.js';
import type { Database } from '../../db/schema/index.js';
import type { IsoDate } from '../../domain/calendar/index.js';
import { AppError } from '../../errors.js';

export interface IssueCreditNoteInput {
  customerId: string;
  invoice: { id: string; invoice_number: string; currency: string; balance_minor: number };
  amountMinor: number;
  reason: string;
  issueDate: IsoDate;
}

export interface IssuedCreditNote {
  id: string;
  creditNoteNumber: string;
  amountMinor: number;
  currency: string;
}

/**
 * Issue a credit note against one invoice and allocate it there at once, so the balance
 * (derived from allocations by refreshBalances, never set here) drops by its amount. Imports
 * record credit notes issued elsewhere; this is the one the collector issues in Relance, for
 * at most what is still due on the invoice — a credit note never creates a credit balance.
 * Its number is the invoice's with an "AV" (avoir) suffix, unique in the organisation.
 */
export async function issueCreditNote(
  trx: Kysely<Database>,
  orgId: string,
  input: IssueCreditNoteInput,
): Promise<IssuedCreditNote> {
  const { invoice, amountMinor } = input;
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0 || amountMinor > invoice.balance_minor) {
    throw new AppError('VALIDATION', `creditNoteAmountMinor: between 1 and ${invoice.balance_minor}`, [
      {
        field: 'creditNoteAmountMinor',
        value: String(amountMinor),
        reason: `between 1 and the invoice balance (${invoice.balance_minor} minor units)`,
      },
    ]);
  }
  // The advisory lock serialises numbering per invoice; the unique key is the backstop.
  await sql`select pg_advisory_xact_lock(hashtextextended(${`credit-note:${orgId}:${invoice.id}`}, 0))`.execute(
    trx,
  );
  // Numbers already taken (an import may have used one): the first free <invoice>-AV<n>.
  const taken = await trx
    .selectFrom('credit_notes')
    .select('credit_note_number')
    .where('org_id', '=', orgId)
    .where(sql<boolean>`starts_with(credit_note_number, ${`${invoice.invoice_number}-AV`})`)
    .execute();
  const used = new Set(taken.map((r) => r.credit_note_number));
  let n = 1;
  while (used.has(`${invoice.invoice_number}-AV${n}`)) n++;
  const number = `${invoice.invoice_number}-AV${n}`;
  const note = await trx
    .insertInto('credit_notes')
    .values({
      org_id: orgId,
      customer_id: input.customerId,
      credit_note_number: number,
      invoice_id: invoice.id,
      issue_date: input.issueDate,
      currency: invoice.currency,
      gross_minor: amountMinor,
      unallocated_minor: amountMinor,
      reason: input.reason,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertAllocations(trx, orgId, {
    invoiceIds: [invoice.id],
    paymentIds: [null],
    creditNoteIds: [note.id],
    amounts: [amountMinor],
  });
  await refreshBalances(trx, orgId, { invoiceIds: [invoice.id] });
  return { id: note.id, creditNoteNumber: number, amountMinor, currency: invoice.currency.trim() };
}
