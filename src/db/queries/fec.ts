import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema/index.js';

/**
 * SQL of the FEC import (src/services/imports/import-fec.ts). Every write is set-based:
 * one statement per chunk of a few thousand rows, arrays passed through unnest.
 */
export const CHUNK = 5_000;

export function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export interface CustomerRow {
  id: string;
  ref: string;
  termsDays: number | null;
}

/** Customers by accounting code, created when missing (name from the books). */
export async function ensureFecCustomers(
  db: Kysely<Database>,
  orgId: string,
  refs: string[],
  names: string[],
  currency: string,
): Promise<{ rows: CustomerRow[]; created: number }> {
  let created = 0;
  const rows: CustomerRow[] = [];
  for (const idx of chunks(refs.map((_, i) => i))) {
    const r = idx.map((i) => refs[i] ?? '');
    const n = idx.map((i) => names[i] ?? '');
    const ins = await sql<{ id: string }>`
      insert into customers (org_id, external_ref, name, currency)
      select ${orgId}::uuid, s.ref, s.name, ${currency}
      from unnest(${r}::text[], ${n}::text[]) as s(ref, name)
      on conflict (org_id, external_ref) do nothing
      returning id`.execute(db);
    created += ins.rows.length;
    const sel = await sql<{ id: string; ref: string; terms_days: number | null }>`
      select id, external_ref as ref, payment_terms_days as terms_days from customers
      where org_id = ${orgId} and external_ref = any(${r}::text[])`.execute(db);
    for (const x of sel.rows) rows.push({ id: x.id, ref: x.ref, termsDays: x.terms_days });
  }
  return { rows, created };
}

export interface ExistingFecItem {
  key: string;
  kind: 'invoice' | 'credit_note' | 'payment';
  entityId: string;
  amountMinor: number;
  letter: string | null;
  disappeared: boolean;
}

export async function loadFecItems(db: Kysely<Database>, orgId: string): Promise<ExistingFecItem[]> {
  const r = await sql<{
    fec_key: string;
    kind: ExistingFecItem['kind'];
    entity_id: string;
    amount_minor: number;
    letter: string | null;
    disappeared: boolean;
  }>`select fec_key, kind, entity_id, amount_minor, letter, disappeared_at is not null as disappeared
     from fec_items where org_id = ${orgId}`.execute(db);
  return r.rows.map((x) => ({
    key: x.fec_key,
    kind: x.kind,
    entityId: x.entity_id,
    amountMinor: x.amount_minor,
    letter: x.letter,
    disappeared: x.disappeared,
  }));
}

/** Numbers among `numbers` already used in the table (by rows from other sources). */
export async function takenNumbers(
  db: Kysely<Database>,
  orgId: string,
  kind: 'invoice' | 'credit_note' | 'payment',
  numbers: string[],
): Promise<Set<string>> {
  const taken = new Set<string>();
  for (const part of chunks(numbers)) {
    const q =
      kind === 'invoice'
        ? sql<{
            n: string;
          }>`select invoice_number as n from invoices where org_id = ${orgId} and invoice_number = any(${part}::text[])`
        : kind === 'credit_note'
          ? sql<{
              n: string;
            }>`select credit_note_number as n from credit_notes where org_id = ${orgId} and credit_note_number = any(${part}::text[])`
          : sql<{
              n: string;
            }>`select payment_reference as n from payments where org_id = ${orgId} and payment_reference = any(${part}::text[])`;
    for (const r of (await q.execute(db)).rows) taken.add(r.n);
  }
  return taken;
}

export interface NewItems {
  keys: string[];
  numbers: string[];
  customerIds: string[];
  dates: string[];
  dueDates: (string | null)[];
  amounts: number[];
  descriptions: string[];
  methods: string[];
  letters: (string | null)[];
}

/**
 * Insert new invoices, credit notes or payments and their fec_items rows in one statement
 * (the entity's own key column carries the fec_key back from RETURNING).
 */
