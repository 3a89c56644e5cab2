import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema/index.js';

/**
 * The one place balances are computed. Invoice paid/credited/balance/status, payment and
 * credit-note unallocated amounts are derived from allocations here and nowhere else;
 * every use case that writes allocations, write-offs or disputes calls this in the same
 * transaction. Set-based: one statement per table whatever the number of rows.
 *
 * `scope` limits the work: invoice ids, customer ids, or the whole organisation.
 */
export type BalanceScope = { invoiceIds: string[] } | { customerIds: string[] } | { all: true };

function invoiceFilter(scope: BalanceScope) {
  if ('invoiceIds' in scope) return sql`and i.id = any(${scope.invoiceIds}::uuid[])`;
  if ('customerIds' in scope) return sql`and i.customer_id = any(${scope.customerIds}::uuid[])`;
  return sql``;
}

export async function refreshBalances(
  db: Kysely<Database>,
  orgId: string,
  scope: BalanceScope,
): Promise<void> {
  await sql`
    with totals as (
      select i.org_id, i.id,
        coalesce(sum(a.amount_minor) filter (where a.payment_id is not null), 0)::bigint as paid,
        coalesce(sum(a.amount_minor) filter (where a.credit_note_id is not null), 0)::bigint as credited
      from invoices i
      left join allocations a on a.org_id = i.org_id and a.invoice_id = i.id
      where i.org_id = ${orgId} ${invoiceFilter(scope)}
      group by i.org_id, i.id
    ), next as (
      select t.org_id, t.id, t.paid, t.credited, b.balance,
        case
          when b.balance <= 0 and i.written_off_minor > 0 then 'written_off'
          when b.balance <= 0 and t.credited > 0 and t.credited >= t.paid then 'credited'
          when b.balance <= 0 then 'paid'
          when i.disputed then 'disputed'
          when t.paid + t.credited > 0 then 'partially_paid'
          else 'open'
        end as status
      from invoices i
      join totals t on t.org_id = i.org_id and t.id = i.id
      cross join lateral (select i.gross_minor - t.paid - t.credited - i.written_off_minor as balance) b
    )
    update invoices i set
      paid_minor = n.paid,
      credited_minor = n.credited,
      balance_minor = n.balance,
      status = n.status,
      updated_at = now()
    from next n
    where i.org_id = n.org_id and i.id = n.id
      and (i.paid_minor, i.credited_minor, i.balance_minor, i.status)
        is distinct from (n.paid, n.credited, n.balance, n.status)
  `.execute(db);

  const paymentFilter =
    'customerIds' in scope
      ? sql`and p.customer_id = any(${scope.customerIds}::uuid[])`
      : 'invoiceIds' in scope
        ? sql`and p.id in (select payment_id from allocations where org_id = ${orgId} and invoice_id = any(${scope.invoiceIds}::uuid[]))`
        : sql``;
  // Only rows whose figure changes are written: a full refresh must not rewrite every payment.
  await sql`
    with t as (
      select p.org_id, p.id, p.amount_minor - coalesce(sum(a.amount_minor), 0) as unallocated
      from payments p
      left join allocations a on a.org_id = p.org_id and a.payment_id = p.id
      where p.org_id = ${orgId} ${paymentFilter}
      group by p.org_id, p.id
    )
    update payments p set unallocated_minor = t.unallocated
    from t where p.org_id = t.org_id and p.id = t.id and p.unallocated_minor is distinct from t.unallocated
  `.execute(db);

  const creditFilter =
    'customerIds' in scope
      ? sql`and c.customer_id = any(${scope.customerIds}::uuid[])`
      : 'invoiceIds' in scope
        ? sql`and c.id in (select credit_note_id from allocations where org_id = ${orgId} and invoice_id = any(${scope.invoiceIds}::uuid[]))`
        : sql``;
  await sql`
    with t as (
      select c.org_id, c.id, c.gross_minor - coalesce(sum(a.amount_minor), 0) as unallocated
      from credit_notes c
      left join allocations a on a.org_id = c.org_id and a.credit_note_id = c.id
      where c.org_id = ${orgId} ${creditFilter}
      group by c.org_id, c.id
    )
    update credit_notes c set unallocated_minor = t.unallocated
    from t where c.org_id = t.org_id and c.id = t.id and c.unallocated_minor is distinct from t.unallocated
  `.execute(db);
}
