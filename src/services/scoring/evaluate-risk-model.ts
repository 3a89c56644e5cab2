/**
 * `model evaluate --train-until DATE`: train on invoices settled before DATE, score those
 * issued on or after it, next to both baselines. Nothing is stored.
 */
import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { loadScoringLedger } from '../../db/queries/risk.js';
import type { Database } from '../../db/schema/index.js';
import { toDay } from '../../domain/scoring/days.js';
import { type Evaluation, evaluateSplit } from '../../domain/scoring/evaluate.js';
import { AppError } from '../../errors.js';

export async function evaluateRiskModel(
  db: Kysely<Database>,
  orgId: string,
  opts: { trainUntil: string },
): Promise<Evaluation> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.trainUntil) || Number.isNaN(Date.parse(opts.trainUntil)))
    throw new AppError('VALIDATION', `--train-until: "${opts.trainUntil}" is not a date (YYYY-MM-DD)`);
  const ledger = await withOrg(db, orgId, (trx) => loadScoringLedger(trx, orgId));
  const evaluation = evaluateSplit(ledger.invoices, ledger.promises, toDay(opts.trainUntil)).evaluation;
  if (evaluation.testRows === 0)
    throw new AppError(
      'VALIDATION',
      `--train-until ${opts.trainUntil}: no paid invoice was issued on or after it, nothing to evaluate`,
    );
  return evaluation;
}
