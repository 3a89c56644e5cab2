import type { Generated } from 'kysely';
import type { DateString, Json, Timestamp } from './organisations.js';

export type PaymentPlanStatus =
  | 'proposed'
  | 'pending_approval'
  | 'active'
  | 'completed'
  | 'defaulted'
  | 'cancelled';

export interface PaymentPlansTable {
  org_id: string;
  id: Generated<string>;
  customer_id: string;
  status: PaymentPlanStatus;
  invoice_ids: string[];
  currency: string;
  total_minor: number;
  grace_days: Generated<number>;
  /** {instalments, firstDate, downPaymentMinor}: what the debtor asked. */
  request: Json<Record<string, unknown>>;
  created_by: string | null;
  created_at: Timestamp;
  approved_at: Timestamp | null;
  approved_by: string | null;
  accepted_at: Timestamp | null;
  accepted_name: string | null;
  document_id: string | null;
  document_sha256: string | null;
  resolved_at: Timestamp | null;
}

export interface PaymentPlanInstalmentsTable {
  org_id: string;
  plan_id: string;
  /** 0 is the down payment. */
  seq: number;
  due_date: DateString;
  amount_minor: number;
  paid_minor: Generated<number>;
  status: Generated<'due' | 'paid' | 'missed'>;
}

export interface PaymentCheckoutsTable {
  org_id: string;
  id: Generated<string>;
  customer_id: string;
  provider: string;
  provider_session_id: string;
  invoice_ids: string[];
  currency: string;
  amount_minor: number;
  status: Generated<'open' | 'paid' | 'expired' | 'failed'>;
  created_at: Timestamp;
}

export interface PaymentProviderEventsTable {
  org_id: string;
  provider: string;
  event_id: string;
  type: string;
  payment_id: string | null;
  received_at: Timestamp;
}

export interface BankStatementLinesTable {
  org_id: string;
  id: Generated<string>;
  line_key: string;
  statement_id: string | null;
  filename: string | null;
  booking_date: DateString;
  currency: string;
  /** Signed: credits positive, debits negative. */
  amount_minor: number;
  counterparty: string | null;
  counterparty_iban: string | null;
  remittance: string | null;
  end_to_end_id: string | null;
  status: 'matched' | 'unmatched' | 'ignored' | 'returned' | 'return' | 'not_customer';
  customer_id: string | null;
  payment_id: string | null;
  match_reason: string | null;
  suggestion: Json<Record<string, unknown>> | null;
  created_at: Timestamp;
  /** Migration 0050 (cash application). */
  confidence: number | null;
  explanation: Json<Record<string, unknown>> | null;
  format: string | null;
  reverses_line_id: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
}

export interface BankLineAdjustmentsTable {
  org_id: string;
  id: Generated<string>;
  bank_line_id: string;
  invoice_id: string | null;
  kind: 'write_off' | 'return_fee';
  reason: string;
  currency: string;
  amount_minor: number;
  created_at: Generated<Timestamp>;
}

export interface PaymentTables {
  bank_line_adjustments: BankLineAdjustmentsTable;
  payment_plans: PaymentPlansTable;
  payment_plan_instalments: PaymentPlanInstalmentsTable;
  payment_checkouts: PaymentCheckoutsTable;
  payment_provider_events: PaymentProviderEventsTable;
  bank_statement_lines: BankStatementLinesTable;
}
