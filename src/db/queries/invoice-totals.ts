import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema/index.js';
import { filteredInvoices, type InvoiceFilters } from './invoices.js';

export interface InvoiceTotalsRow {
  currency: string;
  invoices: number;
  gross: number;
  balance: number;
  overdue: number;
}

/** Totals of every invoice the list's filters keep (all pages), per currency, in one pass. */
export async function invoiceTotals(
  db: Kysely<Database>,
  orgId: string,
  f: InvoiceFilters,
): Promise<InvoiceTotalsRow[]> {
  const rows = await db
    .selectFrom(filteredInvoices(db, orgId, f).as('x'))
    .select([
      sql<string>`trim(x.currency)`.as('currency'),
      sql<number>`count(*)::integer`.as('invoices'),
      sql<number>`coalesce(sum(x.gross_minor), 0)::bigint`.as('gross'),
      sql<number>`coalesce(sum(x.balance_minor), 0)::bigint`.as('balance'),
      sql<number>`coalesce(sum(x.balance_minor) filter (where x.days_overdue > 0), 0)::bigint`.as('overdue'),
    ])
    .groupBy('x.currency')
    .orderBy('x.currency')
    .execute();
  return rows.map((r) => ({
    ...r,
    gross: Number(r.gross),
    balance: Number(r.balance),
    overdue: Number(r.overdue),
  }));
}
