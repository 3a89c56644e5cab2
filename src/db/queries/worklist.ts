import { type Kysely, type RawBuilder, sql } from 'kysely';
import { PRIORITY_PARAMS as P, PRIORITY_WEIGHTS as W } from '../../domain/prioritisation/index.js';
import type { Database, TaskKindColumn } from '../schema/index.js';
import { afterCursor, type Page, type SortKey, toPage } from './pagination.js';

export type WorklistKind = 'item' | TaskKindColumn;

export interface WorklistFilters {
  /** A user id, or null for work nobody is assigned to. */
  assignee?: string | null | undefined;
  kinds?: WorklistKind[] | undefined;
  customerId?: string | undefined;
  asOf: string;
}

export interface WorklistRow {
  row_type: 'task' | 'item';
  id: string;
  kind: WorklistKind;
  customer_id: string;
  customer_name: string;
  invoice_id: string | null;
  invoice_number: string | null;
  title: string | null;
  due_date: string;
  days_late: number;
  balance_minor: number | null;
  currency: string | null;
  assignee: string | null;
  assignee_name: string | null;
  detail: Record<string, unknown> | null;
  // Score inputs (items only; tasks carry them too for their customer, with their invoice's balance).
  paid_invoices: number;
  paid_on_time: number;
  broken_promises: number;
  strategic: boolean;
  revenue_share: number;
  /** 1 − P(unpaid 90 days after the due date) from the risk model; null when not scored. */
  model_recovery: number | null;
  /** Raw score computed in SQL (items), null for tasks. */
  score: number | null;
  rank: string;
}

/**
 * The raw priority score in SQL: the formula of src/domain/prioritisation/score.ts, with its
 * constants, over the columns of `x`. Kept in step with rawPriority() by an integration test.
 */
function scoreExpr(): RawBuilder<number> {
  const f = (v: number) => sql`${v}::float8`;
  const late = sql`greatest(0, x.days_late)::float8`;
  return sql<number>`(
    ${f(W.amount)} * least(1, ln(1 + greatest(0, x.balance_minor)::float8 / 100) / ln(1 + ${f(P.amountCapMajor)}))
    + ${f(W.lateness)} * least(1, ${late} / ${f(P.latenessCapDays)})
    + ${f(W.recovery)} * greatest(${f(P.recoveryMin)}, least(${f(P.recoveryMax)}, coalesce(x.model_recovery,
        ${f(P.recoveryBase)}
        - ${f(P.recoveryLatenessPenalty)} * least(1, ${late} / ${f(P.recoveryLatenessDays)})
        - ${f(P.recoveryHistoryPenalty)} * (1 - (least(x.paid_on_time, x.paid_invoices) + 1)::float8 / (x.paid_invoices + 2))
        - ${f(P.recoveryBrokenPromisePenalty)} * least(x.broken_promises, ${P.recoveryBrokenPromiseMax}::integer))))
    + case when x.strategic then ${f(W.strategic)} else 0 end
    + ${f(W.revenueShare)} * least(1, greatest(0, x.revenue_share) / ${f(P.revenueShareCap)})
  )`;
}

/** Tasks come first (most overdue first), then items by score: one bigint orders both. */
const TASK_RANK_BASE = 1_000_000_000_000;
const rankKey: SortKey = { expr: sql`w.rank`, cast: 'bigint' };

/**
 * What a collector should work on `asOf`, ranked, one page at a time. Set-based: the
 * customers' payment history, broken promises and revenue share are each one grouped pass,
 * the score is computed for every candidate in SQL and only the page leaves the database.
 * Items are overdue invoices not disputed, paused or covered by an active promise; tasks are
 * open and due on or before `asOf`.
 */
