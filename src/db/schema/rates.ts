import type { Generated } from 'kysely';
import type { DateString, Timestamp } from './organisations.js';

/** An organisation-loaded rate row (migration 0003_rates.sql). */
export interface RateRowsTable {
  org_id: string;
  id: Generated<string>;
  series: string;
  effective_from: DateString;
  /** Decimal string, percent per year. */
  rate: string;
  source: string;
  provisional: Generated<boolean>;
  /** verified | corrected | unverified (migration 0035). */
  status: Generated<string>;
  loaded_at: Generated<Timestamp>;
}
