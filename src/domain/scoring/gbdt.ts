/**
 * Gradient-boosted regression trees, written here rather than taken from a library
 * (decision 033): histogram splits on quantile bins (fast enough for a million rows), a
 * logistic loss for "paid late" and a squared loss for days late, and a model that is plain
 * JSON, so it is stored in the database next to its metrics and read back by any process.
 */

export type Loss = 'logistic' | 'squared';

export interface GbdtParams {
  loss: Loss;
  trees: number;
  depth: number;
  learningRate: number;
  /** Fewest training rows in a leaf. */
  minLeaf: number;
  /** L2 penalty on leaf values (keeps small leaves near zero). */
  lambda: number;
  /** Share of the rows each tree sees (stochastic gradient boosting), 0..1. */
  subsample: number;
  /** Most bins per feature. */
  maxBins: number;
  seed: number;
}

export const DEFAULT_GBDT: Omit<GbdtParams, 'loss'> = {
  trees: 120,
  depth: 3,
  learningRate: 0.06,
  minLeaf: 20,
  lambda: 1,
  subsample: 0.8,
  maxBins: 48,
  seed: 1,
};

/** A tree as flat arrays: node i splits on feature[i] at threshold[i] (go left when x <= t),
 * children left[i]/right[i]; a leaf has feature -1 and its value. */
export interface Tree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface GbdtModel {
  loss: Loss;
  base: number;
  learningRate: number;
  featureCount: number;
  trees: Tree[];
}

/** A row-major matrix: rows × cols numbers. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function matrix(rows: number[][]): Matrix {
  const cols = rows[0]?.length ?? 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => {
    if (r.length !== cols) throw new RangeError(`row ${i} has ${r.length} values, expected ${cols}`);
    data.set(r, i * cols);
  });
  return { rows: rows.length, cols, data };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Bin edges per feature: up to maxBins - 1 distinct quantile cut points. */
function binEdges(x: Matrix, maxBins: number): Float64Array[] {
  const edges: Float64Array[] = [];
  const sampleSize = Math.min(x.rows, 50_000);
  const stride = x.rows / sampleSize;
  const col = new Float64Array(sampleSize);
  for (let f = 0; f < x.cols; f++) {
    for (let s = 0; s < sampleSize; s++) col[s] = x.data[Math.floor(s * stride) * x.cols + f] as number;
    col.sort();
    // Distinct values and how many rows hold each; a cut sits halfway between two of them,
    // after every sampleSize / maxBins rows (a 0/1 feature gets its one cut whatever its mix).
    const values: number[] = [];
    const counts: number[] = [];
    for (let s = 0; s < sampleSize; s++) {
      const v = col[s] as number;
      if (values.length > 0 && values[values.length - 1] === v)
        counts[counts.length - 1] = (counts[counts.length - 1] as number) + 1;
      else {
        values.push(v);
        counts.push(1);
      }
    }
    const cuts: number[] = [];
    const step = sampleSize / maxBins;
    let seen = 0;
    let nextAt = step;
    for (let k = 0; k < values.length - 1; k++) {
      seen += counts[k] as number;
      if (values.length <= maxBins || seen >= nextAt) {
        cuts.push(((values[k] as number) + (values[k + 1] as number)) / 2);
        while (nextAt <= seen) nextAt += step;
      }
    }
    edges.push(Float64Array.from(cuts));
  }
  return edges;
}

