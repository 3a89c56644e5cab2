import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema/index.js';

/**
 * Fold the deltas the ledger triggers appended (migration 0018) into the dashboard rollups,
 * in the caller's transaction; every reader of kpi_daily / kpi_customer_open calls this
 * first, so it reads every committed write and its own. Each statement deletes the deltas
 * it adds up: a concurrent fold waits on those rows, then finds them gone and reads the sum
 * this one committed. Keys are upserted in key order, so two folds never deadlock.
 */
export async function foldKpiDeltas(db: Kysely<Database>, orgId: string): Promise<void> {
  await sql`
    with moved as (
      delete from kpi_daily_delta where org_id = ${orgId}
      returning org_id, currency, day, open_minor, open_invoices, issued_minor, received_minor
    )
    insert into kpi_daily as k (org_id, currency, day, open_minor, open_invoices, issued_minor, received_minor)
    select org_id, currency, day, sum(open_minor), sum(open_invoices), sum(issued_minor), sum(received_minor)
    from moved
    group by 1, 2, 3
    order by 1, 2, 3
    on conflict (org_id, currency, day) do update set
      open_minor = k.open_minor + excluded.open_minor,
      open_invoices = k.open_invoices + excluded.open_invoices,
      issued_minor = k.issued_minor + excluded.issued_minor,
      received_minor = k.received_minor + excluded.received_minor
  `.execute(db);
  await sql`
    with moved as (
      delete from kpi_customer_delta where org_id = ${orgId}
      returning org_id, currency, customer_id, open_minor, open_invoices
    )
    insert into kpi_customer_open as k (org_id, currency, customer_id, open_minor, open_invoices)
    select org_id, currency, customer_id, sum(open_minor), sum(open_invoices)
    from moved
    group by 1, 2, 3
    having sum(open_minor) <> 0 or sum(open_invoices) <> 0
    order by 1, 2, 3
    on conflict (org_id, currency, customer_id) do update set
      open_minor = k.open_minor + excluded.open_minor,
      open_invoices = k.open_invoices + excluded.open_invoices
  `.execute(db);
}
