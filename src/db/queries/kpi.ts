import { type Kysely, sql } from 'kysely';
import type { IsoDate } from '../../domain/calendar/index.js';
import type { Database } from '../schema/index.js';

export interface ReceivablesRow {
  currency: string;
  receivables: number;
  overdue: number;
  open_invoices: number;
  overdue_invoices: number;
  not_due: number;
  d1_30: number;
  d31_60: number;
  d61_90: number;
  d90plus: number;
}

/**
 * Receivables, overdue and aging per currency, summed from the per-due-date rollup
 * (migration 0018: one row per currency and due date, not one per invoice). Buckets follow
 * src/domain/kpi/aging.ts.
 */
export async function receivablesByCurrency(
  db: Kysely<Database>,
  orgId: string,
  today: IsoDate,
): Promise<ReceivablesRow[]> {
  const r = await sql<ReceivablesRow>`
    with o as (
      select currency, open_minor as b, open_invoices as n, (${today}::date - day) as late
      from kpi_daily
      where org_id = ${orgId} and open_invoices <> 0
    )
    select trim(currency) as currency,
      coalesce(sum(b), 0)::bigint as receivables,
      coalesce(sum(b) filter (where late > 0), 0)::bigint as overdue,
      coalesce(sum(n), 0)::bigint as open_invoices,
      coalesce(sum(n) filter (where late > 0), 0)::bigint as overdue_invoices,
      coalesce(sum(b) filter (where late <= 0), 0)::bigint as not_due,
      coalesce(sum(b) filter (where late between 1 and 30), 0)::bigint as d1_30,
      coalesce(sum(b) filter (where late between 31 and 60), 0)::bigint as d31_60,
      coalesce(sum(b) filter (where late between 61 and 90), 0)::bigint as d61_90,
      coalesce(sum(b) filter (where late > 90), 0)::bigint as d90plus
    from o group by currency having sum(n) > 0 order by currency`.execute(db);
  return r.rows;
}

export interface MonthlySalesRow {
  currency: string;
  month: IsoDate;
  sales: number;
}

/** Gross invoiced per calendar month and currency from `from` to `to` (count-back DSO input). */
export async function salesByMonth(
  db: Kysely<Database>,
  orgId: string,
  from: IsoDate,
  to: IsoDate,
): Promise<MonthlySalesRow[]> {
  const r = await sql<MonthlySalesRow>`
    select trim(currency) as currency,
      to_char(date_trunc('month', day), 'YYYY-MM-DD') as month,
      sum(issued_minor)::bigint as sales
    from kpi_daily
    where org_id = ${orgId} and day between ${from}::date and ${to}::date and issued_minor <> 0
    group by 1, 2`.execute(db);
  return r.rows;
}

export interface CollectedRow {
  currency: string;
  this_month: number;
  last_month: number;
}

/** Cash received this month to date and in the whole previous month, per currency. */
export async function collectedByCurrency(
  db: Kysely<Database>,
  orgId: string,
  thisMonthStart: IsoDate,
  lastMonthStart: IsoDate,
  today: IsoDate,
): Promise<CollectedRow[]> {
  const r = await sql<CollectedRow>`
    select trim(currency) as currency,
      coalesce(sum(received_minor) filter (where day >= ${thisMonthStart}::date), 0)::bigint as this_month,
      coalesce(sum(received_minor) filter (where day < ${thisMonthStart}::date), 0)::bigint as last_month
    from kpi_daily
    where org_id = ${orgId} and day between ${lastMonthStart}::date and ${today}::date and received_minor <> 0
    group by 1`.execute(db);
  return r.rows;
}

export interface OverdueCustomerRow {
  currency: string;
  customer_id: string;
  name: string;
  overdue: number;
  invoices: number;
  max_days_late: number;
}

/**
 * The `limit` customers owing the most overdue money, per currency, from a scan of every
 * open invoice: the fallback of services/kpi/top-overdue-customers.ts and its reference.
 */
export async function topOverdueCustomers(
  db: Kysely<Database>,
  orgId: string,
  today: IsoDate,
  limit: number,
): Promise<OverdueCustomerRow[]> {
  // Top N per currency with a LIMIT per currency (a top-N heap) instead of ranking every
  // customer with a window: on 100,000 debtors the full sort was most of the dashboard.
  const r = await sql<OverdueCustomerRow>`
    with per as (
      select i.currency, i.customer_id, sum(i.balance_minor)::bigint as overdue,
        count(*)::bigint as invoices, max(${today}::date - i.due_date)::int as max_days_late
      from invoices i
      where i.org_id = ${orgId} and i.balance_minor > 0 and i.due_date < ${today}::date
      group by 1, 2
    ), cur as (
      select distinct currency from per
    )
    select trim(t.currency) as currency, t.customer_id, c.name, t.overdue, t.invoices, t.max_days_late
    from cur
    cross join lateral (
      select * from per where per.currency = cur.currency
      order by per.overdue desc, per.customer_id
      limit ${limit}
    ) t
    join customers c on c.org_id = ${orgId} and c.id = t.customer_id
    order by 1, t.overdue desc, t.customer_id`.execute(db);
  return r.rows;
}

export interface OpenCustomerRow {
  customer_id: string;
  open_minor: number;
}

export interface CandidateDebtorRow extends OverdueCustomerRow {
  open_minor: number;
}

/**
 * The next `limit` customers owing the most in `currency` (all open invoices, due or not),
 * largest first from the per-customer rollup, after `after` (the last row of the previous
 * page), each with its exact overdue figures from its invoices (0 when none is late). A
 * customer's open balance bounds its overdue amount from above. One statement: one round trip.
 */
export async function largestDebtorsWithOverdue(
  db: Kysely<Database>,
  orgId: string,
  currency: string,
  today: IsoDate,
  after: OpenCustomerRow | null,
  limit: number,
): Promise<CandidateDebtorRow[]> {
  const from = after
    ? sql`and (open_minor < ${after.open_minor} or (open_minor = ${after.open_minor} and customer_id > ${after.customer_id}::uuid))`
    : sql``;
  // Aggregated before naming: the largest debtors have hundreds of invoices each.
  const r = await sql<CandidateDebtorRow>`
    with page as (
      select customer_id, open_minor
      from kpi_customer_open
      where org_id = ${orgId} and currency = ${currency} and open_minor > 0 ${from}
      order by open_minor desc, customer_id
      limit ${limit}
    ), late as (
      select i.customer_id, sum(i.balance_minor)::bigint as overdue, count(*)::bigint as invoices,
        max(${today}::date - i.due_date)::int as max_days_late
      from invoices i
      where i.org_id = ${orgId} and i.customer_id in (select customer_id from page) and i.currency = ${currency}
        and i.balance_minor > 0 and i.due_date < ${today}::date
      group by i.customer_id
    )
    select ${currency}::text as currency, p.customer_id, p.open_minor, c.name,
      coalesce(l.overdue, 0)::bigint as overdue, coalesce(l.invoices, 0)::bigint as invoices,
      coalesce(l.max_days_late, 0)::int as max_days_late
    from page p
    join customers c on c.org_id = ${orgId} and c.id = p.customer_id
    left join late l on l.customer_id = p.customer_id
    order by p.open_minor desc, p.customer_id`.execute(db);
  return r.rows;
}
