import { type Kysely, sql } from 'kysely';
import { foldKpiDeltas } from '../../../src/db/queries/kpi-fold.js';
import type { Database } from '../../../src/db/schema/index.js';

export interface DailyRow {
  currency: string;
  day: string;
  open_minor: number;
  open_invoices: number;
  issued_minor: number;
  received_minor: number;
}

export interface CustomerOpenRow {
  currency: string;
  customer_id: string;
  open_minor: number;
  open_invoices: number;
}

export interface Rollups {
  daily: DailyRow[];
  customers: CustomerOpenRow[];
}

/** What the triggers maintained, folded as the dashboard reads it, without the zero rows. */
export async function maintainedRollups(db: Kysely<Database>, orgId: string): Promise<Rollups> {
  await foldKpiDeltas(db, orgId);
  const daily = await sql<DailyRow>`
    select trim(currency) as currency, to_char(day, 'YYYY-MM-DD') as day,
      open_minor::bigint as open_minor, open_invoices::bigint as open_invoices,
      issued_minor::bigint as issued_minor, received_minor::bigint as received_minor
    from kpi_daily
    where org_id = ${orgId} and (open_minor, open_invoices, issued_minor, received_minor) <> (0, 0, 0, 0)
    order by 1, 2`.execute(db);
  const customers = await sql<CustomerOpenRow>`
    select trim(currency) as currency, customer_id, open_minor::bigint as open_minor,
      open_invoices::bigint as open_invoices
    from kpi_customer_open
    where org_id = ${orgId} and (open_minor, open_invoices) <> (0, 0)
    order by 1, 2`.execute(db);
  return { daily: daily.rows, customers: customers.rows };
}

/** The same figures computed from scratch from invoices and payments. */
export async function rollupsFromLedger(db: Kysely<Database>, orgId: string): Promise<Rollups> {
  const daily = await sql<DailyRow>`
    select trim(currency) as currency, to_char(day, 'YYYY-MM-DD') as day,
      sum(open_minor)::bigint as open_minor, sum(open_invoices)::bigint as open_invoices,
      sum(issued_minor)::bigint as issued_minor, sum(received_minor)::bigint as received_minor
    from (
      select currency, due_date as day, balance_minor as open_minor, 1 as open_invoices,
        0 as issued_minor, 0 as received_minor
      from invoices where org_id = ${orgId} and balance_minor > 0
      union all
      select currency, issue_date, 0, 0, gross_minor, 0 from invoices where org_id = ${orgId}
      union all
      select currency, received_on, 0, 0, 0, amount_minor from payments where org_id = ${orgId}
    ) d
    group by 1, 2
    having (sum(open_minor), sum(open_invoices), sum(issued_minor), sum(received_minor)) <> (0, 0, 0, 0)
    order by 1, 2`.execute(db);
  const customers = await sql<CustomerOpenRow>`
    select trim(currency) as currency, customer_id, sum(balance_minor)::bigint as open_minor,
      count(*)::bigint as open_invoices
    from invoices where org_id = ${orgId} and balance_minor > 0
    group by 1, 2
    order by 1, 2`.execute(db);
  return { daily: daily.rows, customers: customers.rows };
}
