/** Evaluation metrics, plain definitions (docs/risk-model.md says how to read them). */

/** Area under the ROC curve (ties count half): the chance a late invoice scores above an on-time one. */
export function auc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  );
  let pos = 0;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[idx[j + 1] as number] === scores[idx[i] as number]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if ((labels[idx[k] as number] as number) > 0.5) {
        pos++;
        rankSum += avgRank;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export interface Confusion {
  accuracy: number;
  precision: number;
  recall: number;
}

export function confusion(labels: ArrayLike<number>, scores: ArrayLike<number>, threshold = 0.5): Confusion {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = (labels[i] as number) > 0.5;
    const p = (scores[i] as number) >= threshold;
    if (p && y) tp++;
    else if (p) fp++;
    else if (y) fn++;
    else tn++;
  }
  const n = tp + fp + tn + fn;
  return {
    accuracy: n > 0 ? (tp + tn) / n : Number.NaN,
    precision: tp + fp > 0 ? tp / (tp + fp) : 0,
    recall: tp + fn > 0 ? tp / (tp + fn) : 0,
  };
}

export function brier(labels: ArrayLike<number>, probs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < labels.length; i++) s += ((probs[i] as number) - (labels[i] as number)) ** 2;
  return labels.length > 0 ? s / labels.length : Number.NaN;
}

export interface CalibrationBin {
  from: number;
  to: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** Predicted vs observed rate in ten equal-width probability bins (empty bins left out). */
export function calibrationTable(
  labels: ArrayLike<number>,
  probs: ArrayLike<number>,
  bins = 10,
): CalibrationBin[] {
  const acc = Array.from({ length: bins }, () => ({ count: 0, p: 0, y: 0 }));
  for (let i = 0; i < labels.length; i++) {
    const p = probs[i] as number;
    const b = acc[Math.min(bins - 1, Math.max(0, Math.floor(p * bins)))] as {
      count: number;
      p: number;
      y: number;
    };
    b.count++;
    b.p += p;
    b.y += labels[i] as number;
  }
  return acc.flatMap((b, k) =>
    b.count === 0
      ? []
      : [
          {
            from: k / bins,
            to: (k + 1) / bins,
            count: b.count,
            meanPredicted: b.p / b.count,
            observedRate: b.y / b.count,
          },
        ],
  );
}

export function mae(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs((predicted[i] as number) - (actual[i] as number));
  return actual.length > 0 ? s / actual.length : Number.NaN;
}

export function rmse(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += ((predicted[i] as number) - (actual[i] as number)) ** 2;
  return actual.length > 0 ? Math.sqrt(s / actual.length) : Number.NaN;
}

/** Mean absolute percentage error over periods with a non-zero actual, and the bias
 * (sum of forecast − actual over sum of actual: positive = over-forecast). */
export function mapeAndBias(
  actual: readonly number[],
  forecast: readonly number[],
): { mape: number; bias: number } {
  let ape = 0;
  let k = 0;
  let diff = 0;
  let total = 0;
  actual.forEach((a, i) => {
    const f = forecast[i] ?? 0;
    diff += f - a;
    total += a;
    if (a !== 0) {
      ape += Math.abs(f - a) / Math.abs(a);
      k++;
    }
  });
  return { mape: k > 0 ? ape / k : Number.NaN, bias: total !== 0 ? diff / total : Number.NaN };
}

/** The q-quantile (0..1) of sorted values, linear between neighbours. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = Math.min(n - 1, Math.max(0, q * (n - 1)));
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (pos - lo);
}
