/**
 * Train the organisation's risk model on its own ledger, store it as the next version with
 * a holdout evaluation (the last fifth of the history, by settlement date), then score the
 * portfolio with it. Too little history stores the documented prior, with the reason.
 */
import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { insertRiskModel, loadScoringLedger } from '../../db/queries/risk.js';
import type { Database } from '../../db/schema/index.js';
import { trainingSet } from '../../domain/scoring/dataset.js';
import { fromDay, toDay } from '../../domain/scoring/days.js';
import { type Evaluation, evaluateSplit } from '../../domain/scoring/evaluate.js';
import { MAX_TRAINING_ROWS, trainRiskModel } from '../../domain/scoring/model.js';
import { type ScoreSummary, scorePortfolio } from './score-portfolio.js';

export interface TrainResult {
  version: number;
  kind: 'gbdt' | 'prior';
  trainingRows: number;
  note: string | null;
  holdout: Evaluation | null;
  scores: ScoreSummary;
}

/** The day four fifths into the settled history: what the stored holdout metrics train until. */
function holdoutCut(settledDays: number[]): number | null {
  if (settledDays.length < 50) return null;
  const sorted = [...settledDays].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * 0.8)] ?? null;
}

export async function trainRiskModelForOrg(
  db: Kysely<Database>,
  orgId: string,
  opts: { today: string },
): Promise<TrainResult> {
  const todayDay = toDay(opts.today);
  const ledger = await withOrg(db, orgId, (trx) => loadScoringLedger(trx, orgId));
  // Nothing settled after "today" is used (a replayed or back-dated run stays honest).
  const known = ledger.invoices.filter((i) => i.issueDay <= todayDay);
  const settledDays = known.flatMap((i) =>
    i.settledDay !== null && i.settledDay < todayDay ? [i.settledDay] : [],
  );
  const cut = holdoutCut(settledDays);
  let holdout: Evaluation | null = null;
  if (cut !== null) {
    const visible = known.map((i) =>
      i.settledDay !== null && i.settledDay >= todayDay ? { ...i, settledDay: null } : i,
    );
    holdout = evaluateSplit(visible, ledger.promises, cut).evaluation;
  }
  const model = trainRiskModel(trainingSet(known, ledger.promises, todayDay, MAX_TRAINING_ROWS));
  const version = await withOrg(db, orgId, (trx) =>
    insertRiskModel(trx, orgId, {
      kind: model.kind,
      trainedUntil: fromDay(todayDay),
      trainingRows: model.trainingRows,
      metrics: holdout ? { holdout } : {},
      note: model.note,
      model: model as unknown as Record<string, unknown>,
    }),
  );
  const scores = await scorePortfolio(db, orgId, { today: opts.today, ledger, model, version });
  return { version, kind: model.kind, trainingRows: model.trainingRows, note: model.note, holdout, scores };
}
