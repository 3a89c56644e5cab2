import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../schema/index.js';
import { afterCursor, likePattern, type Page, type PageParams, type SortKey, toPage } from './pagination.js';

/**
 * The customers page: one row per customer with what a credit manager scans for — balance,
 * overdue, oldest overdue, collector, last and next action, and the dispute / promise / plan
 * markers. Set-based: balances, next actions and markers are each one grouped pass over the
 * organisation's rows; the last action (the evidence file's newest entry) is read for the
 * page's rows only, through the (org_id, customer_id, seq) primary key.
 */
export type CustomerOverviewSort = 'name' | 'balanceDue' | 'overdue' | 'daysOverdue' | 'nextActionDate';

export type CustomerMarker = 'dispute' | 'promise' | 'plan' | 'hold';

export interface CustomerOverviewFilters {
  /** Name, external reference, or a contact's email. */
  q?: string | undefined;
  /** A user id, or null for customers nobody is assigned to. */
  collector?: string | null | undefined;
  hasOverdue?: boolean | undefined;
  marker?: CustomerMarker | undefined;
  asOf: string;
}

export interface CustomerOverviewRow {
  id: string;
  external_ref: string;
  name: string;
  currency: string;
  balance_due: number;
  overdue_due: number;
  days_overdue: number;
  oldest_overdue_date: string | null;
  collector_id: string | null;
  collector_name: string | null;
  next_action_date: string | null;
  next_action_kind: string | null;
  last_action_at: Date | string | null;
  last_action_kind: string | null;
  last_action_channel: string | null;
  open_disputes: number;
  active_promise: boolean;
  active_plan: boolean;
  credit_hold: boolean;
}

/** No next action sorts last ascending; the sentinel never leaves the database. */
const NO_DATE = '9999-12-31';

const sortKeys: Record<CustomerOverviewSort, SortKey> = {
  name: { expr: sql`x.name`, cast: 'text' },
  balanceDue: { expr: sql`x.balance_due`, cast: 'bigint' },
  overdue: { expr: sql`x.overdue_due`, cast: 'bigint' },
  daysOverdue: { expr: sql`x.days_overdue`, cast: 'integer' },
  nextActionDate: { expr: sql`x.next_sort`, cast: 'date' },
};

export async function listCustomerOverview(
  db: Kysely<Database>,
  orgId: string,
  f: CustomerOverviewFilters,
  page: PageParams<CustomerOverviewSort>,
): Promise<Page<CustomerOverviewRow>> {
  const key = sortKeys[page.sort];
  const where: RawBuilder<unknown>[] = [sql`true`];
  if (f.q) {
    const p = likePattern(f.q);
    where.push(sql`(x.name ilike ${p} or x.external_ref ilike ${p} or exists (
      select 1 from contacts ct where ct.org_id = ${orgId} and ct.customer_id = x.id and ct.email ilike ${p}))`);
  }
  if (f.collector === null) where.push(sql`x.collector_id is null`);
  else if (f.collector !== undefined) where.push(sql`x.collector_id = ${f.collector}`);
  if (f.hasOverdue !== undefined) where.push(sql`(x.overdue_due > 0) = ${f.hasOverdue}`);
  if (f.marker === 'dispute') where.push(sql`x.open_disputes > 0`);
  if (f.marker === 'promise') where.push(sql`x.active_promise`);
  if (f.marker === 'plan') where.push(sql`x.active_plan`);
  if (f.marker === 'hold') where.push(sql`x.credit_hold`);
  const r = await sql<CustomerOverviewRow & { sort_key: string }>`
    with bal as (
      select i.customer_id, i.currency,
        sum(i.balance_minor)::bigint as due,
        coalesce(sum(i.balance_minor) filter (where i.due_date < ${f.asOf}::date), 0)::bigint as overdue,
        min(i.due_date) filter (where i.due_date < ${f.asOf}::date) as oldest
      from invoices i
      where i.org_id = ${orgId} and i.balance_minor > 0
      group by i.customer_id, i.currency
    ), upcoming as (
      select customer_id, planned_for as on_date, channel as kind from dunning_actions
        where org_id = ${orgId} and status in ('planned', 'postponed')
      union all
      select customer_id, due_date, 'task_' || kind from tasks where org_id = ${orgId} and status = 'open'
      union all
      select customer_id, next_action_date, 'dunning' from dunning_cases
        where org_id = ${orgId} and status = 'active' and next_action_date is not null
    ), nxt as (
      select distinct on (customer_id) customer_id, on_date, kind from upcoming
      order by customer_id, on_date, kind
    ), disp as (
      select customer_id, count(*)::integer as n from disputes
      where org_id = ${orgId} and status = 'open' group by customer_id
    ), prom as (
      select distinct customer_id from promises_to_pay where org_id = ${orgId} and status = 'active'
    ), plan as (
      select distinct customer_id from payment_plans where org_id = ${orgId} and status = 'active'
    ), x as (
      select c.id, c.external_ref, c.name, trim(c.currency) as currency,
        coalesce(b.due, 0)::bigint as balance_due, coalesce(b.overdue, 0)::bigint as overdue_due,
        coalesce(${f.asOf}::date - b.oldest, 0)::integer as days_overdue, b.oldest as oldest_overdue_date,
        u.id::text as collector_id, u.name as collector_name,
        n.on_date as next_action_date, n.kind as next_action_kind,
        coalesce(n.on_date, ${NO_DATE}::date) as next_sort,
        coalesce(d.n, 0) as open_disputes, pr.customer_id is not null as active_promise,
        pl.customer_id is not null as active_plan, c.credit_hold
      from customers c
      left join bal b on b.customer_id = c.id and b.currency = c.currency
      left join users u on u.org_id = c.org_id and u.id::text = c.assigned_collector
      left join nxt n on n.customer_id = c.id
      left join disp d on d.customer_id = c.id
      left join prom pr on pr.customer_id = c.id
      left join plan pl on pl.customer_id = c.id
      where c.org_id = ${orgId}
    ), pg as (
      select x.*, (${key.expr})::text as sort_key from x
      where ${sql.join(where, sql` and `)} and ${afterCursor(key, sql`x.id`, page)}
      order by ${key.expr} ${sql.raw(page.direction)}, x.id ${sql.raw(page.direction)}
      limit ${page.limit + 1}
    )
    select pg.*, e.at as last_action_at, e.kind as last_action_kind, e.channel as last_action_channel
    from pg
    left join lateral (
      select ev.at, ev.kind, ev.channel from evidence ev
      where ev.org_id = ${orgId} and ev.customer_id = pg.id
      order by ev.seq desc limit 1
    ) e on true
    order by ${sql.raw(`pg.${sortColumn(page.sort)}`)} ${sql.raw(page.direction)}, pg.id ${sql.raw(page.direction)}
  `.execute(db);
  const rows = r.rows.map(
    ({ next_sort: _, ...row }: CustomerOverviewRow & { sort_key: string; next_sort?: unknown }) => ({
      ...row,
      balance_due: Number(row.balance_due),
      overdue_due: Number(row.overdue_due),
      oldest_overdue_date: dateText(row.oldest_overdue_date),
      next_action_date: dateText(row.next_action_date),
    }),
  );
  return toPage(rows, page);
}

function sortColumn(sort: CustomerOverviewSort): string {
  switch (sort) {
    case 'name':
      return 'name';
    case 'balanceDue':
      return 'balance_due';
    case 'overdue':
      return 'overdue_due';
    case 'daysOverdue':
      return 'days_overdue';
    case 'nextActionDate':
      return 'next_sort';
  }
}

function dateText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}
