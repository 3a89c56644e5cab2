import { describe, expect, it } from 'vitest';
import { DEFAULT_GBDT, matrix, predictMatrix, rng, trainGbdt } from '../../../src/domain/scoring/gbdt.js';
import { auc, rmse } from '../../../src/domain/scoring/metrics.js';

function data(n: number, seed: number) {
  const r = rng(seed);
  const rows: number[][] = [];
  const y: number[] = [];
  const cls: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = r() * 20 - 10;
    const b = r() < 0.2 ? 1 : 0;
    const c = r();
    rows.push([a, b, c]);
    // Noise uniform on ±1: its standard deviation is 1/√3 ≈ 0.577, the best RMSE possible.
    const v = a + 10 * b + (r() - 0.5) * 2;
    y.push(v);
    cls.push(v > 3 ? 1 : 0);
  }
  return { x: matrix(rows), y, cls };
}

describe('gradient-boosted trees', () => {
  it('fits an additive function with a rare 0/1 feature close to the noise floor', () => {
    const train = data(3000, 1);
    const test = data(1000, 2);
    const m = trainGbdt(train.x, train.y, { ...DEFAULT_GBDT, loss: 'squared', trees: 200, depth: 3 });
    const e = rmse(test.y, predictMatrix(m, test.x));
    expect(e).toBeLessThan(0.9);
    expect(e).toBeGreaterThan(0.5);
    // The 0/1 feature is used (a binning that missed it would leave an error of about 4).
    expect(m.trees.some((t) => t.feature.includes(1))).toBe(true);
  });

  it('separates classes with the logistic loss, with probabilities in 0..1', () => {
    const train = data(3000, 3);
    const test = data(1000, 4);
    const m = trainGbdt(train.x, train.cls, { ...DEFAULT_GBDT, loss: 'logistic' });
    const p = predictMatrix(m, test.x);
    expect(auc(test.cls, p)).toBeGreaterThan(0.99);
    expect(Math.min(...p)).toBeGreaterThan(0);
    expect(Math.max(...p)).toBeLessThan(1);
  });

  it('is deterministic and survives a JSON round trip', () => {
    const d = data(500, 5);
    const a = trainGbdt(d.x, d.y, { ...DEFAULT_GBDT, loss: 'squared', trees: 20 });
    const b = trainGbdt(d.x, d.y, { ...DEFAULT_GBDT, loss: 'squared', trees: 20 });
    expect(b).toEqual(a);
    const back = JSON.parse(JSON.stringify(a));
    expect(Array.from(predictMatrix(back, d.x))).toEqual(Array.from(predictMatrix(a, d.x)));
  });

  it('predicts the mean with no split when a feature is constant', () => {
    const m = trainGbdt(matrix([[1], [1], [1], [1]]), [2, 4, 6, 8], {
      ...DEFAULT_GBDT,
      loss: 'squared',
      minLeaf: 1,
      subsample: 1,
    });
    expect(predictMatrix(m, matrix([[1]]))[0]).toBeCloseTo(5, 1);
  });

  it('refuses a matrix with the wrong number of features', () => {
    const m = trainGbdt(matrix([[1, 2]]), [1], { ...DEFAULT_GBDT, loss: 'squared', trees: 1 });
    expect(() => predictMatrix(m, matrix([[1]]))).toThrow(/expects 2 features/);
  });
});
