import { describe, expect, it } from 'vitest';
import {
  auc,
  brier,
  calibrationTable,
  confusion,
  mae,
  mapeAndBias,
  quantileSorted,
  rmse,
} from '../../../src/domain/scoring/metrics.js';

describe('evaluation metrics', () => {
  it('computes the AUC as the share of correctly ordered pairs, ties counting half', () => {
    expect(auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 10);
    expect(auc([0, 1], [0.5, 0.5])).toBe(0.5);
    expect(auc([0, 0, 1], [0.1, 0.2, 0.9])).toBe(1);
    expect(Number.isNaN(auc([1, 1], [0.1, 0.2]))).toBe(true);
  });

  it('counts accuracy, precision and recall at 0.5', () => {
    const c = confusion([1, 1, 0, 0, 1], [0.9, 0.4, 0.6, 0.1, 0.5]);
    expect(c.accuracy).toBeCloseTo(3 / 5);
    expect(c.precision).toBeCloseTo(2 / 3);
    expect(c.recall).toBeCloseTo(2 / 3);
  });

  it('computes Brier, MAE and RMSE', () => {
    expect(brier([1, 0], [0.8, 0.4])).toBeCloseTo((0.04 + 0.16) / 2);
    expect(mae([10, 20], [13, 16])).toBe(3.5);
    expect(rmse([10, 20], [13, 16])).toBeCloseTo(Math.sqrt(12.5));
  });

  it('bins predictions into a calibration table', () => {
    const t = calibrationTable([0, 1, 1, 1], [0.05, 0.15, 0.95, 0.92]);
    expect(t).toEqual([
      { from: 0, to: 0.1, count: 1, meanPredicted: 0.05, observedRate: 0 },
      { from: 0.1, to: 0.2, count: 1, meanPredicted: 0.15, observedRate: 1 },
      { from: 0.9, to: 1, count: 2, meanPredicted: 0.935, observedRate: 1 },
    ]);
  });

  it('computes MAPE over non-zero weeks and the signed bias', () => {
    const r = mapeAndBias([100, 200, 0], [110, 150, 20]);
    expect(r.mape).toBeCloseTo((0.1 + 0.25) / 2);
    expect(r.bias).toBeCloseTo((10 - 50 + 20) / 300);
  });

  it('interpolates quantiles', () => {
    expect(quantileSorted([0, 10], 0.5)).toBe(5);
    expect(quantileSorted([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6);
  });
});