function binOf(e: Float64Array, v: number): number {
  let lo = 0;
  let hi = e.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= (e[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A small deterministic generator (mulberry32), so the same data gives the same model. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function trainGbdt(x: Matrix, y: ArrayLike<number>, params: GbdtParams): GbdtModel {
  const n = x.rows;
  const p = x.cols;
  if (n === 0) throw new RangeError('no training rows');
  const edges = binEdges(x, params.maxBins);
  const nb = edges.map((e) => e.length + 1);
  const maxNb = Math.max(...nb);
  // Column-major bins: one pass per feature reads contiguous memory.
  const bins = new Uint8Array(n * p);
  for (let f = 0; f < p; f++) {
    const e = edges[f] as Float64Array;
    for (let i = 0; i < n; i++) bins[f * n + i] = binOf(e, x.data[i * p + f] as number);
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i] as number;
  mean /= n;
  const base = params.loss === 'logistic' ? Math.log(Math.max(1e-6, mean) / Math.max(1e-6, 1 - mean)) : mean;
  const raw = new Float64Array(n).fill(base);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const node = new Int32Array(n);
  const rand = rng(params.seed);
  const maxNodes = 2 ** (params.depth + 2);
  const trees: Tree[] = [];
  for (let t = 0; t < params.trees; t++) {
    for (let i = 0; i < n; i++) {
      const yi = y[i] as number;
      if (params.loss === 'logistic') {
        const pr = sigmoid(raw[i] as number);
        grad[i] = pr - yi;
        hess[i] = Math.max(pr * (1 - pr), 1e-6);
      } else {
        grad[i] = (raw[i] as number) - yi;
        hess[i] = 1;
      }
      // -1: left out of this tree's sample.
      node[i] = params.subsample >= 1 || rand() < params.subsample ? 0 : -1;
    }
    const tree: Tree = { feature: [-1], threshold: [0], left: [-1], right: [-1], value: [0] };
    let frontier = [0];
    for (let d = 0; d <= params.depth && frontier.length > 0; d++) {
      // Sums per node in the frontier.
      // Node ids stay below 2^(depth + 2): plain arrays indexed by id, no map lookups per row.
      const sumG = new Float64Array(maxNodes);
      const sumH = new Float64Array(maxNodes);
      const sumC = new Float64Array(maxNodes);
      for (let i = 0; i < n; i++) {
        const id = node[i] as number;
        if (id < 0) continue;
        sumG[id] = (sumG[id] as number) + (grad[i] as number);
        sumH[id] = (sumH[id] as number) + (hess[i] as number);
        sumC[id] = (sumC[id] as number) + 1;
      }
      const next: number[] = [];
      // One pass per feature fills the histograms of every node of this level.
      const slotOf = new Int32Array(maxNodes).fill(-1);
      const splittable: number[] = [];
      for (const id of frontier) {
        const s = { g: sumG[id] as number, h: sumH[id] as number, c: sumC[id] as number };
        tree.value[id] = -s.g / (s.h + params.lambda);
        if (d === params.depth || s.c < 2 * params.minLeaf) continue;
        slotOf[id] = splittable.length;
        splittable.push(id);
      }
      if (splittable.length === 0) break;
      const slots = splittable.length;
      const slotRow = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const id = node[i] as number;
        slotRow[i] = id < 0 ? -1 : (slotOf[id] as number);
      }
      const best = splittable.map(() => ({ gain: 1e-9, f: -1, b: -1 }));
      const hG = new Float64Array(slots * maxNb);
      const hH = new Float64Array(slots * maxNb);
      const hC = new Float64Array(slots * maxNb);
      for (let f = 0; f < p; f++) {
        const nbf = nb[f] as number;
        if (nbf < 2) continue;
        hG.fill(0);
        hH.fill(0);
        hC.fill(0);
        const off = f * n;
        for (let i = 0; i < n; i++) {
          const sl = slotRow[i] as number;
          if (sl < 0) continue;
          const k = sl * maxNb + (bins[off + i] as number);
          hG[k] = (hG[k] as number) + (grad[i] as number);
          hH[k] = (hH[k] as number) + (hess[i] as number);
          hC[k] = (hC[k] as number) + 1;
        }
        for (let sl = 0; sl < slots; sl++) {
          const id = splittable[sl] as number;
          const s = { g: sumG[id] as number, h: sumH[id] as number, c: sumC[id] as number };
          const parentScore = (s.g * s.g) / (s.h + params.lambda);
          const bs = best[sl] as { gain: number; f: number; b: number };
          let gl = 0;
          let hl = 0;
          let cl = 0;
          for (let b = 0; b < nbf - 1; b++) {
            const k = sl * maxNb + b;
            gl += hG[k] as number;
            hl += hH[k] as number;
            cl += hC[k] as number;
            const cr = s.c - cl;
            if (cl < params.minLeaf || cr < params.minLeaf) continue;
            const gr = s.g - gl;
            const hr = s.h - hl;
            const gain = (gl * gl) / (hl + params.lambda) + (gr * gr) / (hr + params.lambda) - parentScore;
            if (gain > bs.gain) {
              bs.gain = gain;
              bs.f = f;
              bs.b = b;
            }
          }
        }
      }
      const target = new Int32Array(slots * 2).fill(-1);
      splittable.forEach((id, sl) => {
        const bs = best[sl] as { gain: number; f: number; b: number };
        if (bs.f < 0) return;
        const l = tree.feature.length;
        const r = l + 1;
        for (const k of [l, r]) {
          tree.feature[k] = -1;
          tree.threshold[k] = 0;
          tree.left[k] = -1;
          tree.right[k] = -1;
          tree.value[k] = 0;
        }
        tree.feature[id] = bs.f;
        tree.threshold[id] = (edges[bs.f] as Float64Array)[bs.b] as number;
        tree.left[id] = l;
        tree.right[id] = r;
        target[sl * 2] = l;
        target[sl * 2 + 1] = r;
        next.push(l, r);
      });
      for (let i = 0; i < n; i++) {
        const sl = slotRow[i] as number;
        if (sl < 0) continue;
        const bs = best[sl] as { gain: number; f: number; b: number };
        if (bs.f < 0) continue;
        node[i] =
          (bins[bs.f * n + i] as number) <= bs.b
            ? (target[sl * 2] as number)
            : (target[sl * 2 + 1] as number);
      }
      frontier = next;
    }
    // Every row (sampled or not) moves by the new tree.
    for (let i = 0; i < n; i++)
      raw[i] = (raw[i] as number) + params.learningRate * predictTree(tree, x.data, i * p);
    trees.push(tree);
  }
  return { loss: params.loss, base, learningRate: params.learningRate, featureCount: p, trees };
}

function predictTree(tree: Tree, data: ArrayLike<number>, offset: number): number {
  let k = 0;
  for (;;) {
    const f = tree.feature[k] as number;
    if (f < 0) return tree.value[k] as number;
    k =
      (data[offset + f] as number) <= (tree.threshold[k] as number)
        ? (tree.left[k] as number)
        : (tree.right[k] as number);
  }
}

/** The raw score of one row (log-odds for logistic, the value for squared). */
export function predictRaw(model: GbdtModel, row: ArrayLike<number>, offset = 0): number {
  let s = model.base;
  for (const t of model.trees) s += model.learningRate * predictTree(t, row, offset);
  return s;
}

/** Probability (logistic) or value (squared) of one row. */
export function predictOne(model: GbdtModel, row: ArrayLike<number>, offset = 0): number {
  const r = predictRaw(model, row, offset);
  return model.loss === 'logistic' ? sigmoid(r) : r;
}

export function predictMatrix(model: GbdtModel, x: Matrix): Float64Array {
  if (x.cols !== model.featureCount)
    throw new RangeError(`model expects ${model.featureCount} features, got ${x.cols}`);
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) out[i] = predictOne(model, x.data, i * x.cols);
  return out;
}
