import { type Kysely, sql } from 'kysely';
import { refreshBalances } from '../../db/queries/balances.js';
import type { Database, DisputeReasonCode } from '../../db/schema/index.js';
import type { IsoDate } from '../../domain/calendar/index.js';

export interface DisputeToOpen {
  invoiceId: string;
  reasonCode: DisputeReasonCode;
  comment: string | null;
}

export interface OpenedDispute {
  customer_id: string;
  invoice_id: string;
  invoice_number: string;
  dispute_id: string;
  task_id: string;
}

/**
 * The one way a dispute is opened, for one invoice or many (the debtor in the portal, a
 * collector on a call or in bulk, the demo generator): in one statement, the dispute row,
 * the invoice's disputed flag (which takes it out of dunning, the portal's "pay now" total and
 * promises), and the collector's task; then the balances, so the invoice's status reads
 * 'disputed'. An invoice that already has an open dispute keeps it and is left out of the
 * result. The flag therefore always means "has an open dispute" (resolveDispute clears both;
 * migration 0036 reconciled the data written before). The caller records the evidence entry.
 */
export async function openDisputes(
  trx: Kysely<Database>,
  orgId: string,
  items: readonly DisputeToOpen[],
  opts: {
    openedBy: string;
    source: 'portal' | 'call' | 'bulk' | 'demo' | 'import';
    today: IsoDate;
    assignee?: string | null;
  },
): Promise<OpenedDispute[]> {
  if (items.length === 0) return [];
  const r = await sql<OpenedDispute>`
    with wanted as (
      select distinct on (w.invoice_id) w.invoice_id, w.reason_code, w.comment
      from unnest(
        ${items.map((i) => i.invoiceId)}::uuid[],
        ${items.map((i) => i.reasonCode)}::text[],
        ${items.map((i) => i.comment)}::text[]
      ) as w(invoice_id, reason_code, comment)
    ), target as (
      select i.org_id, i.id, i.customer_id, i.invoice_number, w.reason_code, w.comment
      from invoices i join wanted w on w.invoice_id = i.id
      where i.org_id = ${orgId}
        and not exists (select 1 from disputes d where d.org_id = i.org_id and d.invoice_id = i.id and d.status = 'open')
      for update of i
    ), opened as (
      insert into disputes (org_id, invoice_id, customer_id, reason_code, comment, opened_by)
      select org_id, id, customer_id, reason_code, comment, ${opts.openedBy} from target
      returning id, invoice_id, customer_id
    ), flagged as (
      update invoices i set disputed = true, updated_at = now() from target t
      where i.org_id = ${orgId} and i.id = t.id returning i.id
    ), tasks_made as (
      insert into tasks (org_id, customer_id, invoice_id, kind, title, detail, due_date, assignee)
      select ${orgId}, o.customer_id, o.invoice_id, 'dispute',
        'Dispute on invoice ' || t.invoice_number || ': ' || replace(t.reason_code, '_', ' '),
        jsonb_build_object('disputeId', o.id, 'reasonCode', t.reason_code, 'source', ${opts.source}::text),
        ${opts.today}::date, ${opts.assignee ?? null}
      from opened o join target t on t.id = o.invoice_id
      returning id, invoice_id
    )
    -- Data-modifying CTEs run to completion whether or not they are read (flagged).
    select o.customer_id, o.invoice_id, t.invoice_number, o.id as dispute_id, k.id as task_id
    from opened o join target t on t.id = o.invoice_id join tasks_made k on k.invoice_id = o.invoice_id
    order by t.invoice_number
  `.execute(trx);
  if (r.rows.length > 0) await refreshBalances(trx, orgId, { invoiceIds: r.rows.map((x) => x.invoice_id) });
  return r.rows;
}
