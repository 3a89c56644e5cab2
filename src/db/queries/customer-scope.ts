import { type RawBuilder, sql } from 'kysely';

/** Which customers' rows a statement reads, as a condition on its customer column. */
export type CustomerScope = (column: string) => RawBuilder<unknown>;

/**
 * A slice of the customers' key order, (after, last]: a statement's related rows are one range
 * of each table's (org_id, customer_id) index, read in order. An id list (`= any`) reads the
 * same rows for a handful of customers but, for a thousand, PostgreSQL prefers a sequential
 * scan of the whole table: quadratic over a sweep.
 */
export function customerIdRange(after: string | null, last: string): CustomerScope {
  return (column) =>
    after
      ? sql`${sql.ref(column)} > ${after}::uuid and ${sql.ref(column)} <= ${last}::uuid`
      : sql`${sql.ref(column)} <= ${last}::uuid`;
}

/** The given customers, for a handful of them. */
export function customerIdList(ids: string[]): CustomerScope {
  return (column) => sql`${sql.ref(column)} = any(${ids}::uuid[])`;
}
