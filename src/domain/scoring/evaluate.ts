/**
 * `model evaluate`: train on invoices settled before the cut, score invoices issued on or
 * after it (with a known settlement), and compare with two baselines — the customer's
 * historical late rate, and "paid on the due date".
 */

import { labelled, trainingSet } from './dataset.js';
import { type BrokenPromise, F, type LedgerInvoice } from './features.js';
import type { GbdtParams } from './gbdt.js';
import { auc, brier, type CalibrationBin, calibrationTable, confusion, mae, rmse } from './metrics.js';
import { predictDaysLate, predictLate, type RiskModel, trainRiskModel } from './model.js';

export interface MethodMetrics {
  auc: number;
  accuracy: number;
  precision: number;
  recall: number;
  brier: number;
  /** Days to settle (settlement − issue date). */
  mae: number;
  rmse: number;
}

export interface Evaluation {
  cutDay: number;
  trainingRows: number;
  testRows: number;
  testLateRate: number;
  modelKind: RiskModel['kind'];
  note: string | null;
  model: MethodMetrics;
  baselineHistory: MethodMetrics;
  baselineDueDate: MethodMetrics;
  calibration: CalibrationBin[];
}

function metrics(
  late: ArrayLike<number>,
  p: ArrayLike<number>,
  days: ArrayLike<number>,
  pd: ArrayLike<number>,
): MethodMetrics {
  const c = confusion(late, p);
  return {
    auc: auc(late, p),
    accuracy: c.accuracy,
    precision: c.precision,
    recall: c.recall,
    brier: brier(late, p),
    mae: mae(days, pd),
    rmse: rmse(days, pd),
  };
}

export function evaluateSplit(
  ledger: readonly LedgerInvoice[],
  promises: readonly BrokenPromise[],
  cutDay: number,
  params: Partial<Omit<GbdtParams, 'loss'>> = {},
): { evaluation: Evaluation; model: RiskModel } {
  const train = trainingSet(ledger, promises, cutDay);
  const model = trainRiskModel(train, params);
  const testRows = ledger.filter((i) => i.issueDay >= cutDay && i.settledDay !== null);
  const test = labelled(ledger, promises, testRows);
  const n = testRows.length;
  const pModel = new Float64Array(n);
  const dModel = new Float64Array(n);
  const pHist = new Float64Array(n);
  const dHist = new Float64Array(n);
  const pDue = new Float64Array(n);
  const dDue = new Float64Array(n);
  const actual = new Float64Array(n);
  let lates = 0;
  for (let i = 0; i < n; i++) {
    const o = i * test.x.cols;
    const terms = test.x.data[o + F.termsDays] as number;
    actual[i] = terms + (test.daysLate[i] as number);
    lates += test.late[i] as number;
    pModel[i] = predictLate(model, test.x.data, o);
    dModel[i] = terms + predictDaysLate(model, test.x.data, o);
    pHist[i] = test.x.data[o + F.lateShare] as number;
    dHist[i] =
      terms +
      ((test.x.data[o + F.priorCount] as number) > 0 ? (test.x.data[o + F.meanDaysLate] as number) : 0);
    pDue[i] = 0;
    dDue[i] = terms;
  }
  return {
    model,
    evaluation: {
      cutDay,
      trainingRows: train.x.rows,
      testRows: n,
      testLateRate: n > 0 ? lates / n : Number.NaN,
      modelKind: model.kind,
      note: model.note,
      model: metrics(test.late, pModel, actual, dModel),
      baselineHistory: metrics(test.late, pHist, actual, dHist),
      baselineDueDate: metrics(test.late, pDue, actual, dDue),
      calibration: calibrationTable(test.late, pModel),
    },
  };
}
