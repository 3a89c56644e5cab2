/**
 * The risk model: a gradient-boosted classifier for "paid after its due date", a
 * gradient-boosted regressor for days late (settlement − due date), and the regressor's
 * residuals by band of prediction, which turn one expected date into a distribution
 * (P10/P50/P90, P(still unpaid 30/60/90 days after the due date)). With too little history
 * the model is the documented prior instead (decision 034).
 */
import { F, FEATURE_COUNT, FEATURE_NAMES } from './features.js';
import {
  DEFAULT_GBDT,
  type GbdtModel,
  type GbdtParams,
  type Matrix,
  predictOne,
  predictRaw,
  trainGbdt,
} from './gbdt.js';
import { quantileSorted } from './metrics.js';

/** Fewest settled invoices (with both outcomes present) before the learned model replaces the prior. */
export const MIN_TRAINING_ROWS = 200;
export const MIN_CLASS_ROWS = 20;
/** Most rows a model trains on: the most recent ones (bench: 1M paid invoices stay under 5 minutes). */
export const MAX_TRAINING_ROWS = 300_000;

export interface ResidualBands {
  /** Upper edge of each band of predicted days late (the last is +Infinity, stored as null). */
  upper: (number | null)[];
  /** Sorted residuals (actual − predicted days late) of the training rows in each band. */
  residuals: number[][];
}

export interface RiskModel {
  kind: 'gbdt' | 'prior';
  featureNames: string[];
  trainingRows: number;
  lateRate: number;
  classifier: GbdtModel | null;
  regressor: GbdtModel | null;
  bands: ResidualBands;
  /** Median of each feature over the training rows: the "typical invoice" explanations compare to. */
  reference: number[];
  /** Why the prior is used, when it is. */
  note: string | null;
}

export interface TrainingSet {
  x: Matrix;
  /** 1 = settled after its due date. */
  late: ArrayLike<number>;
  /** Settlement day − due day (negative = early). */
  daysLate: ArrayLike<number>;
}

export interface InvoicePrediction {
  pLate: number;
  pUnpaid30: number;
  pUnpaid60: number;
  pUnpaid90: number;
  /** Expected days late (regression) and the P10/P50/P90 of the settlement, in days after the due date. */
  expectedDaysLate: number;
  daysLateP10: number;
  daysLateP50: number;
  daysLateP90: number;
}

/** The prior's spread of days late around the customer's mean: a fixed, documented shape. */
const PRIOR_RESIDUALS = [-15, -10, -7, -5, -3, -2, -1, 0, 0, 1, 2, 3, 5, 7, 10, 14, 20, 30, 45, 60];

function medians(x: Matrix): number[] {
  const out: number[] = [];
  const col = new Float64Array(x.rows);
  for (let f = 0; f < x.cols; f++) {
    for (let i = 0; i < x.rows; i++) col[i] = x.data[i * x.cols + f] as number;
    col.sort();
    out.push(x.rows > 0 ? quantileSorted(col, 0.5) : 0);
  }
  return out;
}

export function priorModel(note: string, trainingRows = 0, lateRate = Number.NaN): RiskModel {
  return {
    kind: 'prior',
    featureNames: [...FEATURE_NAMES],
    trainingRows,
    lateRate,
    classifier: null,
    regressor: null,
    bands: { upper: [null], residuals: [PRIOR_RESIDUALS] },
    reference: FEATURE_NAMES.map((n) =>
      n === 'lateShare' ? 0.5 : n === 'termsDays' ? 30 : n === 'month' ? 6 : 0,
    ),
    note,
  };
}

export function trainRiskModel(set: TrainingSet, params: Partial<Omit<GbdtParams, 'loss'>> = {}): RiskModel {
  const n = set.x.rows;
  let lateCount = 0;
  for (let i = 0; i < n; i++) lateCount += (set.late[i] as number) > 0.5 ? 1 : 0;
  const lateRate = n > 0 ? lateCount / n : Number.NaN;
  if (n < MIN_TRAINING_ROWS)
    return priorModel(`only ${n} settled invoices (at least ${MIN_TRAINING_ROWS} are needed)`, n, lateRate);
  if (lateCount < MIN_CLASS_ROWS || n - lateCount < MIN_CLASS_ROWS)
    return priorModel(
      `${lateCount} late and ${n - lateCount} on-time invoices (at least ${MIN_CLASS_ROWS} of each are needed)`,
      n,
      lateRate,
    );
  const p = { ...DEFAULT_GBDT, ...params };
  const classifier = trainGbdt(set.x, set.late, { ...p, loss: 'logistic' });
  const regressor = trainGbdt(set.x, set.daysLate, { ...p, loss: 'squared', seed: p.seed + 1 });
  // Residuals by quintile of the prediction: a chronic late payer's spread is wider.
  const pred = new Float64Array(n);
  for (let i = 0; i < n; i++) pred[i] = predictOne(regressor, set.x.data, i * set.x.cols);
  const sorted = Float64Array.from(pred).sort();
  const upper: (number | null)[] = [];
  for (const q of [0.2, 0.4, 0.6, 0.8]) {
    const u = quantileSorted(sorted, q);
    if (upper.length === 0 || u > (upper[upper.length - 1] as number)) upper.push(u);
  }
  upper.push(null);
  const residuals: number[][] = upper.map(() => []);
  for (let i = 0; i < n; i++) {
    const pi = pred[i] as number;
    (residuals[bandOf(upper, pi)] as number[]).push((set.daysLate[i] as number) - pi);
  }
  for (const r of residuals) r.sort((a, b) => a - b);
  return {
    kind: 'gbdt',
    featureNames: [...FEATURE_NAMES],
    trainingRows: n,
    lateRate,
    classifier,
    regressor,
    bands: { upper, residuals: residuals.map((r) => thin(r, 400)) },
    reference: medians(set.x),
    note: null,
  };
}