export async function insertFecEntities(
  db: Kysely<Database>,
  orgId: string,
  importId: string,
  kind: 'invoice' | 'credit_note' | 'payment',
  currency: string,
  n: NewItems,
): Promise<void> {
  if (n.keys.length === 0) return;
  const src = sql`unnest(${n.keys}::text[], ${n.numbers}::text[], ${n.customerIds}::uuid[], ${n.dates}::date[],
    ${n.dueDates}::date[], ${n.amounts}::bigint[], ${n.descriptions}::text[], ${n.methods}::text[], ${n.letters}::text[])
    as s(key, number, customer_id, day, due, amount, descr, method, letter)`;
  const insert =
    kind === 'invoice'
      ? sql`insert into invoices (org_id, customer_id, invoice_number, external_id, issue_date, due_date,
          currency, gross_minor, balance_minor, description, import_batch_id)
        select ${orgId}::uuid, s.customer_id, s.number, s.key, s.day, s.due, ${currency},
          s.amount, s.amount, nullif(s.descr, ''), ${importId}::uuid from src s
        returning id, external_id as key`
      : kind === 'credit_note'
        ? sql`insert into credit_notes (org_id, customer_id, credit_note_number, external_id, issue_date,
            currency, gross_minor, unallocated_minor, reason, import_batch_id)
          select ${orgId}::uuid, s.customer_id, s.number, s.key, s.day, ${currency},
            s.amount, s.amount, nullif(s.descr, ''), ${importId}::uuid from src s
          returning id, external_id as key`
        : sql`insert into payments (org_id, customer_id, payment_reference, received_on, currency,
            amount_minor, unallocated_minor, method, bank_reference, import_batch_id)
          select ${orgId}::uuid, s.customer_id, s.number, s.day, ${currency}, s.amount, s.amount,
            s.method, s.key, ${importId}::uuid from src s
          returning id, bank_reference as key`;
  await sql`
    with src as (select * from ${src}), ins as (${insert})
    insert into fec_items (org_id, fec_key, kind, entity_id, customer_id, amount_minor, letter, first_import_id)
    select ${orgId}::uuid, s.key, ${kind}, ins.id, s.customer_id, s.amount, s.letter, ${importId}::uuid
    from ins join src s on s.key = ins.key`.execute(db);
}

/**
 * Items whose amount or letter changed in the books since the last import: the ledger row's
 * amount follows the books, with the old and new value in ledger_history.
 */
export async function updateFecItems(
  db: Kysely<Database>,
  orgId: string,
  importId: string,
  keys: string[],
  amounts: number[],
  letters: (string | null)[],
): Promise<void> {
  if (keys.length === 0) return;
  await sql`
    with src as (
      select * from unnest(${keys}::text[], ${amounts}::bigint[], ${letters}::text[]) as s(key, amount, letter)
    ), fi as (
      update fec_items f set amount_minor = src.amount, letter = src.letter
      from src where f.org_id = ${orgId} and f.fec_key = src.key
      returning f.kind, f.entity_id, f.amount_minor
    ), inv as (
      update invoices i set gross_minor = fi.amount_minor, net_minor = 0, tax_minor = 0, updated_at = now()
      from fi where fi.kind = 'invoice' and i.org_id = ${orgId} and i.id = fi.entity_id
        and i.gross_minor <> fi.amount_minor
      returning i.id, fi.amount_minor as new_amount, 'invoice' as entity
    ), cn as (
      update credit_notes c set gross_minor = fi.amount_minor, net_minor = 0, tax_minor = 0, updated_at = now()
      from fi where fi.kind = 'credit_note' and c.org_id = ${orgId} and c.id = fi.entity_id
        and c.gross_minor <> fi.amount_minor
      returning c.id, fi.amount_minor as new_amount, 'credit_note' as entity
    ), pay as (
      update payments p set amount_minor = fi.amount_minor
      from fi where fi.kind = 'payment' and p.org_id = ${orgId} and p.id = fi.entity_id
        and p.amount_minor <> fi.amount_minor
      returning p.id, fi.amount_minor as new_amount, 'payment' as entity
    )
    insert into ledger_history (org_id, entity, entity_id, action, changes, import_batch_id, actor)
    select ${orgId}::uuid, u.entity, u.id, 'updated',
      jsonb_build_object('amount_minor', jsonb_build_object('new', u.new_amount), 'source', 'fec'),
      ${importId}::uuid, 'fec-import'
    from (select * from inv union all select * from cn union all select * from pay) u`.execute(db);
}

/** Flag lines that left the books, and clear the flag of lines that came back. */
export async function setDisappeared(
  db: Kysely<Database>,
  orgId: string,
  gone: string[],
  back: string[],
): Promise<void> {
  for (const part of chunks(gone)) {
    await sql`update fec_items set disappeared_at = now()
      where org_id = ${orgId} and fec_key = any(${part}::text[]) and disappeared_at is null`.execute(db);
  }
  for (const part of chunks(back)) {
    await sql`update fec_items set disappeared_at = null
      where org_id = ${orgId} and fec_key = any(${part}::text[])`.execute(db);
  }
}

export interface ExistingAllocation {
  id: string;
  debitKey: string;
  creditKey: string;
  amountMinor: number;
  /** One side left the books: the allocation is kept as it was. */
  stale: boolean;
}

