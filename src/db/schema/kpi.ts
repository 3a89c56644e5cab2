import type { Generated } from 'kysely';
import type { DateString } from './organisations.js';

/**
 * Migration 0018: dashboard rollups kept by triggers on invoices and payments (decision
 * 017). Never written by the application; read by src/db/queries/kpi.ts.
 */
export interface KpiDailyTable {
  org_id: string;
  currency: string;
  /** Due date for the open measures, issue date for issued, date received for received. */
  day: DateString;
  open_minor: Generated<number>;
  open_invoices: Generated<number>;
  issued_minor: Generated<number>;
  received_minor: Generated<number>;
}

export interface KpiCustomerOpenTable {
  org_id: string;
  currency: string;
  customer_id: string;
  open_minor: Generated<number>;
  open_invoices: Generated<number>;
}

/** Appended by the triggers, folded into the tables above by src/db/queries/kpi-fold.ts. */
export interface KpiDailyDeltaTable extends KpiDailyTable {
  id: Generated<number>;
}

export interface KpiCustomerDeltaTable extends KpiCustomerOpenTable {
  id: Generated<number>;
}

export interface KpiTables {
  kpi_daily: KpiDailyTable;
  kpi_customer_open: KpiCustomerOpenTable;
  kpi_daily_delta: KpiDailyDeltaTable;
  kpi_customer_delta: KpiCustomerDeltaTable;
}
