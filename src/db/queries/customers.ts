import { type ExpressionBuilder, type Kysely, type Selectable, sql } from 'kysely';
import type { ContactsTable, CustomerKind, CustomersTable, Database, Segment } from '../schema/index.js';
import {
  afterCursor,
  likePattern,
  type Page,
  type PageParams,
  type SortKey,
  sortKeyText,
  toPage,
} from './pagination.js';

export type Customer = Selectable<CustomersTable>;
export type Contact = Selectable<ContactsTable>;

export interface CustomerFilters {
  /** Search in name and external reference. */
  q?: string | undefined;
  kind?: CustomerKind | undefined;
  segment?: Segment | undefined;
  assignedCollector?: string | undefined;
  hasOverdue?: boolean | undefined;
  /** The day "overdue" is judged on (the organisation's today). */
  asOf: string;
}

export type CustomerSort = 'name' | 'externalRef' | 'balanceDue' | 'createdAt';

/** A customer with its open balance in its own currency (invoices in other currencies are
 * in the detail's per-currency summary). */
export interface CustomerListRow extends Customer {
  balance_due: number;
  overdue_due: number;
}

const sortKeys: Record<CustomerSort, SortKey> = {
  name: { expr: sql`c.name`, cast: 'text' },
  externalRef: { expr: sql`c.external_ref`, cast: 'text' },
  balanceDue: { expr: sql`coalesce(b.due, 0)`, cast: 'bigint' },
  createdAt: { expr: sql`c.created_at`, cast: 'timestamptz' },
};

export async function listCustomers(
  db: Kysely<Database>,
  orgId: string,
  f: CustomerFilters,
  page: PageParams<CustomerSort>,
): Promise<Page<CustomerListRow>> {
  const key = sortKeys[page.sort];
  const dueOf = (eb: ExpressionBuilder<Database & { c: CustomersTable }, 'c'>) =>
    eb
      .selectFrom('invoices as i')
      .select([
        sql<number>`coalesce(sum(i.balance_minor), 0)::bigint`.as('due'),
        sql<number>`coalesce(sum(i.balance_minor) filter (where i.due_date < ${f.asOf}::date), 0)::bigint`.as(
          'overdue',
        ),
      ])
      .where('i.org_id', '=', orgId)
      .where('i.balance_minor', '>', 0);
  // Sorting or filtering on the balance needs it for every customer: one grouped pass over
  // the open invoices beats a lookup per customer. Otherwise only the page's rows need it.
  const needsAll = page.sort === 'balanceDue' || f.hasOverdue !== undefined;
  const base = needsAll
    ? db.selectFrom('customers as c').leftJoin(
        (eb) =>
          dueOf(eb).select(['i.customer_id', 'i.currency']).groupBy(['i.customer_id', 'i.currency']).as('b'),
        (j) => j.onRef('b.customer_id', '=', 'c.id').onRef('b.currency', '=', 'c.currency'),
      )
    : db.selectFrom('customers as c').leftJoinLateral(
        (eb) =>
          dueOf(eb).whereRef('i.customer_id', '=', 'c.id').whereRef('i.currency', '=', 'c.currency').as('b'),
        (join) => join.onTrue(),
      );
  let q = base
    .selectAll('c')
    .select([
      sql<number>`coalesce(b.due, 0)::bigint`.as('balance_due'),
      sql<number>`coalesce(b.overdue, 0)::bigint`.as('overdue_due'),
    ])
    .select(sortKeyText(key).as('sort_key'))
    .where('c.org_id', '=', orgId);
  if (f.q) {
    const p = likePattern(f.q);
    q = q.where((eb) => eb.or([eb('c.name', 'ilike', p), eb('c.external_ref', 'ilike', p)]));
  }
  if (f.kind) q = q.where('c.kind', '=', f.kind);
  if (f.segment) q = q.where('c.segment', '=', f.segment);
  if (f.assignedCollector) q = q.where('c.assigned_collector', '=', f.assignedCollector);
  if (f.hasOverdue !== undefined) q = q.where(sql<boolean>`(coalesce(b.overdue, 0) > 0) = ${f.hasOverdue}`);
  const rows = await q
    .where(afterCursor(key, sql`c.id`, page))
    .orderBy(key.expr, page.direction)
    .orderBy('c.id', page.direction)
    .limit(page.limit + 1)
    .execute();
  return toPage(rows, page);
}

export function getCustomer(db: Kysely<Database>, orgId: string, id: string): Promise<Customer | undefined> {
  return db
    .selectFrom('customers')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listContacts(db: Kysely<Database>, orgId: string, customerId: string): Promise<Contact[]> {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .orderBy('is_primary', 'desc')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export interface CurrencyBalance {
  currency: string;
  total_due: number;
  overdue: number;
  unallocated_credit: number;
  open_invoices: number;
}

/**
 * What a customer owes, per currency: open invoice balances (those past due on `asOf`
 * separately) and the credit it holds (unallocated payments and credit notes). Reads the
 * balances derived by refreshBalances; never recomputes them.
 */
export async function customerBalances(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  asOf: string,
): Promise<CurrencyBalance[]> {
  const r = await sql<CurrencyBalance>`
    with due as (
      select currency, sum(balance_minor)::bigint as total_due,
        coalesce(sum(balance_minor) filter (where due_date < ${asOf}::date), 0)::bigint as overdue,
        count(*)::integer as open_invoices
      from invoices
      where org_id = ${orgId} and customer_id = ${customerId} and balance_minor > 0
      group by currency
    ), credit as (
      select currency, sum(unallocated_minor)::bigint as unallocated_credit from (
        select currency, unallocated_minor from payments
          where org_id = ${orgId} and customer_id = ${customerId} and unallocated_minor > 0
        union all
        select currency, unallocated_minor from credit_notes
          where org_id = ${orgId} and customer_id = ${customerId} and unallocated_minor > 0
      ) x group by currency
    )
    select coalesce(d.currency, c.currency) as currency,
      coalesce(d.total_due, 0)::bigint as total_due,
      coalesce(d.overdue, 0)::bigint as overdue,
      coalesce(c.unallocated_credit, 0)::bigint as unallocated_credit,
      coalesce(d.open_invoices, 0)::integer as open_invoices
    from due d full join credit c on c.currency = d.currency
    order by 1
  `.execute(db);
  return r.rows.map((row) => ({ ...row, currency: row.currency.trim() }));
}

/** A customer by the organisation's own reference (the key imports and the ERP API upsert on). */
export function getCustomerByRef(
  db: Kysely<Database>,
  orgId: string,
  externalRef: string,
): Promise<Customer | undefined> {
  return db
    .selectFrom('customers')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('external_ref', '=', externalRef)
    .executeTakeFirst();
}
