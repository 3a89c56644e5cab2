import type { Generated } from 'kysely';
import type { Timestamp } from './organisations.js';

/** Tables of migration 0013_worklist.sql. */

export type CallOutcome = 'promise' | 'dispute' | 'no_answer' | 'paid' | 'other';

export interface CallLogsTable {
  org_id: string;
  id: Generated<string>;
  customer_id: string;
  invoice_id: string | null;
  task_id: string | null;
  outcome: CallOutcome;
  note: string | null;
  promise_id: string | null;
  dispute_id: string | null;
  logged_by: string | null;
  // Insert may omit it (DEFAULT now()).
  logged_at: Timestamp;
}

/** Merged into the Database interface (src/db/schema/index.ts) in one line. */
export interface WorklistTables {
  call_logs: CallLogsTable;
}
