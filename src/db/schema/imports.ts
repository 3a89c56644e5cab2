import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from './organisations.js';

export type ImportEntity = 'customers' | 'invoices' | 'payments' | 'credit-notes';
export type ImportMode = 'all-or-nothing' | 'accept-valid';

export interface ImportBatchesTable {
  org_id: string;
  id: Generated<string>;
  entity: ImportEntity;
  filename: string | null;
  mode: ImportMode;
  status: Generated<'running' | 'committed' | 'rejected' | 'failed'>;
  rows_read: Generated<number>;
  rows_accepted: Generated<number>;
  rows_rejected: Generated<number>;
  rows_created: Generated<number>;
  rows_updated: Generated<number>;
  rows_unchanged: Generated<number>;
  errors: Json<unknown[]>;
  started_at: Generated<Timestamp>;
  finished_at: Timestamp | null;
  /** Last chunk committed by a running accept-valid import (migration 0041). */
  heartbeat_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Why a failed batch failed (a process that died mid-import). */
  failure: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface LedgerHistoryTable {
  org_id: string;
  id: Generated<number>;
  entity: string;
  entity_id: string;
  action: 'created' | 'updated' | 'deleted';
  changes: Json<Record<string, unknown>>;
  import_batch_id: string | null;
  actor: string | null;
  at: Generated<Timestamp>;
}
