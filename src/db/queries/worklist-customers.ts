import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../schema/index.js';
import { afterCursor, type Page, type SortKey, toPage } from './pagination.js';
import { type WorklistFilters, type WorklistRow, worklistCandidates } from './worklist.js';

/** One customer of the grouped worklist: its rows folded in, what is at stake, its best rank. */
export interface WorklistCustomerRow {
  id: string;
  customer_name: string;
  items: number;
  tasks: number;
  /** Distinct invoices of the folded rows, per currency: {currency, amount}. */
  totals: { currency: string; amount: number }[];
  max_days_late: number;
  /** Sends of this customer waiting for a user's approval. */
  pending_sends: number;
  rank: string;
  rows: WorklistRow[];
}

const rankKey: SortKey = { expr: sql`g.rank`, cast: 'bigint' };

function rowFilters(f: Omit<WorklistFilters, 'asOf'>): RawBuilder<unknown>[] {
  const filters: RawBuilder<unknown>[] = [sql`true`];
  if (f.assignee === null) filters.push(sql`w.assignee is null`);
  else if (f.assignee !== undefined) filters.push(sql`w.assignee = ${f.assignee}`);
  if (f.kinds && f.kinds.length > 0) filters.push(sql`w.kind = any(${f.kinds}::text[])`);
  if (f.customerId) filters.push(sql`w.customer_id = ${f.customerId}::uuid`);
  return filters;
}

/**
 * The worklist with one entry per customer: the customer ranks by its best row (a due task
 * before any item, then the highest score), so one debtor with ten late invoices takes one
 * line instead of a page. Filters apply to the rows before they are folded, so "my tasks"
 * shows each customer with only the rows given to me. Two statements: the page of customers
 * (grouped in SQL, keyset on rank), then the rows of those customers only.
 */
export async function listWorklistByCustomer(
  db: Kysely<Database>,
  orgId: string,
  f: WorklistFilters,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<WorklistCustomerRow>> {
  const params = {
    sort: 'customerPriority',
    direction: 'desc' as const,
    limit: page.limit,
    cursor: page.cursor,
  };
  const filters = rowFilters(f);
  const groups = await sql<Omit<WorklistCustomerRow, 'rows'> & { sort_key: string }>`
    with w as (
      select * from (${worklistCandidates(orgId, f.asOf)}) c
    ), kept as (
      select * from w where ${sql.join(filters, sql` and `)}
    ), inv as (
      select distinct customer_id, invoice_id, currency, balance_minor from kept
      where invoice_id is not null and balance_minor is not null
    ), tot as (
      select customer_id, jsonb_agg(jsonb_build_object('currency', trim(currency), 'amount', amount) order by currency) as totals
      from (select customer_id, currency, sum(balance_minor)::bigint as amount from inv group by customer_id, currency) s
      group by customer_id
    ), pend as (
      select customer_id, count(*)::integer as n from dunning_actions
      where org_id = ${orgId} and status = 'awaiting_approval'
      group by customer_id
    ), g as (
      select k.customer_id as id, min(k.customer_name) as customer_name,
        count(*) filter (where k.row_type = 'item')::integer as items,
        count(*) filter (where k.row_type = 'task')::integer as tasks,
        max(k.days_late)::integer as max_days_late, max(k.rank)::bigint as rank
      from kept k group by k.customer_id
    )
    select g.id, g.customer_name, g.items, g.tasks, g.max_days_late, g.rank::text as rank,
      coalesce(t.totals, '[]'::jsonb) as totals, coalesce(p.n, 0) as pending_sends, g.rank::text as sort_key
    from g left join tot t on t.customer_id = g.id left join pend p on p.customer_id = g.id
    where ${afterCursor(rankKey, sql`g.id`, params)}
    order by g.rank desc, g.id desc
    limit ${page.limit + 1}
  `.execute(db);
  const paged = toPage(groups.rows, params);
  const ids = paged.items.map((g) => g.id);
  if (ids.length === 0) return { items: [], nextCursor: paged.nextCursor };
  const rows = await sql<WorklistRow>`
    select w.row_type, w.id, w.kind, w.customer_id, w.customer_name, w.invoice_id, w.invoice_number,
      w.title, w.due_date, w.days_late, w.balance_minor, w.currency, w.assignee, u.name as assignee_name,
      w.detail, w.paid_invoices, w.paid_on_time, w.broken_promises, w.strategic, w.revenue_share, w.score,
      w.rank::text as rank
    from (${worklistCandidates(orgId, f.asOf)}) w
    left join users u on u.org_id = ${orgId} and u.id::text = w.assignee
    where ${sql.join(filters, sql` and `)} and w.customer_id = any(${ids}::uuid[])
    order by w.rank desc, w.id desc
  `.execute(db);
  const byCustomer = new Map<string, WorklistRow[]>();
  for (const r of rows.rows) {
    const list = byCustomer.get(r.customer_id) ?? [];
    list.push(r);
    byCustomer.set(r.customer_id, list);
  }
  return {
    items: paged.items.map((g) => ({
      ...g,
      totals: g.totals.map((t) => ({ currency: t.currency, amount: Number(t.amount) })),
      rows: byCustomer.get(g.id) ?? [],
    })),
    nextCursor: paged.nextCursor,
  };
}
