import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../schema/index.js';

/**
 * Set-based writes of imported rows: one statement per batch whatever its size
 * (INSERT … SELECT FROM unnest(arrays) ON CONFLICT … DO UPDATE … WHERE something changed).
 */
export type PgType = 'text' | 'date' | 'bigint' | 'integer' | 'uuid';

export interface ColumnSpec {
  name: string;
  type: PgType;
  values: unknown[];
  /** SQL used on insert when the value is null (the column's NOT NULL default). */
  insertDefault?: string;
  /** Overwrite on re-import. Columns absent from the file are not, so they keep their value. */
  update: boolean;
}

export interface UpsertSpec {
  table: 'customers' | 'invoices' | 'payments' | 'credit_notes';
  /** Entity name written to ledger_history. */
  entity: string;
  /** The organisation's natural key (unique with org_id). */
  key: string;
  columns: ColumnSpec[];
  /** Extra insert-only columns computed from the source row, e.g. balance_minor = gross. */
  insertExtras?: Record<string, string>;
  hasUpdatedAt: boolean;
  hasBatchColumn: boolean;
}

export interface UpsertedRow {
  id: string;
  key: string;
  inserted: boolean;
}

export interface UpsertResult {
  created: number;
  updated: number;
  unchanged: number;
  /** Created and updated rows (unchanged rows are not returned by the statement). */
  rows: UpsertedRow[];
}

const ident = (s: string) => sql.raw(`"${s.replaceAll('"', '""')}"`);

/**
 * Upsert a batch and record one ledger_history row per updated entity with the old and
 * new value of each changed field. `old` reads the rows as they were before the statement
 * (all CTEs share one snapshot), which is what makes the history exact.
 */
export async function upsertBatch(
  db: Kysely<Database>,
  orgId: string,
  batchId: string,
  actor: string | null,
  spec: UpsertSpec,
): Promise<UpsertResult> {
  const n = spec.columns[0]?.values.length ?? 0;
  if (n === 0) return { created: 0, updated: 0, unchanged: 0, rows: [] };
  const cols = spec.columns;
  const table = ident(spec.table);
  const key = ident(spec.key);
  const updates = cols.filter((c) => c.update && c.name !== spec.key);
  const arrays = sql.join(cols.map((c) => sql`${c.values}::${sql.raw(c.type)}[]`));
  const names = sql.join(cols.map((c) => ident(c.name)));
  const insertCols: RawBuilder<unknown>[] = cols.map((c) => ident(c.name));
  const insertVals: RawBuilder<unknown>[] = cols.map((c) =>
    c.insertDefault
      ? sql`coalesce(s.${ident(c.name)}, ${sql.raw(c.insertDefault)})`
      : sql`s.${ident(c.name)}`,
  );
  for (const [col, expr] of Object.entries(spec.insertExtras ?? {})) {
    insertCols.push(ident(col));
    insertVals.push(sql.raw(expr));
  }
  if (spec.hasBatchColumn) {
    insertCols.push(sql.raw('import_batch_id'));
    insertVals.push(sql`${batchId}::uuid`);
  }
  const setList: RawBuilder<unknown>[] = updates.map(
    (c) => sql`${ident(c.name)} = excluded.${ident(c.name)}`,
  );
  if (spec.hasUpdatedAt) setList.push(sql`updated_at = now()`);
  if (spec.hasBatchColumn) setList.push(sql`import_batch_id = excluded.import_batch_id`);
  const tCols = sql.join(updates.map((c) => sql`t.${ident(c.name)}`));
  const exCols = sql.join(updates.map((c) => sql`excluded.${ident(c.name)}`));
  const changes = sql.join(
    updates.map(
      (c) =>
        sql`${c.name}::text, case when o.${ident(c.name)} is distinct from up.${ident(c.name)}
          then jsonb_build_object('old', o.${ident(c.name)}, 'new', up.${ident(c.name)}) end`,
    ),
  );
  const result = await sql<{ id: string; key: string; inserted: boolean }>`
    with src as (
      select * from unnest(${arrays}) as s(${names})
    ), old as (
      select t.id, ${tCols} from ${table} t join src s on t.${key} = s.${key}
      where t.org_id = ${orgId}
    ), up as (
      insert into ${table} as t (org_id, ${sql.join(insertCols)})
      select ${orgId}::uuid, ${sql.join(insertVals)} from src s
      on conflict (org_id, ${key}) do update set ${sql.join(setList)}
      where (${tCols}) is distinct from (${exCols})
      returning t.id, t.${key} as key, (t.xmax = 0) as inserted, ${tCols}
    ), hist as (
      insert into ledger_history (org_id, entity, entity_id, action, changes, import_batch_id, actor)
      select ${orgId}::uuid, ${spec.entity}, up.id, 'updated',
        jsonb_strip_nulls(jsonb_build_object(${changes})), ${batchId}::uuid, ${actor}
      from up join old o on o.id = up.id
      where not up.inserted
    )
    select id, key, inserted from up
  `.execute(db);
  let created = 0;
  for (const r of result.rows) if (r.inserted) created++;
  const updated = result.rows.length - created;
  return { created, updated, unchanged: n - created - updated, rows: result.rows };
}

