import { type Kysely, sql } from 'kysely';
import { STAYING_KIND_LIST } from '../../db/queries/solvency.js';
import type { Database } from '../../db/schema/index.js';
import { type CreditFacts, type CreditPosition, creditPosition } from '../../domain/solvency/credit.js';
import { JUDGMENT_LABEL_FR, type JudgmentKind } from '../../domain/solvency/judgments.js';

/** One customer's exposure against its limit, and its group's when it belongs to one. */
export async function customerCreditPosition(
  trx: Kysely<Database>,
  orgId: string,
  customerId: string,
): Promise<{
  customer: CreditPosition;
  group: (CreditPosition & { key: string; name: string | null }) | null;
}> {
  const r = await sql<{ limit: string | null; open: string; orders: string; grp: string | null }>`
    select c.credit_limit_minor as limit, c.pending_orders_minor as orders, c.credit_group as grp,
      coalesce((select sum(i.balance_minor) from invoices i
        where i.org_id = c.org_id and i.customer_id = c.id and i.balance_minor > 0), 0) as open
    from customers c where c.org_id = ${orgId} and c.id = ${customerId}
  `.execute(trx);
  const row = r.rows[0];
  if (!row) throw new Error(`customer ${customerId} vanished`);
  const customer = creditPosition({
    limitMinor: row.limit === null ? null : Number(row.limit),
    openBalanceMinor: Number(row.open),
    pendingOrdersMinor: Number(row.orders),
  });
  if (!row.grp) return { customer, group: null };
  const g = await sql<{ limit: string | null; name: string | null; open: string; orders: string }>`
    select g.credit_limit_minor as limit, g.name,
      coalesce((select sum(i.balance_minor) from invoices i join customers c2
        on c2.org_id = i.org_id and c2.id = i.customer_id
        where i.org_id = ${orgId} and c2.credit_group = ${row.grp} and i.balance_minor > 0), 0) as open,
      coalesce((select sum(c3.pending_orders_minor) from customers c3
        where c3.org_id = ${orgId} and c3.credit_group = ${row.grp}), 0) as orders
    from (select 1) one left join credit_groups g on g.org_id = ${orgId} and g.key = ${row.grp}
  `.execute(trx);
  const gr = g.rows[0];
  return {
    customer,
    group: {
      key: row.grp,
      name: gr?.name ?? null,
      ...creditPosition({
        limitMinor: gr?.limit === null || gr?.limit === undefined ? null : Number(gr.limit),
        openBalanceMinor: Number(gr?.open ?? 0),
        pendingOrdersMinor: Number(gr?.orders ?? 0),
      }),
    },
  };
}

/** Proceedings of a SIREN: is one open (a staying judgment not followed by a closure)? */
export async function proceedingFacts(trx: Kysely<Database>, orgId: string, siren: string) {
  const judgments = await trx
    .selectFrom('insolvency_judgments')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('siren', '=', siren)
    .orderBy('judgment_date')
    .orderBy('publication_date')
    .execute();
  let open: CreditFacts['openProceeding'] = null;
  let inPlan = false;
  const seen = new Set<string>();
  for (const j of judgments) {
    const key = `${j.publication_date}|${j.announcement_number}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const kind = j.kind as JudgmentKind;
    if ((STAYING_KIND_LIST as readonly string[]).includes(kind)) {
      open = { label: JUDGMENT_LABEL_FR[kind], judgmentDate: j.judgment_date };
      inPlan = false;
    } else if (kind === 'plan') {
      inPlan = true;
      open = null;
    } else if (
      kind === 'closure_debts_paid' ||
      kind === 'closure_insufficient_assets' ||
      kind === 'end_of_procedure'
    ) {
      open = null;
      inPlan = false;
    }
  }
  return { judgments, openProceeding: open, inPlan };
}

/** Payment history at this organisation of the customers with a SIREN. */
export async function paymentHistory(trx: Kysely<Database>, orgId: string, siren: string, today: string) {
  const r = await sql<{ paid: string; avg_late: string | null; overdue: string; customers: string }>`
    select
      (select count(*) from customers c where c.org_id = ${orgId} and c.siren = ${siren}) as customers,
      count(x.id) as paid,
      avg(greatest(0, x.last_paid - x.due_date)) as avg_late,
      coalesce((select sum(i.balance_minor) from invoices i join customers c on c.org_id = i.org_id and c.id = i.customer_id
        where i.org_id = ${orgId} and c.siren = ${siren} and i.balance_minor > 0 and i.due_date < ${today}::date), 0) as overdue
    from (
      select i.id, i.due_date, max(p.received_on) as last_paid
      from invoices i
      join customers c on c.org_id = i.org_id and c.id = i.customer_id
      join allocations a on a.org_id = i.org_id and a.invoice_id = i.id
      join payments p on p.org_id = a.org_id and p.id = a.payment_id
      where i.org_id = ${orgId} and c.siren = ${siren} and i.status = 'paid'
      group by i.id, i.due_date
    ) x
  `.execute(trx);
  const row = r.rows[0];
  if (!row || Number(row.customers) === 0) return null;
  return {
    invoicesPaid: Number(row.paid),
    averageDaysLate: row.avg_late === null ? null : Number(row.avg_late),
    overdueMinor: Number(row.overdue),
  };
}