/** Allocations between two FEC items (others, e.g. recorded by hand, are not the import's). */
export async function loadFecAllocations(db: Kysely<Database>, orgId: string): Promise<ExistingAllocation[]> {
  const r = await sql<{
    id: string;
    debit_key: string;
    credit_key: string;
    amount_minor: number;
    stale: boolean;
  }>`
    select a.id, d.fec_key as debit_key, c.fec_key as credit_key, a.amount_minor,
      (d.disappeared_at is not null or c.disappeared_at is not null) as stale
    from allocations a
    join fec_items d on d.org_id = a.org_id and d.entity_id = a.invoice_id and d.kind = 'invoice'
    join fec_items c on c.org_id = a.org_id and c.entity_id = coalesce(a.payment_id, a.credit_note_id)
      and c.kind <> 'invoice'
    where a.org_id = ${orgId}`.execute(db);
  return r.rows.map((x) => ({
    id: x.id,
    debitKey: x.debit_key,
    creditKey: x.credit_key,
    amountMinor: x.amount_minor,
    stale: x.stale,
  }));
}

export async function deleteAllocationsById(
  db: Kysely<Database>,
  orgId: string,
  ids: string[],
): Promise<string[]> {
  // The customers concerned: their invoices, payments and credit notes all need a refresh.
  const customers = new Set<string>();
  for (const part of chunks(ids)) {
    const r = await sql<{ customer_id: string }>`
      with gone as (
        delete from allocations where org_id = ${orgId} and id = any(${part}::uuid[]) returning invoice_id
      ) select distinct i.customer_id from gone join invoices i on i.org_id = ${orgId} and i.id = gone.invoice_id`.execute(
      db,
    );
    for (const x of r.rows) customers.add(x.customer_id);
  }
  return [...customers];
}

export async function insertFecAllocations(
  db: Kysely<Database>,
  orgId: string,
  debitKeys: string[],
  creditKeys: string[],
  amounts: number[],
): Promise<string[]> {
  if (debitKeys.length === 0) return [];
  const r = await sql<{ invoice_id: string }>`
    insert into allocations (org_id, invoice_id, payment_id, credit_note_id, amount_minor)
    select ${orgId}::uuid, d.entity_id,
      case when c.kind = 'payment' then c.entity_id end,
      case when c.kind = 'credit_note' then c.entity_id end,
      s.amount
    from unnest(${debitKeys}::text[], ${creditKeys}::text[], ${amounts}::bigint[]) as s(dkey, ckey, amount)
    join fec_items d on d.org_id = ${orgId} and d.fec_key = s.dkey
    join fec_items c on c.org_id = ${orgId} and c.fec_key = s.ckey
    returning invoice_id`.execute(db);
  return r.rows.map((x) => x.invoice_id);
}

/** What Relance holds open per customer from the books' lines: invoice balances less credit. */
export async function openByCustomer(
  db: Kysely<Database>,
  orgId: string,
  refs: string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const part of chunks(refs)) {
    const r = await sql<{ ref: string; open: number }>`
      select cu.external_ref as ref, coalesce(sum(case fi.kind
          when 'invoice' then i.balance_minor
          when 'payment' then -p.unallocated_minor
          else -cn.unallocated_minor end), 0)::bigint as open
      from customers cu
      join fec_items fi on fi.org_id = cu.org_id and fi.customer_id = cu.id and fi.disappeared_at is null
      left join invoices i on fi.kind = 'invoice' and i.org_id = fi.org_id and i.id = fi.entity_id
      left join payments p on fi.kind = 'payment' and p.org_id = fi.org_id and p.id = fi.entity_id
      left join credit_notes cn on fi.kind = 'credit_note' and cn.org_id = fi.org_id and cn.id = fi.entity_id
      where cu.org_id = ${orgId} and cu.external_ref = any(${part}::text[])
      group by cu.external_ref`.execute(db);
    for (const x of r.rows) out.set(x.ref, x.open);
  }
  return out;
}

export async function insertFecImport(
  db: Kysely<Database>,
  orgId: string,
  row: {
    id: string;
    filename: string | null;
    status: 'committed' | 'rejected';
    rowsRead: number;
    accepted: number;
    rejected: number;
    summary: unknown;
  },
): Promise<void> {
  await sql`
    insert into fec_imports (org_id, id, filename, status, rows_read, rows_accepted, rows_rejected, summary)
    values (${orgId}, ${row.id}, ${row.filename}, ${row.status}, ${row.rowsRead}, ${row.accepted},
      ${row.rejected}, ${JSON.stringify(row.summary)}::jsonb)`.execute(db);
}

export async function fecOrgDefaults(
  db: Kysely<Database>,
  orgId: string,
): Promise<{ currency: string; termsDays: number } | undefined> {
  const r = await sql<{ currency: string; terms: number }>`
    select currency, default_payment_terms_days as terms from organisations where id = ${orgId}`.execute(db);
  const row = r.rows[0];
  return row ? { currency: row.currency.trim(), termsDays: row.terms } : undefined;
}
