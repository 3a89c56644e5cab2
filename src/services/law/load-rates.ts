import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { listRateRows } from '../../db/queries/rates.js';
import type { Database } from '../../db/schema/index.js';
import { builtInRates, mergeRates, type RateTable } from '../../domain/law/rate-table.js';

/**
 * The rate table for an organisation: built-in rows merged with the rows it loaded.
 * Without an organisation, the built-in table (no database needed).
 */
export async function loadRateTable(
  db: Kysely<Database> | undefined,
  orgId: string | undefined,
): Promise<RateTable> {
  if (!db || !orgId) return builtInRates();
  const rows = await withOrg(db, orgId, (trx) => listRateRows(trx, orgId));
  return rows.length === 0 ? builtInRates() : mergeRates(rows);
}