/** At most k evenly spaced values of a sorted list (the stored model stays small). */
function thin(sorted: number[], k: number): number[] {
  if (sorted.length <= k) return sorted;
  return Array.from(
    { length: k },
    (_, i) => sorted[Math.round((i * (sorted.length - 1)) / (k - 1))] as number,
  );
}

function bandOf(upper: (number | null)[], v: number): number {
  for (let b = 0; b < upper.length; b++) {
    const u = upper[b];
    if (u === null || u === undefined || v <= u) return b;
  }
  return upper.length - 1;
}

/** Probability of "paid late" of one feature row. */
export function predictLate(model: RiskModel, row: ArrayLike<number>, offset = 0): number {
  if (model.classifier) return predictOne(model.classifier, row, offset);
  return row[offset + F.lateShare] as number;
}

/** Log-odds of "paid late" (what explanations compare). */
export function lateLogit(model: RiskModel, row: ArrayLike<number>, offset = 0): number {
  if (model.classifier) return predictRaw(model.classifier, row, offset);
  const p = Math.min(0.999, Math.max(0.001, row[offset + F.lateShare] as number));
  return Math.log(p / (1 - p));
}

export function predictDaysLate(model: RiskModel, row: ArrayLike<number>, offset = 0): number {
  if (model.regressor) return predictOne(model.regressor, row, offset);
  return (row[offset + F.priorCount] as number) > 0 ? (row[offset + F.meanDaysLate] as number) : 0;
}

/**
 * The full prediction of one invoice. `daysOverdue` (today − due date, negative before it)
 * conditions the distribution on "not paid yet": an invoice 40 days late cannot be paid 10
 * days late any more.
 */
/**
 * Possible settlements of one invoice, in days after its due date, sorted and equally likely:
 * the expected days late plus the residuals of its band. `daysOverdue` (today − due date,
 * negative before it) conditions them on "not paid yet": an invoice 40 days late cannot be
 * paid 10 days late any more.
 */
export function settlementSamples(
  model: RiskModel,
  row: ArrayLike<number>,
  offset = 0,
  daysOverdue: number | null = null,
): number[] {
  const expected = predictDaysLate(model, row, offset);
  const band = model.bands.residuals[bandOf(model.bands.upper, expected)] ?? PRIOR_RESIDUALS;
  let samples = band.map((r) => expected + r);
  if (daysOverdue !== null) {
    const still = samples.filter((s) => s > daysOverdue);
    // Beyond everything seen: pays "soon", spread like the prior's late tail.
    samples =
      still.length > 0 ? still : PRIOR_RESIDUALS.filter((r) => r >= 0).map((r) => daysOverdue + 1 + r);
  }
  // Band residuals are stored sorted, and shifting or filtering keeps them so: no sort here
  // (scoring a million invoices would spend a third of its time re-sorting sorted lists).
  return samples;
}

/** Share of sorted values strictly above d. */
function shareAbove(sorted: readonly number[], d: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= d) lo = mid + 1;
    else hi = mid;
  }
  return (sorted.length - lo) / sorted.length;
}

/** The full prediction of one invoice (see settlementSamples for `daysOverdue`). */
export function predictInvoice(
  model: RiskModel,
  row: ArrayLike<number>,
  offset = 0,
  daysOverdue: number | null = null,
): InvoicePrediction {
  const expected = predictDaysLate(model, row, offset);
  const sorted = settlementSamples(model, row, offset, daysOverdue);
  const pLate = daysOverdue !== null && daysOverdue > 0 ? 1 : predictLate(model, row, offset);
  const share = (d: number) => shareAbove(sorted, d);
  return {
    pLate,
    pUnpaid30: share(30),
    pUnpaid60: share(60),
    pUnpaid90: share(90),
    expectedDaysLate:
      daysOverdue !== null && daysOverdue >= expected ? quantileSorted(sorted, 0.5) : expected,
    daysLateP10: quantileSorted(sorted, 0.1),
    daysLateP50: quantileSorted(sorted, 0.5),
    daysLateP90: quantileSorted(sorted, 0.9),
  };
}

export { FEATURE_COUNT };