export interface ContactColumns {
  customerRefs: string[];
  names: (string | null)[];
  emails: (string | null)[];
  phones: (string | null)[];
}

/**
 * The primary contact of imported customers: updated in place when it exists, created
 * otherwise; rows with no contact data are left alone.
 */
export async function upsertPrimaryContacts(
  db: Kysely<Database>,
  orgId: string,
  c: ContactColumns,
): Promise<void> {
  if (c.customerRefs.length === 0) return;
  const src = sql`
    select cu.id as customer_id, s.name, s.email, s.phone
    from unnest(${c.customerRefs}::text[], ${c.names}::text[], ${c.emails}::text[], ${c.phones}::text[])
      as s(ref, name, email, phone)
    join customers cu on cu.org_id = ${orgId} and cu.external_ref = s.ref
    where coalesce(s.name, s.email, s.phone) is not null`;
  await sql`
    with src as (${src})
    update contacts ct set name = src.name, email = src.email, phone = src.phone
    from src
    where ct.org_id = ${orgId} and ct.customer_id = src.customer_id and ct.is_primary
      and (ct.name, ct.email, ct.phone) is distinct from (src.name, src.email, src.phone)
  `.execute(db);
  await sql`
    with src as (${src})
    insert into contacts (org_id, customer_id, name, email, phone, is_primary)
    select ${orgId}::uuid, src.customer_id, src.name, src.email, src.phone, true from src
    where not exists (
      select 1 from contacts ct where ct.org_id = ${orgId} and ct.customer_id = src.customer_id and ct.is_primary)
  `.execute(db);
}

export interface AllocationRows {
  invoiceIds: string[];
  paymentIds: (string | null)[];
  creditNoteIds: (string | null)[];
  amounts: number[];
}

export async function insertAllocations(
  db: Kysely<Database>,
  orgId: string,
  a: AllocationRows,
): Promise<void> {
  if (a.invoiceIds.length === 0) return;
  await sql`
    insert into allocations (org_id, invoice_id, payment_id, credit_note_id, amount_minor)
    select ${orgId}::uuid, s.invoice_id, s.payment_id, s.credit_note_id, s.amount
    from unnest(${a.invoiceIds}::uuid[], ${a.paymentIds}::uuid[], ${a.creditNoteIds}::uuid[], ${a.amounts}::bigint[])
      as s(invoice_id, payment_id, credit_note_id, amount)
  `.execute(db);
}

/**
 * Remove the allocations of payments or credit notes that a re-import changed, before they
 * are allocated again; returns the invoices whose balance must be refreshed.
 */
export async function deleteAllocationsOf(
  db: Kysely<Database>,
  orgId: string,
  of: { paymentIds?: string[]; creditNoteIds?: string[] },
): Promise<string[]> {
  const p = of.paymentIds ?? [];
  const c = of.creditNoteIds ?? [];
  if (p.length === 0 && c.length === 0) return [];
  const r = await sql<{ invoice_id: string }>`
    delete from allocations
    where org_id = ${orgId} and (payment_id = any(${p}::uuid[]) or credit_note_id = any(${c}::uuid[]))
    returning invoice_id
  `.execute(db);
  return [...new Set(r.rows.map((x) => x.invoice_id))];
}

/** Customers created on the fly by an invoice import that names them (ref + name). */
export async function ensureCustomers(
  db: Kysely<Database>,
  orgId: string,
  refs: string[],
  names: string[],
  currencies: string[],
): Promise<Map<string, string>> {
  if (refs.length === 0) return new Map();
  const r = await sql<{ id: string; external_ref: string }>`
    insert into customers (org_id, external_ref, name, currency)
    select ${orgId}::uuid, s.ref, s.name, s.currency
    from unnest(${refs}::text[], ${names}::text[], ${currencies}::text[]) as s(ref, name, currency)
    on conflict (org_id, external_ref) do nothing
    returning id, external_ref
  `.execute(db);
  return new Map(r.rows.map((x) => [x.external_ref, x.id]));
}
