import type { ColumnType, Generated } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** Business date as 'YYYY-MM-DD'. */
export type DateString = string;
export type Json<T = unknown> = ColumnType<T, string | T | undefined, string | T>;

export interface OrganisationsTable {
  id: Generated<string>;
  slug: string;
  legal_name: string;
  siren: string | null;
  vat_number: string | null;
  address_line1: string | null;
  address_line2: string | null;
  postal_code: string | null;
  city: string | null;
  country: Generated<string>;
  email: string | null;
  phone: string | null;
  iban: string | null;
  bic: string | null;
  jurisdiction: Generated<string>;
  default_payment_terms_days: Generated<number>;
  /** Decimal string, percent per year. */
  late_penalty_rate: string | null;
  late_penalty_clause: string | null;
  currency: Generated<string>;
  locale: Generated<string>;
  time_zone: Generated<string>;
  settings: Json<Record<string, unknown>>;
  is_demo: Generated<boolean>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}
