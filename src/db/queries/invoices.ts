import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, InvoiceInstalmentsTable, InvoiceStatus, InvoicesTable } from '../schema/index.js';
import {
  afterCursor,
  likePattern,
  type Page,
  type PageParams,
  type SortKey,
  sortKeyText,
  toPage,
} from './pagination.js';

export type Invoice = Selectable<InvoicesTable>;

export interface InvoiceFilters {
  status?: InvoiceStatus[] | undefined;
  customerId?: string | undefined;
  /** true: a balance is left and the due date has passed on `asOf`; false: the others. */
  overdue?: boolean | undefined;
  minBalance?: number | undefined;
  maxBalance?: number | undefined;
  /** Due on or before this date. */
  dueBefore?: string | undefined;
  /** Due on or after this date. */
  dueAfter?: string | undefined;
  currency?: string | undefined;
  /** Search in the invoice number, the customer's name and reference. */
  q?: string | undefined;
  /** The collector working the item: its own, else its customer's (a user id); null = nobody. */
  collector?: string | null | undefined;
  segment?: 'strategic' | 'standard' | undefined;
  asOf: string;
}

export type InvoiceSort = 'dueDate' | 'issueDate' | 'balanceDue' | 'daysOverdue' | 'invoiceNumber';

export interface InvoiceRow extends Invoice {
  customer_name: string;
  customer_external_ref: string;
  days_overdue: number;
}

/** Days past the due date on `asOf` while a balance is left; 0 otherwise. */
function daysOverdueExpr(asOf: string) {
  return sql<number>`(case when i.balance_minor > 0 and i.due_date < ${asOf}::date then ${asOf}::date - i.due_date else 0 end)`;
}

function sortKey(sort: InvoiceSort, asOf: string): SortKey {
  switch (sort) {
    case 'dueDate':
      return { expr: sql`i.due_date`, cast: 'date' };
    case 'issueDate':
      return { expr: sql`i.issue_date`, cast: 'date' };
    case 'balanceDue':
      return { expr: sql`i.balance_minor`, cast: 'bigint' };
    case 'daysOverdue':
      return { expr: daysOverdueExpr(asOf), cast: 'integer' };
    case 'invoiceNumber':
      return { expr: sql`i.invoice_number`, cast: 'text' };
  }
}

function invoiceBase(db: Kysely<Database>, orgId: string, asOf: string) {
  return db
    .selectFrom('invoices as i')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.org_id', '=', 'i.org_id').onRef('c.id', '=', 'i.customer_id'),
    )
    .selectAll('i')
    .select(['c.name as customer_name', 'c.external_ref as customer_external_ref'])
    .select(daysOverdueExpr(asOf).as('days_overdue'))
    .where('i.org_id', '=', orgId);
}

export async function listInvoices(
  db: Kysely<Database>,
  orgId: string,
  f: InvoiceFilters,
  page: PageParams<InvoiceSort>,
): Promise<Page<InvoiceRow>> {
  const key = sortKey(page.sort, f.asOf);
  const rows = await filteredInvoices(db, orgId, f)
    .select(sortKeyText(key).as('sort_key'))
    .where(afterCursor(key, sql`i.id`, page))
    .orderBy(key.expr, page.direction)
    .orderBy('i.id', page.direction)
    .limit(page.limit + 1)
    .execute();
  return toPage(rows, page);
}

/** The invoices the filters keep (with their customer's name and days overdue), unordered:
 * the list pages them, the totals sum them, so both always describe the same set. */
export function filteredInvoices(db: Kysely<Database>, orgId: string, f: InvoiceFilters) {
  let q = invoiceBase(db, orgId, f.asOf);
  if (f.status && f.status.length > 0) q = q.where('i.status', 'in', f.status);
  if (f.customerId) q = q.where('i.customer_id', '=', f.customerId);
  if (f.overdue !== undefined) {
    q = q.where(sql<boolean>`(i.balance_minor > 0 and i.due_date < ${f.asOf}::date) = ${f.overdue}`);
  }
  if (f.minBalance !== undefined) q = q.where('i.balance_minor', '>=', f.minBalance);
  if (f.maxBalance !== undefined) q = q.where('i.balance_minor', '<=', f.maxBalance);
  if (f.dueBefore) q = q.where('i.due_date', '<=', f.dueBefore);
  if (f.dueAfter) q = q.where('i.due_date', '>=', f.dueAfter);
  if (f.currency) q = q.where('i.currency', '=', f.currency);
  if (f.q) {
    const p = likePattern(f.q);
    q = q.where((eb) =>
      eb.or([eb('i.invoice_number', 'ilike', p), eb('c.name', 'ilike', p), eb('c.external_ref', 'ilike', p)]),
    );
  }
  if (f.collector === null)
    q = q.where(sql<boolean>`coalesce(i.assigned_collector, c.assigned_collector) is null`);
  else if (f.collector)
    q = q.where(sql<boolean>`coalesce(i.assigned_collector, c.assigned_collector) = ${f.collector}`);
  if (f.segment) q = q.where('c.segment', '=', f.segment);
  return q;
}

export function getInvoice(
  db: Kysely<Database>,
  orgId: string,
  id: string,
  asOf: string,
): Promise<InvoiceRow | undefined> {
  return invoiceBase(db, orgId, asOf).where('i.id', '=', id).executeTakeFirst();
}

export interface InvoiceAllocationRow {
  id: string;
  amount_minor: number;
  allocated_at: Date;
  payment_id: string | null;
  payment_reference: string | null;
  received_on: string | null;
  credit_note_id: string | null;
  credit_note_number: string | null;
}

export function listInvoiceAllocations(
  db: Kysely<Database>,
  orgId: string,
  invoiceId: string,
): Promise<InvoiceAllocationRow[]> {
  return db
    .selectFrom('allocations as a')
    .leftJoin('payments as p', (j) => j.onRef('p.org_id', '=', 'a.org_id').onRef('p.id', '=', 'a.payment_id'))
    .leftJoin('credit_notes as cn', (j) =>
      j.onRef('cn.org_id', '=', 'a.org_id').onRef('cn.id', '=', 'a.credit_note_id'),
    )
    .select([
      'a.id',
      'a.amount_minor',
      sql<Date>`a.allocated_at`.as('allocated_at'),
      'a.payment_id',
      'p.payment_reference',
      'p.received_on',
      'a.credit_note_id',
      'cn.credit_note_number',
    ])
    .where('a.org_id', '=', orgId)
    .where('a.invoice_id', '=', invoiceId)
    .orderBy('a.allocated_at')
    .orderBy('a.id')
    .execute();
}

export function listInvoiceInstalments(
  db: Kysely<Database>,
  orgId: string,
  invoiceId: string,
): Promise<Selectable<InvoiceInstalmentsTable>[]> {
  return db
    .selectFrom('invoice_instalments')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('invoice_id', '=', invoiceId)
    .orderBy('seq')
    .execute();
}

/** An invoice by the organisation's own number (the key imports and the ERP API upsert on). */
export function getInvoiceByNumber(
  db: Kysely<Database>,
  orgId: string,
  invoiceNumber: string,
  asOf: string,
): Promise<InvoiceRow | undefined> {
  return invoiceBase(db, orgId, asOf).where('i.invoice_number', '=', invoiceNumber).executeTakeFirst();
}
