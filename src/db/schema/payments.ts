import type { Generated } from 'kysely';
import type { DateString, Timestamp } from './organisations.js';

export type PaymentMethod = 'transfer' | 'direct_debit' | 'card' | 'cheque' | 'cash' | 'other';

export interface PaymentsTable {
  org_id: string;
  id: Generated<string>;
  customer_id: string;
  payment_reference: string;
  received_on: DateString;
  currency: string;
  amount_minor: number;
  method: Generated<PaymentMethod>;
  unallocated_minor: Generated<number>;
  bank_reference: string | null;
  import_batch_id: string | null;
  created_at: Generated<Timestamp>;
}

export interface AllocationsTable {
  org_id: string;
  id: Generated<string>;
  invoice_id: string;
  payment_id: string | null;
  credit_note_id: string | null;
  amount_minor: number;
  allocated_at: Generated<Timestamp>;
}
