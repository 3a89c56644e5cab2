import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import type { IsoDate } from '../../domain/calendar/index.js';
import type { InstalmentProgress, ScheduledInstalment } from '../../domain/payment-plans/index.js';
import type {
  Database,
  PaymentPlanInstalmentsTable,
  PaymentPlanStatus,
  PaymentPlansTable,
} from '../schema/index.js';
import type { CustomerScope } from './customer-scope.js';

export type PaymentPlanRow = Selectable<PaymentPlansTable>;
export type PaymentPlanInstalmentRow = Selectable<PaymentPlanInstalmentsTable>;

export interface NewPaymentPlan {
  customerId: string;
  status: 'proposed' | 'pending_approval';
  invoiceIds: string[];
  currency: string;
  totalMinor: number;
  graceDays: number;
  request: Record<string, unknown>;
  createdBy: string;
  schedule: ScheduledInstalment[];
}

export async function insertPaymentPlan(
  db: Kysely<Database>,
  orgId: string,
  plan: NewPaymentPlan,
): Promise<PaymentPlanRow> {
  const row = await db
    .insertInto('payment_plans')
    .values({
      org_id: orgId,
      customer_id: plan.customerId,
      status: plan.status,
      invoice_ids: plan.invoiceIds,
      currency: plan.currency,
      total_minor: plan.totalMinor,
      grace_days: plan.graceDays,
      request: JSON.stringify(plan.request),
      created_by: plan.createdBy,
      approved_at: null,
      approved_by: null,
      accepted_at: null,
      accepted_name: null,
      document_id: null,
      document_sha256: null,
      resolved_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto('payment_plan_instalments')
    .values(
      plan.schedule.map((i) => ({
        org_id: orgId,
        plan_id: row.id,
        seq: i.seq,
        due_date: i.dueDate,
        amount_minor: i.amountMinor,
      })),
    )
    .execute();
  return row;
}

/** Plans of one customer still waiting for someone: a new request replaces them. */
export async function cancelWaitingPlans(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  now: Date,
): Promise<string[]> {
  const r = await db
    .updateTable('payment_plans')
    .set({ status: 'cancelled', resolved_at: now })
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .where('status', 'in', ['proposed', 'pending_approval'])
    .returning('id')
    .execute();
  return r.map((x) => x.id);
}

export function getPaymentPlan(
  db: Kysely<Database>,
  orgId: string,
  planId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<PaymentPlanRow | undefined> {
  let q = db.selectFrom('payment_plans').selectAll().where('org_id', '=', orgId).where('id', '=', planId);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export interface PlanFilters {
  customerId?: string;
  statuses?: PaymentPlanStatus[];
  limit?: number;
}

export function listPaymentPlans(
  db: Kysely<Database>,
  orgId: string,
  f: PlanFilters = {},
): Promise<PaymentPlanRow[]> {
  let q = db.selectFrom('payment_plans').selectAll().where('org_id', '=', orgId);
  if (f.customerId) q = q.where('customer_id', '=', f.customerId);
  if (f.statuses && f.statuses.length > 0) q = q.where('status', 'in', f.statuses);
  return q
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(f.limit ?? 500)
    .execute();
}

export async function instalmentsOfPlans(
  db: Kysely<Database>,
  orgId: string,
  planIds: string[],
): Promise<Map<string, PaymentPlanInstalmentRow[]>> {
  const out = new Map<string, PaymentPlanInstalmentRow[]>();
  if (planIds.length === 0) return out;
  const rows = await db
    .selectFrom('payment_plan_instalments')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('plan_id', 'in', planIds)
    .orderBy('plan_id')
    .orderBy('seq')
    .execute();
  for (const r of rows) {
    const list = out.get(r.plan_id);
    if (list) list.push(r);
    else out.set(r.plan_id, [r]);
  }
  return out;
}

export async function setPlanStatus(
  db: Kysely<Database>,
  orgId: string,
  planId: string,
  set: Partial<
    Pick<
      PaymentPlanRow,
      | 'status'
      | 'approved_at'
      | 'approved_by'
      | 'accepted_at'
      | 'accepted_name'
      | 'document_id'
      | 'document_sha256'
      | 'resolved_at'
    >
  >,
): Promise<void> {
  await db
    .updateTable('payment_plans')
    .set(set)
    .where('org_id', '=', orgId)
    .where('id', '=', planId)
    .execute();
}

export interface ActivePlanBalance {
  plan: PaymentPlanRow;
  /** What is still owed on the plan's items (balances derived from allocations). */
  owedMinor: number;
}

/**
 * Active plans (of some customers, or all) with what is still owed on their items, locked
 * for the caller's update: the tracking below and a concurrent payment cannot cross.
 */
export async function activePlansWithBalance(
  db: Kysely<Database>,
  orgId: string,
  customerIds: string[] | 'all',
): Promise<ActivePlanBalance[]> {
  if (customerIds !== 'all' && customerIds.length === 0) return [];
  const r = await sql<PaymentPlanRow & { owed_minor: number }>`
    select p.*, coalesce((
      select sum(i.balance_minor) from invoices i
      where i.org_id = p.org_id and i.id = any(p.invoice_ids) and i.balance_minor > 0
    ), 0)::bigint as owed_minor
    from payment_plans p
    where p.org_id = ${orgId} and p.status = 'active'
      ${customerIds === 'all' ? sql`` : sql`and p.customer_id = any(${customerIds}::uuid[])`}
    order by p.id
    for update of p
  `.execute(db);
  return r.rows.map(({ owed_minor, ...plan }) => ({ plan, owedMinor: Number(owed_minor) }));
}

/** Write the derived progress of one plan's instalments (few rows per plan). */
export async function writeInstalmentProgress(
  db: Kysely<Database>,
  orgId: string,
  planId: string,
  progress: readonly InstalmentProgress[],
): Promise<void> {
  if (progress.length === 0) return;
  await sql`
    update payment_plan_instalments s
    set paid_minor = v.paid_minor, status = v.status
    from unnest(${progress.map((p) => p.seq)}::int[], ${progress.map((p) => p.paidMinor)}::bigint[],
      ${progress.map((p) => p.status)}::text[]) as v(seq, paid_minor, status)
    where s.org_id = ${orgId} and s.plan_id = ${planId} and s.seq = v.seq
      and (s.paid_minor <> v.paid_minor or s.status <> v.status)
  `.execute(db);
}

/**
 * Invoices of the customers in `customers` covered by an active plan in good standing: what
 * was paid on its items (total minus what they still owe) reaches every instalment whose due
 * date plus the grace days has passed. Derived from balances, not from the stored progress,
 * so a payment imported an hour ago counts at once. The dunning planner and delivery leave
 * these items alone; a plan that slips stops protecting them, before the daily check
 * defaults it. A query to embed in the statement that needs it.
 */
export function invoicesInPlansInGoodStandingQuery(
  orgId: string,
  customers: CustomerScope,
  today: IsoDate,
): RawBuilder<{ invoice_id: string }> {
  return sql<{ invoice_id: string }>`
    with plans as (
      select p.id, p.invoice_ids, p.total_minor,
        coalesce((
          select sum(i.balance_minor) from invoices i
          where i.org_id = p.org_id and i.id = any(p.invoice_ids) and i.balance_minor > 0
        ), 0) as owed,
        coalesce((
          select sum(s.amount_minor) from payment_plan_instalments s
          where s.org_id = p.org_id and s.plan_id = p.id and s.due_date + p.grace_days < ${today}::date
        ), 0) as required
      from payment_plans p
      where p.org_id = ${orgId} and p.status = 'active' and ${customers('p.customer_id')}
    )
    select distinct unnest(invoice_ids) as invoice_id from plans where total_minor - owed >= required
  `;
}
