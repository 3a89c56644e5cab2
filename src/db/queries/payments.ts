import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, PaymentMethod, PaymentsTable } from '../schema/index.js';
import {
  afterCursor,
  likePattern,
  type Page,
  type PageParams,
  type SortKey,
  sortKeyText,
  toPage,
} from './pagination.js';

export type Payment = Selectable<PaymentsTable>;

export interface PaymentFilters {
  customerId?: string | undefined;
  currency?: string | undefined;
  method?: PaymentMethod | undefined;
  /** Received on or after / on or before. */
  receivedAfter?: string | undefined;
  receivedBefore?: string | undefined;
  /** Only payments with an amount not yet allocated (credit held for the customer). */
  unallocated?: boolean | undefined;
  q?: string | undefined;
}

export type PaymentSort = 'receivedOn' | 'amount' | 'createdAt';

const sortKeys: Record<PaymentSort, SortKey> = {
  receivedOn: { expr: sql`p.received_on`, cast: 'date' },
  amount: { expr: sql`p.amount_minor`, cast: 'bigint' },
  createdAt: { expr: sql`p.created_at`, cast: 'timestamptz' },
};

export async function listPayments(
  db: Kysely<Database>,
  orgId: string,
  f: PaymentFilters,
  page: PageParams<PaymentSort>,
): Promise<Page<Payment>> {
  const key = sortKeys[page.sort];
  let q = db
    .selectFrom('payments as p')
    .selectAll('p')
    .select(sortKeyText(key).as('sort_key'))
    .where('p.org_id', '=', orgId);
  if (f.customerId) q = q.where('p.customer_id', '=', f.customerId);
  if (f.currency) q = q.where('p.currency', '=', f.currency);
  if (f.method) q = q.where('p.method', '=', f.method);
  if (f.receivedAfter) q = q.where('p.received_on', '>=', f.receivedAfter);
  if (f.receivedBefore) q = q.where('p.received_on', '<=', f.receivedBefore);
  if (f.unallocated !== undefined) q = q.where(sql<boolean>`(p.unallocated_minor > 0) = ${f.unallocated}`);
  if (f.q) {
    const p = likePattern(f.q);
    q = q.where((eb) => eb.or([eb('p.payment_reference', 'ilike', p), eb('p.bank_reference', 'ilike', p)]));
  }
  const rows = await q
    .where(afterCursor(key, sql`p.id`, page))
    .orderBy(key.expr, page.direction)
    .orderBy('p.id', page.direction)
    .limit(page.limit + 1)
    .execute();
  return toPage(rows, page);
}

export function getPayment(db: Kysely<Database>, orgId: string, id: string): Promise<Payment | undefined> {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface PaymentAllocationRow {
  id: string;
  invoice_id: string;
  invoice_number: string;
  amount_minor: number;
  allocated_at: Date;
}

export function listPaymentAllocations(
  db: Kysely<Database>,
  orgId: string,
  paymentId: string,
): Promise<PaymentAllocationRow[]> {
  return db
    .selectFrom('allocations as a')
    .innerJoin('invoices as i', (j) =>
      j.onRef('i.org_id', '=', 'a.org_id').onRef('i.id', '=', 'a.invoice_id'),
    )
    .select([
      'a.id',
      'a.invoice_id',
      'i.invoice_number',
      'a.amount_minor',
      sql<Date>`a.allocated_at`.as('allocated_at'),
    ])
    .where('a.org_id', '=', orgId)
    .where('a.payment_id', '=', paymentId)
    .orderBy('a.allocated_at')
    .orderBy('a.id')
    .execute();
}
