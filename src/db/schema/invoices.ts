import type { Generated } from 'kysely';
import type { DateString, Timestamp } from './organisations.js';

export type InvoiceStatus = 'open' | 'partially_paid' | 'paid' | 'credited' | 'written_off' | 'disputed';

export interface InvoicesTable {
  org_id: string;
  id: Generated<string>;
  customer_id: string;
  invoice_number: string;
  external_id: string | null;
  issue_date: DateString;
  due_date: DateString;
  performance_date: DateString | null;
  currency: string;
  net_minor: Generated<number>;
  tax_minor: Generated<number>;
  gross_minor: number;
  /** Derived: see src/db/queries/balances.ts. */
  paid_minor: Generated<number>;
  credited_minor: Generated<number>;
  written_off_minor: Generated<number>;
  balance_minor: Generated<number>;
  status: Generated<InvoiceStatus>;
  disputed: Generated<boolean>;
  payment_terms: string | null;
  po_reference: string | null;
  description: string | null;
  import_batch_id: string | null;
  /** Migration 0013: the collector working this item, overriding the customer's. */
  assigned_collector: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface InvoiceInstalmentsTable {
  org_id: string;
  invoice_id: string;
  seq: number;
  due_date: DateString;
  amount_minor: number;
}

export interface CreditNotesTable {
  org_id: string;
  id: Generated<string>;
  customer_id: string;
  credit_note_number: string;
  external_id: string | null;
  invoice_id: string | null;
  issue_date: DateString;
  currency: string;
  net_minor: Generated<number>;
  tax_minor: Generated<number>;
  gross_minor: number;
  unallocated_minor: Generated<number>;
  reason: string | null;
  import_batch_id: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}
