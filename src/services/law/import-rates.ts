import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { type RateUpsertResult, upsertRateRows } from '../../db/queries/rates.js';
import type { Database } from '../../db/schema/index.js';
import { parseRateFile } from '../../domain/law/rate-csv.js';
import type { RateGap } from '../../domain/law/rates/index.js';

export interface ImportRatesResult extends RateUpsertResult {
  rows: number;
  series: string[];
  /** 'generic' or the verified table recognised from the header. */
  layout: string;
  /** Rows of the file without a figure (not found): reported, nothing loaded for them. */
  gaps: RateGap[];
  /** Rows loaded with status 'unverified' (flagged wherever they are used). */
  unverified: number;
}

/**
 * Load rate rows from a CSV text into an organisation's table (all or nothing), so a new
 * rate, or a correction of a provisional one, takes effect without a release.
 */
export async function importRates(
  db: Kysely<Database>,
  orgId: string,
  csvText: string,
): Promise<ImportRatesResult> {
  const { rows, gaps, layout } = parseRateFile(csvText);
  const result = await withOrg(db, orgId, (trx) => upsertRateRows(trx, orgId, rows));
  return {
    ...result,
    rows: rows.length,
    series: [...new Set(rows.map((r) => r.series))].sort(),
    layout,
    gaps,
    unverified: rows.filter((r) => r.status === 'unverified').length,
  };
}
