import { type Kysely, sql } from 'kysely';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database, DisputeReasonCode } from '../../db/schema/index.js';
import { compareDates, zonedParts } from '../../domain/calendar/index.js';
import type { EvidenceKind } from '../../domain/dunning/evidence.js';
import { cleanComment } from '../../domain/portal/index.js';
import { AppError, notFound } from '../../errors.js';
import { openDisputes } from '../disputes/open-disputes.js';
import { type Actor, actorLabel, checkCollector } from '../worklist/actor.js';

export const MAX_BULK_INVOICES = 500;

export type BulkInvoiceAction =
  | { action: 'pause'; until: string; reason: string }
  | { action: 'assign'; collector: string | null }
  | { action: 'dispute'; disputeReason: DisputeReasonCode; comment?: string | null | undefined };

export interface BulkInvoiceResult {
  action: BulkInvoiceAction['action'];
  /** Rows written: pauses created, invoices reassigned, disputes opened. */
  changed: number;
  /** Invoices left as they were (already disputed). */
  unchanged: number;
  customers: number;
}

interface Touched {
  customer_id: string;
  invoice_id: string;
  invoice_number: string;
}

/**
 * One action on many invoices, all or nothing: every id must be an invoice of the
 * organisation (the error names each one that is not), then one set-based statement writes
 * them all. Runs inside the caller's transaction, so a failure leaves nothing half done.
 */
export async function bulkInvoices(
  trx: Kysely<Database>,
  orgId: string,
  invoiceIds: string[],
  a: BulkInvoiceAction,
  actor: Actor,
  now: Date,
): Promise<BulkInvoiceResult> {
  const ids = [...new Set(invoiceIds)];
  const missing = await sql<{ id: string; pos: number }>`
    select w.id, w.pos::integer as pos from unnest(${ids}::uuid[]) with ordinality as w(id, pos)
    left join invoices i on i.org_id = ${orgId} and i.id = w.id
    where i.id is null order by w.pos
  `.execute(trx);
  const firstMissing = missing.rows[0];
  if (firstMissing) {
    throw new AppError(
      'NOT_FOUND',
      `Invoice ${firstMissing.id} not found${missing.rows.length > 1 ? ` (and ${missing.rows.length - 1} more)` : ''}: nothing was changed`,
      missing.rows.map((r) => ({
        field: 'invoiceIds',
        value: r.id,
        reason: 'no such invoice in this organisation',
      })),
    );
  }
  const by = actorLabel(actor);
  const org = await getOrganisation(trx, orgId);
  if (!org) throw notFound('Organisation', orgId);
  const today = zonedParts(now, org.time_zone).date;
  let touched: Touched[];
  let unchanged = 0;
  let kind: EvidenceKind;
  let describe: (numbers: string[]) => string;
  let payload: Record<string, unknown>;

  if (a.action === 'pause') {
    if (compareDates(a.until, today) < 0) {
      throw new AppError('VALIDATION', `until must be ${today} or later`, [
        { field: 'until', value: a.until, reason: `must be ${today} or later` },
      ]);
    }
    const r = await sql<Touched>`
      insert into dunning_pauses (org_id, customer_id, invoice_id, reason, until, created_by)
      select i.org_id, i.customer_id, i.id, ${a.reason}, ${a.until}::date, ${by}
      from invoices i where i.org_id = ${orgId} and i.id = any(${ids}::uuid[])
      returning customer_id, invoice_id, (select invoice_number from invoices x where x.org_id = ${orgId} and x.id = invoice_id) as invoice_number
    `.execute(trx);
    touched = r.rows;
    kind = 'pause';
    describe = (n) => `dunning paused until ${a.until} (${a.reason}): ${n.join(', ')}`;
    payload = { until: a.until, reason: a.reason };
  } else if (a.action === 'assign') {
    const collector = await checkCollector(trx, orgId, a.collector, 'collector');
    const r = await sql<Touched>`
      update invoices set assigned_collector = ${collector}, updated_at = now()
      where org_id = ${orgId} and id = any(${ids}::uuid[])
      returning customer_id, id as invoice_id, invoice_number
    `.execute(trx);
    touched = r.rows;
    kind = 'note';
    describe = (n) =>
      `${collector ? `assigned to collector ${collector}` : 'collector assignment removed'}: ${n.join(', ')}`;
    payload = { collector };
  } else {
    const comment = cleanComment(a.comment);
    const settled = await trx
      .selectFrom('invoices')
      .select(['id', 'invoice_number'])
      .where('org_id', '=', orgId)
      .where('id', 'in', ids)
      .where('balance_minor', '<=', 0)
      .execute();
    if (settled.length > 0) {
      throw new AppError(
        'CONFLICT',
        `Invoice ${settled[0]?.invoice_number} has nothing left to pay: nothing was changed`,
        settled.map((s) => ({
          field: 'invoiceIds',
          value: s.id,
          reason: `${s.invoice_number} has no balance due`,
        })),
      );
    }
    // Invoices already under an open dispute keep it; the others get a dispute, the disputed
    // flag (which takes them out of dunning) and a task: the one dispute use case.
    touched = await openDisputes(
      trx,
      orgId,
      ids.map((invoiceId) => ({ invoiceId, reasonCode: a.disputeReason, comment })),
      { openedBy: by, source: 'bulk', today },
    );
    unchanged = ids.length - touched.length;
    kind = 'dispute';
    describe = (n) => `disputed (${a.disputeReason}): ${n.join(', ')}`;
    payload = { reasonCode: a.disputeReason, comment };
  }

  // One evidence entry per customer: the chain is per customer, the write above was the bulk.
  const byCustomer = new Map<string, Touched[]>();
  for (const t of touched) byCustomer.set(t.customer_id, [...(byCustomer.get(t.customer_id) ?? []), t]);
  for (const [customerId, rows] of byCustomer) {
    await appendEvidenceEntry(trx, orgId, {
      customerId,
      kind,
      channel: null,
      summary: describe(rows.map((r) => r.invoice_number)),
      payload: {
        bulk: true,
        action: a.action,
        invoiceIds: rows.map((r) => r.invoice_id),
        invoiceNumbers: rows.map((r) => r.invoice_number),
        by,
        ...payload,
      },
      contentSha256: null,
      at: now,
    });
  }
  return { action: a.action, changed: touched.length, unchanged, customers: byCustomer.size };
}
