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
 * Receivables, overdue and aging per currency in one pass over the open invoices (the
 * partial index invoices_open_due covers it). Buckets follow src/domain/kpi/aging.ts.
 */
export async function receivablesByCurrency(
  db: Kysely<Database>,
  orgId: string,
  today: IsoDate,
): Promise<ReceivablesRow[]> {
  const r = await sql<ReceivablesRow>`
    with o as (
      select currency, balance_minor as b, (${today}::date - due_date) as late
      from invoices
      where org_id = ${orgId} and balance_minor > 0
    )
    select trim(currency) as currency,
      coalesce(sum(b), 0)::bigint as receivables,
      coalesce(sum(b) filter (where late > 0), 0)::bigint as overdue,
      count(*)::bigint as open_invoices,
      count(*) filter (where late > 0)::bigint as overdue_invoices,
      coalesce(sum(b) filter (where late <= 0), 0)::bigint as not_due,
      coalesce(sum(b) filter (where late between 1 and 30), 0)::bigint as d1_30,
      coalesce(sum(b) filter (where late between 31 and 60), 0)::bigint as d31_60,
      coalesce(sum(b) filter (where late between 61 and 90), 0)::bigint as d61_90,
      coalesce(sum(b) filter (where late > 90), 0)::bigint as d90plus
    from o group by currency order by currency`.execute(db);
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
  // Per day first (a cheap key, read from the invoices_issue_kpi covering index), then per
  // month over a few hundred rows: truncating every invoice's date to a month cost more than
  // reading it.
  const r = await sql<MonthlySalesRow>`
    select trim(currency) as currency,
      to_char(date_trunc('month', day), 'YYYY-MM-DD') as month,
      sum(sales)::bigint as sales
    from (
      select currency, issue_date as day, sum(gross_minor) as sales
      from invoices
      where org_id = ${orgId} and issue_date between ${from}::date and ${to}::date
      group by 1, 2
    ) d
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
      coalesce(sum(amount_minor) filter (where received_on >= ${thisMonthStart}::date), 0)::bigint as this_month,
      coalesce(sum(amount_minor) filter (where received_on < ${thisMonthStart}::date), 0)::bigint as last_month
    from payments
    where org_id = ${orgId} and received_on between ${lastMonthStart}::date and ${today}::date
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

/** The `limit` customers owing the most overdue money, per currency. */
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
