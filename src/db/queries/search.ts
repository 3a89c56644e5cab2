import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema/index.js';
import { likePattern } from './pagination.js';

export type SearchHitKind = 'customer' | 'invoice' | 'contact';

export interface SearchHit {
  kind: SearchHitKind;
  id: string;
  customer_id: string;
  label: string;
  /** The customer's name for invoices and contacts, its reference for customers. */
  context: string;
  /** 0: the text starts with the query; 1: it contains it. */
  rank: number;
}

/**
 * The header search: customers by name or reference, invoices by number, contacts by email,
 * `perKind` of each, prefix matches first. One statement; each branch reads one table with
 * its organisation filter and its own limit, so a common word never scans past the limit.
 */
export async function searchEverything(
  db: Kysely<Database>,
  orgId: string,
  q: string,
  perKind: number,
): Promise<SearchHit[]> {
  const p = likePattern(q);
  const prefix = `${likePattern(q).slice(1)}`;
  const r = await sql<SearchHit>`
    (select 'customer'::text as kind, c.id, c.id as customer_id, c.name as label, c.external_ref as context,
        case when c.name ilike ${prefix} or c.external_ref ilike ${prefix} then 0 else 1 end as rank
      from customers c
      where c.org_id = ${orgId} and (c.name ilike ${p} or c.external_ref ilike ${p})
      order by rank, c.name, c.id limit ${perKind})
    union all
    (select 'invoice'::text, i.id, i.customer_id, i.invoice_number, c.name,
        case when i.invoice_number ilike ${prefix} then 0 else 1 end as rank
      from invoices i join customers c on c.org_id = i.org_id and c.id = i.customer_id
      where i.org_id = ${orgId} and i.invoice_number ilike ${p}
      order by rank, i.invoice_number, i.id limit ${perKind})
    union all
    (select 'contact'::text, ct.id, ct.customer_id, ct.email, c.name,
        case when ct.email ilike ${prefix} then 0 else 1 end as rank
      from contacts ct join customers c on c.org_id = ct.org_id and c.id = ct.customer_id
      where ct.org_id = ${orgId} and ct.email ilike ${p}
      order by rank, ct.email, ct.id limit ${perKind})
  `.execute(db);
  return r.rows;
}
