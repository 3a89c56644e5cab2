import type { Generated } from 'kysely';
import type { Timestamp } from './organisations.js';

export type CustomerKind = 'b2b' | 'b2c';
export type Segment = 'strategic' | 'standard';
export type Channel = 'email' | 'sms' | 'letter' | 'phone';

export interface CustomersTable {
  org_id: string;
  id: Generated<string>;
  external_ref: string;
  name: string;
  kind: Generated<CustomerKind>;
  siren: string | null;
  siret: string | null;
  vat_number: string | null;
  address_line1: string | null;
  address_line2: string | null;
  postal_code: string | null;
  city: string | null;
  country: Generated<string>;
  segment: Generated<Segment>;
  credit_limit_minor: number | null;
  currency: Generated<string>;
  language: Generated<'fr' | 'en'>;
  assigned_collector: string | null;
  credit_hold: Generated<boolean>;
  credit_hold_reason: string | null;
  credit_hold_since: Timestamp | null;
  payment_terms_days: number | null;
  notes: string | null;
  credit_group: string | null;
  pending_orders_minor: Generated<number>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface ContactsTable {
  org_id: string;
  id: Generated<string>;
  customer_id: string;
  name: string | null;
  role: string | null;
  email: string | null;
  phone: string | null;
  preferred_channel: Generated<Channel>;
  language: 'fr' | 'en' | null;
  consent_email: Generated<boolean>;
  consent_sms: Generated<boolean>;
  is_primary: Generated<boolean>;
  email_invalid: Generated<boolean>;
  created_at: Generated<Timestamp>;
}
