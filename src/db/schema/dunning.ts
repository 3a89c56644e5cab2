import type { Generated } from 'kysely';
import type { DateString, Json, Timestamp } from './organisations.js';

/** Tables of migration 0004_dunning.sql; JSON shapes are those of src/domain/dunning. */

export type PolicyKindColumn = 'b2b' | 'b2c' | 'any';
export type OutboxChannel =
  | 'email'
  | 'sms'
  | 'letter'
  | 'registered_letter'
  | 'call_task'
  | 'portal_notice'
  | 'task';
export type OutboxStatus =
  | 'planned'
  | 'claimed'
  | 'sent'
  | 'failed'
  | 'postponed'
  | 'cancelled'
  /** 0012: a send waiting for a user's approval (settings.dunning.requireApproval). */
  | 'awaiting_approval'
  /** 0012: held by a user; never claimed unless approved later. */
  | 'held';

export interface DunningPoliciesTable {
  org_id: string;
  id: Generated<string>;
  key: string;
  version: number;
  name: string;
  kind: PolicyKindColumn;
  definition: Json<Record<string, unknown>>;
  is_default: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
}

export interface DunningPolicyRulesTable {
  org_id: string;
  position: number;
  policy_key: string;
  label: string | null;
  conditions: Json<Record<string, unknown>>;
}

export interface DunningCasesTable {
  org_id: string;
  customer_id: string;
  policy_id: string | null;
  policy_key: string | null;
  policy_version: number | null;
  status: Generated<'active' | 'paused' | 'closed'>;
  next_action_date: DateString | null;
  last_planned_at: Timestamp | null;
  updated_at: Generated<Timestamp>;
}

export interface DunningPausesTable {
  org_id: string;
  id: Generated<string>;
  customer_id: string;
  invoice_id: string | null;
  reason: string;
  until: DateString;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  cancelled_at: Timestamp | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
}

export interface PromisesToPayTable {
  org_id: string;
  id: Generated<string>;
  customer_id: string;
  invoice_ids: Generated<string[]>;
  amount_minor: number;
  currency: string;
  promised_date: DateString;
  grace_days: Generated<number>;
  status: Generated<'active' | 'kept' | 'broken' | 'cancelled'>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
  resolution: string | null;
}

export type DisputeReasonCode =
  | 'not_received'
  | 'quality'
  | 'price'
  | 'quantity'
  | 'already_paid'
  | 'duplicate'
  | 'contract'
  | 'other';

export interface DisputesTable {
  org_id: string;
  id: Generated<string>;
  invoice_id: string;
  customer_id: string;
  reason_code: DisputeReasonCode;
  comment: string | null;
  status: Generated<'open' | 'resolved' | 'rejected'>;
  opened_by: string | null;
  opened_at: Generated<Timestamp>;
  resolved_at: Timestamp | null;
  resolution: string | null;
  resolved_by: string | null;
  resolution_comment: string | null;
  credit_note_id: string | null;
}

export interface DunningActionsTable {
  org_id: string;
  id: Generated<string>;
  idempotency_key: string;
  channel: OutboxChannel;
  customer_id: string;
  contact_id: string | null;
  to_address: string | null;
  policy_id: string;
  policy_key: string;
  policy_version: number;
  step_key: string;
  kind: 'send' | 'task';
  template_key: string | null;
  items: Json<Record<string, unknown> | unknown[]>;
  reason: string;
  channel_notes: Json<string[]>;
  planned_for: DateString;
  not_before: Generated<Timestamp>;
  status: Generated<OutboxStatus>;
  status_reason: string | null;
  attempts: Generated<number>;
  claimed_by: string | null;
  claimed_at: Timestamp | null;
  sent_at: Timestamp | null;
  provider_message_id: string | null;
  error: string | null;
  rendered_sha256: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  /** 0012: who approved or held the send, and when. */
  decided_by: Generated<string | null>;
  decided_at: Generated<Timestamp | null>;
}

/**
 * The items one action carries and the step each reaches with it (decision 020): parallel
 * arrays, one element per item. The planner's history is these rows, read back per item.
 */
export interface DunningActionItemsTable {
  org_id: string;
  customer_id: string;
  idempotency_key: string;
  policy_id: string;
  policy_version: number;
  invoice_ids: string[];
  /** 0 = the whole invoice; otherwise invoice_instalments.seq. */
  instalment_seqs: number[];
  step_keys: string[];
  done_at: Generated<Timestamp>;
}

/** Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE. */
export interface EvidenceTable {
  org_id: string;
  customer_id: string;
  seq: number;
  id: Generated<string>;
  at: Timestamp;
  kind: string;
  channel: string | null;
  summary: string;
  payload: Json<Record<string, unknown>>;
  content_sha256: string | null;
  prev_hash: string;
  hash: string;
}

export type TaskKindColumn =
  | 'call'
  | 'escalation_decision'
  | 'dispute'
  | 'broken_promise'
  | 'bounce'
  | 'reply'
  | 'review_send'
  | 'follow_up';

export interface TasksTable {
  org_id: string;
  id: Generated<string>;
  customer_id: string;
  invoice_id: string | null;
  action_id: string | null;
  kind: TaskKindColumn;
  title: string;
  detail: Json<Record<string, unknown>>;
  due_date: DateString;
  assignee: string | null;
  status: Generated<'open' | 'done' | 'cancelled'>;
  created_at: Generated<Timestamp>;
  done_at: Timestamp | null;
  outcome: string | null;
}

/** Merged into the Database interface (src/db/schema/index.ts) in one line. */
export interface DunningTables {
  dunning_policies: DunningPoliciesTable;
  dunning_policy_rules: DunningPolicyRulesTable;
  dunning_cases: DunningCasesTable;
  dunning_pauses: DunningPausesTable;
  promises_to_pay: PromisesToPayTable;
  disputes: DisputesTable;
  dunning_actions: DunningActionsTable;
  dunning_action_items: DunningActionItemsTable;
  evidence: EvidenceTable;
  tasks: TasksTable;
}

// 0004_dunning.sql adds customers.dunning_policy_key: declared here so the customers file,
// owned by the ledger, stays untouched.
declare module './customers.js' {
  interface CustomersTable {
    /** Per-customer dunning policy override (a policy key; its latest version applies). */
    dunning_policy_key: string | null;
  }
}
