import type { Kysely } from 'kysely';
import type { ImportDefaults } from '../../../db/queries/imports.js';
import type { Database } from '../../../db/schema/index.js';
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
}

export interface WriteOutcome {
  created: number;
  updated: number;
  unchanged: number;
  /** Rows refused for reasons only the database knows (unknown customer or invoice). */
  errors: RowError[];
  customersCreated?: number;
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

export const unknownCustomer = (ctx: WriteContext, line: number, ref: string) =>
  rowError(
    ctx,
    line,
    'customerRef',
    ref,
    'unknown customer: no customer has this reference (import customers first)',
  );
