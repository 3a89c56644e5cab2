import { type Kysely, sql } from 'kysely';
import type { ImportDefaults } from '../../../db/queries/imports.js';
import type { Database } from '../../../db/schema/index.js';
import { foldReference } from '../../../domain/import/cells.js';
import type { RowError } from '../../../domain/import/row.js';
import type { ValidateContext, Validated } from '../../../domain/import/validate.js';
import type { ColumnPlan } from '../../../ingest/mapping.js';

export interface WriteContext {
  orgId: string;
  batchId: string;
  actor: string | null;
  plan: ColumnPlan;
  defaults: ImportDefaults;
  /** Payments naming no invoice settle the customer's oldest open invoices. */
  autoAllocate: boolean;
  /** Invoice rows with an unknown reference and a name create the customer (explicit option). */
  createCustomers?: boolean;
}

export interface WriteOutcome {
  created: number;
  updated: number;
  unchanged: number;
  /** Rows refused for reasons only the database knows (unknown customer or invoice). */
  errors: RowError[];
  customersCreated?: number;
  /** Disputes opened from the rows' disputed flag (invoices). */
  disputesOpened?: number;
}

export interface EntityHandler<R extends { line: number }> {
  /** Canonical field whose value must be unique within a file. */
  keyField: string;
  validate(line: number, cells: Record<string, string>, ctx: ValidateContext): Validated<R>;
  /**
   * Check the batch against the database, then write the rows that pass. With
   * `checkOnly` nothing is written (an all-or-nothing import that already failed).
   */
  write(trx: Kysely<Database>, ctx: WriteContext, rows: R[], checkOnly: boolean): Promise<WriteOutcome>;
}

export function rowError(
  ctx: WriteContext,
  line: number,
  field: string,
  value: string,
  reason: string,
): RowError {
  const column = ctx.plan.byField[field];
  return { line, ...(column !== undefined ? { column } : {}), field, value, reason };
}

export const has = (ctx: WriteContext, field: string) => field in ctx.plan.byField;

export const unknownCustomer = (ctx: WriteContext, line: number, ref: string, hint = '') =>
  rowError(
    ctx,
    line,
    'customerRef',
    ref,
    `unknown customer: no customer has this reference (import customers first)${hint}`,
  );

/**
 * Existing references that differ from `refs` only by case, spacing, dots, dashes or
 * invisible characters ("CLI 001", "cli001" for "CLI001"): folded ref → existing refs.
 */
export async function lookAlikeRefs(
  trx: Kysely<Database>,
  orgId: string,
  refs: string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (refs.length === 0) return out;
  const folded = [...new Set(refs.map(foldReference))];
  const rows = await sql<{ external_ref: string; folded: string }>`
    select external_ref, lower(regexp_replace(external_ref, '[\s._-]+', '', 'g')) as folded
    from customers
    where org_id = ${orgId}
      and lower(regexp_replace(external_ref, '[\s._-]+', '', 'g')) = any(${folded}::text[])
    limit 1000
  `.execute(trx);
  for (const r of rows.rows) out.set(r.folded, [...(out.get(r.folded) ?? []), r.external_ref]);
  return out;
}

/** The reason's hint naming a look-alike existing reference, or ''. */
export function lookAlikeHint(lookAlikes: Map<string, string[]>, ref: string): string {
  const same = (lookAlikes.get(foldReference(ref)) ?? []).filter((x) => x !== ref);
  return same.length > 0
    ? `; an existing customer has the look-alike reference "${same[0]}" (same characters, other case or spacing)`
    : '';
}
