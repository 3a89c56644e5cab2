import { type Kysely, sql } from 'kysely';
import type { ImportEntity, ImportMode } from '../schema/imports.js';
import type { Database } from '../schema/index.js';

export interface ImportBatchRecord {
  id: string;
  entity: ImportEntity;
  filename: string | null;
  mode: ImportMode;
  status: 'running' | 'committed' | 'rejected' | 'failed';
  rowsRead: number;
  accepted: number;
  rejected: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: unknown[];
}

export async function insertImportBatch(
  db: Kysely<Database>,
  orgId: string,
  b: ImportBatchRecord,
  finished: boolean,
): Promise<void> {
  await db
    .insertInto('import_batches')
    .values({
      org_id: orgId,
      id: b.id,
      entity: b.entity,
      filename: b.filename,
      mode: b.mode,
      status: b.status,
      rows_read: b.rowsRead,
      rows_accepted: b.accepted,
      rows_rejected: b.rejected,
      rows_created: b.created,
      rows_updated: b.updated,
      rows_unchanged: b.unchanged,
      errors: JSON.stringify(b.errors),
      ...(finished ? { finished_at: sql<Date>`now()` } : {}),
    })
    .execute();
}

export async function finishImportBatch(
  db: Kysely<Database>,
  orgId: string,
  b: ImportBatchRecord,
): Promise<void> {
  await db
    .updateTable('import_batches')
    .set({
      status: b.status,
      rows_read: b.rowsRead,
      rows_accepted: b.accepted,
      rows_rejected: b.rejected,
      rows_created: b.created,
      rows_updated: b.updated,
      rows_unchanged: b.unchanged,
      errors: JSON.stringify(b.errors),
      finished_at: sql<Date>`now()`,
    })
    .where('org_id', '=', orgId)
    .where('id', '=', b.id)
    .execute();
}

/**
 * Inside a chunk's transaction: add what the chunk wrote to its running batch, so the
 * counts of a batch always match what was committed, even if the process dies next.
 */
export async function advanceImportBatch(
  db: Kysely<Database>,
  orgId: string,
  batchId: string,
  landed: { accepted: number; created: number; updated: number; unchanged: number },
): Promise<void> {
  await db
    .updateTable('import_batches')
    .set((eb) => ({
      heartbeat_at: new Date(),
      rows_accepted: eb('rows_accepted', '+', landed.accepted),
      rows_created: eb('rows_created', '+', landed.created),
      rows_updated: eb('rows_updated', '+', landed.updated),
      rows_unchanged: eb('rows_unchanged', '+', landed.unchanged),
    }))
    .where('org_id', '=', orgId)
    .where('id', '=', batchId)
    .execute();
}

/**
 * Mark as failed the running batches of one organisation whose process is gone: all of them
 * when `staleAfterMs` is 0 (the embedded engine: the data-directory lock says no other
 * process can be importing), else those with no chunk committed for that long.
 */
export async function failAbandonedImportBatches(
  db: Kysely<Database>,
  orgId: string,
  staleAfterMs: number,
  now: Date = new Date(),
): Promise<{ id: string; rows_created: number; rows_updated: number }[]> {
  return db
    .updateTable('import_batches')
    .set({
      status: 'failed',
      finished_at: sql<Date>`now()`,
      failure: sql<string>`'the importing process stopped (crash, kill or restart) before the end of the file: ' || rows_accepted || ' rows landed (' || rows_created || ' created, ' || rows_updated || ' updated); re-import the file to finish, nothing is created twice'`,
    })
    .where('org_id', '=', orgId)
    .where('status', '=', 'running')
    .where(sql<boolean>`coalesce(heartbeat_at, started_at) <= ${new Date(now.getTime() - staleAfterMs)}`)
    .returning(['id', 'rows_created', 'rows_updated'])
    .execute();
}

export interface ImportDefaults {
  currency: string;
  /** Organisation setting: payments that name no invoice settle the oldest open ones. */
  autoAllocatePayments: boolean;
}

export async function getImportDefaults(
  db: Kysely<Database>,
  orgId: string,
): Promise<ImportDefaults | undefined> {
  const org = await db
    .selectFrom('organisations')
    .select(['currency', 'settings'])
    .where('id', '=', orgId)
    .executeTakeFirst();
  if (!org) return undefined;
  const settings = (org.settings ?? {}) as Record<string, unknown>;
  return { currency: org.currency.trim(), autoAllocatePayments: settings.autoAllocatePayments === true };
}

/**
 * Customer ids by external reference, for the references of one batch. A join on unnest
 * rather than `= any(array)`: under row-level security the planner only uses the
 * (org_id, external_ref) index for the join form (measured 8x faster for 1,000 refs).
 */
export async function customerIdsByRef(
  db: Kysely<Database>,
  orgId: string,
  refs: string[],
): Promise<Map<string, string>> {
  if (refs.length === 0) return new Map();
  const r = await sql<{ id: string; external_ref: string }>`
    select c.id, c.external_ref from unnest(${refs}::text[]) as r(ref)
    join customers c on c.org_id = ${orgId} and c.external_ref = r.ref
  `.execute(db);
  return new Map(r.rows.map((x) => [x.external_ref, x.id]));
}

export interface InvoiceForAllocation {
  id: string;
  invoiceNumber: string;
  customerId: string;
  dueDate: string;
  balance: number;
  currency: string;
}

const invoiceColumns = sql`id, invoice_number as "invoiceNumber", customer_id as "customerId",
  due_date as "dueDate", balance_minor as balance, trim(currency) as currency`;

export async function invoicesByNumber(
  db: Kysely<Database>,
  orgId: string,
  numbers: string[],
): Promise<Map<string, InvoiceForAllocation>> {
  if (numbers.length === 0) return new Map();
  const r = await sql<InvoiceForAllocation>`
    select ${invoiceColumns} from unnest(${numbers}::text[]) as n(num)
    join invoices on org_id = ${orgId} and invoice_number = n.num
  `.execute(db);
  return new Map(r.rows.map((i) => [i.invoiceNumber, i]));
}

/** Open invoices (balance due > 0, not disputed) of some customers, oldest due first. */
export async function openInvoicesOfCustomers(
  db: Kysely<Database>,
  orgId: string,
  customerIds: string[],
): Promise<InvoiceForAllocation[]> {
  if (customerIds.length === 0) return [];
  const r = await sql<InvoiceForAllocation>`
    select ${invoiceColumns} from invoices
    where org_id = ${orgId} and customer_id = any(${customerIds}::uuid[]) and balance_minor > 0
      and not disputed
    order by due_date, invoice_number
  `.execute(db);
  return r.rows;
}
