import type { ColumnType, JSONColumnType } from 'kysely';
import type { Timestamp } from './organisations.js';

/** Tables of migration 0060_risk_scores.sql. */

export interface RiskModelsTable {
  org_id: string;
  version: number;
  kind: 'gbdt' | 'prior';
  trained_at: Timestamp;
  trained_until: string;
  training_rows: number;
  metrics: JSONColumnType<Record<string, unknown>, string, string>;
  note: string | null;
  model: JSONColumnType<Record<string, unknown>, string, string>;
}

export interface InvoiceRiskScoresTable {
  org_id: string;
  invoice_id: string;
  model_version: number;
  scored_on: string;
  p_late: number;
  p_unpaid_30: number;
  p_unpaid_60: number;
  p_unpaid_90: number;
  expected_date: string;
  p10_date: string;
  p50_date: string;
  p90_date: string;
}

export interface CustomerRiskScoresTable {
  org_id: string;
  customer_id: string;
  scored_on: string;
  model_version: number;
  score: number;
  band: 'faible' | 'moyen' | 'eleve' | 'critique';
  p_late: number;
  factors: ColumnType<unknown[], string, string>;
}

/** Merged into the Database interface (src/db/schema/index.ts) in one line. */
export interface RiskTables {
  risk_models: RiskModelsTable;
  invoice_risk_scores: InvoiceRiskScoresTable;
  customer_risk_scores: CustomerRiskScoresTable;
}
