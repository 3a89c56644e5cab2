import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';
import type { IsoDate } from '../../domain/calendar/index.js';
import type { PenaltyStatement } from '../../domain/law/types.js';
import { notFound } from '../../errors.js';
import { computeInvoicesPenalties, type InvoicePenaltyOptions } from './invoices-penalties.js';

export type { InvoicePenaltyOptions } from './invoices-penalties.js';

/**
 * The statement of one ledger invoice to `until` (see computeInvoicesPenalties for the
 * rules): a missing invoice is NOT_FOUND, one with nothing claimed UNPROCESSABLE.
 */
export async function computeInvoicePenalties(
  db: Kysely<Database>,
  orgId: string,
  invoiceId: string,
  until: IsoDate,
  opts: InvoicePenaltyOptions = {},
): Promise<PenaltyStatement> {
  const results = await computeInvoicesPenalties(db, orgId, [invoiceId], until, opts);
  const result = results.get(invoiceId) ?? { ok: false, error: notFound('invoice', invoiceId) };
  if (!result.ok) throw result.error;
  return result.statement;
}