export async function listWorklist(
  db: Kysely<Database>,
  orgId: string,
  f: WorklistFilters,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<WorklistRow>> {
  const asOf = f.asOf;
  const params = { sort: 'priority', direction: 'desc' as const, limit: page.limit, cursor: page.cursor };
  const filters: RawBuilder<unknown>[] = [sql`true`];
  if (f.assignee === null) filters.push(sql`w.assignee is null`);
  else if (f.assignee !== undefined) filters.push(sql`w.assignee = ${f.assignee}`);
  if (f.kinds && f.kinds.length > 0) filters.push(sql`w.kind = any(${f.kinds}::text[])`);
  if (f.customerId) filters.push(sql`w.customer_id = ${f.customerId}::uuid`);
  const r = await sql<WorklistRow & { sort_key: string }>`
    select w.row_type, w.id, w.kind, w.customer_id, w.customer_name, w.invoice_id, w.invoice_number,
      w.title, w.due_date, w.days_late, w.balance_minor, w.currency, w.assignee, u.name as assignee_name,
      w.detail, w.paid_invoices, w.paid_on_time, w.broken_promises, w.strategic, w.revenue_share, w.model_recovery,
      w.score,
      w.rank::text as rank, w.rank::text as sort_key
    from (${worklistCandidates(orgId, asOf)}) w
    left join users u on u.org_id = ${orgId} and u.id::text = w.assignee
    where ${sql.join(filters, sql` and `)} and ${afterCursor(rankKey, sql`w.id`, params)}
    order by w.rank desc, w.id desc
    limit ${page.limit + 1}
  `.execute(db);
  return toPage(r.rows, params);
}

/**
 * Every candidate row of the worklist on `asOf` (scored items and due tasks), unfiltered and
 * unordered, with its `rank`: the one definition the flat list and the per-customer view share.
 */
export function worklistCandidates(orgId: string, asOf: string): RawBuilder<unknown> {
  return sql`
    with last_paid as (
      select a.invoice_id, max(p.received_on) as paid_on
      from allocations a join payments p on p.org_id = a.org_id and p.id = a.payment_id
      where a.org_id = ${orgId}
      group by a.invoice_id
    ), history as (
      select i.customer_id, count(*)::integer as paid_invoices,
        count(*) filter (where lp.paid_on <= i.due_date)::integer as paid_on_time
      from invoices i join last_paid lp on lp.invoice_id = i.id
      where i.org_id = ${orgId} and i.balance_minor = 0 and i.paid_minor > 0
      group by i.customer_id
    ), broken as (
      select customer_id, count(*)::integer as n from promises_to_pay
      where org_id = ${orgId} and status = 'broken' and promised_date > ${asOf}::date - 365
      group by customer_id
    ), revenue as (
      select customer_id, sum(gross_minor)::float8 as gross from invoices
      where org_id = ${orgId} and issue_date > ${asOf}::date - 365 and issue_date <= ${asOf}::date
      group by customer_id
    ), total as (
      select coalesce(sum(gross), 0)::float8 as gross from revenue
    ), customer_inputs as (
      select c.id as customer_id, c.name as customer_name, c.assigned_collector,
        coalesce(h.paid_invoices, 0) as paid_invoices, coalesce(h.paid_on_time, 0) as paid_on_time,
        coalesce(b.n, 0) as broken_promises, c.segment = 'strategic' as strategic,
        case when t.gross > 0 then coalesce(r.gross, 0) / t.gross else 0 end::float8 as revenue_share
      from customers c
      left join history h on h.customer_id = c.id
      left join broken b on b.customer_id = c.id
      left join revenue r on r.customer_id = c.id
      cross join total t
      where c.org_id = ${orgId}
    ), items as (
      select 'item'::text as row_type, i.id, 'item'::text as kind, i.customer_id, ci.customer_name,
        i.id as invoice_id, i.invoice_number, null::text as title, i.due_date,
        (${asOf}::date - i.due_date) as days_late, i.balance_minor, i.currency::text as currency,
        coalesce(i.assigned_collector, ci.assigned_collector) as assignee, null::jsonb as detail,
        ci.paid_invoices, ci.paid_on_time, ci.broken_promises, ci.strategic, ci.revenue_share,
        (1 - rs.p_unpaid_90)::float8 as model_recovery
      from invoices i join customer_inputs ci on ci.customer_id = i.customer_id
      left join invoice_risk_scores rs on rs.org_id = i.org_id and rs.invoice_id = i.id
      where i.org_id = ${orgId} and i.balance_minor > 0 and i.due_date < ${asOf}::date and not i.disputed
        and not exists (select 1 from disputes d where d.org_id = i.org_id and d.invoice_id = i.id and d.status = 'open')
        and not exists (select 1 from dunning_pauses dp where dp.org_id = i.org_id and dp.customer_id = i.customer_id
          and (dp.invoice_id is null or dp.invoice_id = i.id) and dp.cancelled_at is null and dp.until >= ${asOf}::date)
        and not exists (select 1 from promises_to_pay pr where pr.org_id = i.org_id and pr.customer_id = i.customer_id
          and pr.status = 'active' and (cardinality(pr.invoice_ids) = 0 or i.id = any(pr.invoice_ids)))
    ), scored as (
      select x.*, ${scoreExpr()} as score,
        round(${scoreExpr()} * 10000)::bigint as rank
      from items x
    ), due_tasks as (
      select 'task'::text as row_type, t.id, t.kind::text as kind, t.customer_id, ci.customer_name,
        t.invoice_id, i.invoice_number, t.title, t.due_date,
        (${asOf}::date - t.due_date) as days_late, i.balance_minor, i.currency::text as currency,
        coalesce(t.assignee, i.assigned_collector, ci.assigned_collector) as assignee, t.detail,
        ci.paid_invoices, ci.paid_on_time, ci.broken_promises, ci.strategic, ci.revenue_share,
        null::float8 as model_recovery, null::float8 as score,
        (${TASK_RANK_BASE}::bigint + least(${asOf}::date - t.due_date, 99999)::bigint * 1000000) as rank
      from tasks t
      join customer_inputs ci on ci.customer_id = t.customer_id
      left join invoices i on i.org_id = t.org_id and i.id = t.invoice_id
      where t.org_id = ${orgId} and t.status = 'open' and t.due_date <= ${asOf}::date
    )
    select * from scored union all select * from due_tasks
  `;
}
