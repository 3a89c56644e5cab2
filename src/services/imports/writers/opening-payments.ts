import { type Kysely, sql } from 'kysely';
import { refreshBalances } from '../../../db/queries/balances.js';
import { invoicesByNumber } from '../../../db/queries/imports.js';
import type { Database } from '../../../db/schema/index.js';
import type { InvoiceRecord } from '../../../domain/import/validate.js';
import type { WriteContext } from './context.js';

/** Payment reference of the amount an invoice file says was already paid before import. */
export const openingReference = (invoiceNumber: string) => `opening:${invoiceNumber}`;

/**
 * An invoice file may say how much of each invoice is already paid. Balances derive from
 * allocations only, so that amount becomes one payment per invoice (reference
 * "opening:<invoice number>", received on the settled date when the file has one — the US
 * "SettledDate" — else on the import day) fully allocated to it. A re-import with another amount replaces it; 0 removes it.
 */
export async function writeOpeningPayments(
  trx: Kysely<Database>,
  ctx: WriteContext,
  rows: InvoiceRecord[],
  customerIds: Map<string, string>,
): Promise<void> {
  const withPaid = rows.filter((r) => r.paidAmount !== null);
  const invoices = await invoicesByNumber(
    trx,
    ctx.orgId,
    rows.map((r) => r.invoiceNumber),
  );
  if (withPaid.length > 0) {
    const nums = withPaid.map((r) => r.invoiceNumber);
    const invoiceIds = withPaid.map((r) => invoices.get(r.invoiceNumber)?.id ?? null);
    const custIds = withPaid.map((r) => customerIds.get(r.customerRef) ?? null);
    const paid = withPaid.map((r) => r.paidAmount ?? 0);
    const currencies = withPaid.map((r) => r.currency);
    const paidOn = withPaid.map((r) => r.paidOn);
    const src = sql`select * from unnest(${nums}::text[], ${invoiceIds}::uuid[], ${custIds}::uuid[],
      ${paid}::bigint[], ${currencies}::text[], ${paidOn}::date[])
      as s(num, invoice_id, customer_id, paid, currency, paid_on)`;
    await sql`
      with src as (${src})
      delete from payments p using src s
      where p.org_id = ${ctx.orgId} and p.payment_reference = 'opening:' || s.num
        and ((p.amount_minor, p.customer_id, p.currency) is distinct from (s.paid, s.customer_id, s.currency::bpchar)
          or (s.paid_on is not null and p.received_on is distinct from s.paid_on))
    `.execute(trx);
    await sql`
      with src as (${src}), ins as (
        insert into payments (org_id, customer_id, payment_reference, received_on, currency, amount_minor,
          method, unallocated_minor, import_batch_id)
        select ${ctx.orgId}::uuid, s.customer_id, 'opening:' || s.num, coalesce(s.paid_on, current_date), s.currency, s.paid,
          'other', 0, ${ctx.batchId}::uuid
        from src s where s.paid > 0
        on conflict (org_id, payment_reference) do nothing
        returning id, payment_reference, amount_minor
      )
      insert into allocations (org_id, invoice_id, payment_id, amount_minor)
      select ${ctx.orgId}::uuid, s.invoice_id, ins.id, ins.amount_minor
      from ins join src s on ins.payment_reference = 'opening:' || s.num
    `.execute(trx);
  }
  const all = [...invoices.values()].map((i) => i.id);
  if (all.length > 0) await refreshBalances(trx, ctx.orgId, { invoiceIds: all });
}
