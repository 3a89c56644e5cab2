import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema/index.js';
import { computePenalties as computeStatement } from '../../domain/law/penalties.js';
import type { PenaltyInput, PenaltyStatement } from '../../domain/law/types.js';
import { loadRateTable } from './load-rates.js';

/**
 * The penalties use case shared by the CLI, the API and the planner: load the
 * organisation's rate rows (if any) and run the pure engine. Without `orgId` it uses the
 * built-in tables and never touches the database.
 */
export async function computePenalties(
  db: Kysely<Database> | undefined,
  orgId: string | undefined,
  input: PenaltyInput,
): Promise<PenaltyStatement> {
  const rates = await loadRateTable(db, orgId);
  return computeStatement(input, rates);
}
