import type { SparseVector } from './features.js';
import { addSparseProduct } from './head.js';

/**
 * Complement Naive Bayes (Rennie et al. 2003) over the TF-IDF vectors: each class is
 * scored by how badly the *other* classes explain the text, which stays stable for
 * the many classes with a handful of examples, where the SVM is weakest.
 *
 * Its log-weights are dense (every feature, every class); they are stored factored as
 * a per-feature base term plus sparse per-class corrections where the class was seen,
 * so the model stays small and scoring touches only the text's features.
 */
export interface CnbHead {
  /** log(α + total weight of feature f). */
  base: Float32Array;
  /** CSR by feature: log(α + total − class weight) − base, only where the class has the feature. */
  rowPtr: Uint32Array;
  cls: Uint16Array;
  w: Float32Array;
  /** Per class: 1 / Σ_f |log-weight| (weight normalization) and log of the complement's total. */
  invNorm: Float32Array;
  logDenom: Float32Array;
}

const ALPHA = 0.1;

function sums(xs: SparseVector[], ys: Int32Array, classes: number, dims: number) {
  const perClass = Array.from({ length: classes }, () => new Map<number, number>());
  const total = new Float64Array(dims);
  const classTotal = new Float64Array(classes);
  xs.forEach((x, i) => {
    const m = perClass[ys[i] as number] as Map<number, number>;
    for (let k = 0; k < x.idx.length; k++) {
      const f = x.idx[k] as number;
      const v = x.val[k] as number;
      m.set(f, (m.get(f) ?? 0) + v);
      total[f] = (total[f] as number) + v;
      classTotal[ys[i] as number] = (classTotal[ys[i] as number] as number) + v;
    }
  });
  return { perClass, total, classTotal };
}

export function trainCnb(xs: SparseVector[], ys: Int32Array, classes: number, dims: number): CnbHead {
  const { perClass, total, classTotal } = sums(xs, ys, classes, dims);
  let all = 0;
  for (const v of total) all += v;
  const base = Float32Array.from(total, (t) => Math.log(ALPHA + t));
  let baseSum = 0;
  for (const b of base) baseSum += b;
  const byFeature: [number, number][][] = Array.from({ length: dims }, () => []);
  const invNorm = new Float32Array(classes);
  const logDenom = new Float32Array(classes);
  perClass.forEach((m, c) => {
    const denom = Math.log(ALPHA * dims + all - (classTotal[c] as number));
    logDenom[c] = denom;
    // Σ_f |base_f + corr_cf − denom|: base terms are all below denom (each total < the whole).
    let norm = dims * denom - baseSum;
    for (const [f, v] of m) {
      const corr = Math.log(ALPHA + (total[f] as number) - v) - (base[f] as number);
      norm -= corr;
      byFeature[f]?.push([c, corr]);
    }
    invNorm[c] = norm > 0 ? 1 / norm : 0;
  });
  const rowPtr = new Uint32Array(dims + 1);
  const cls: number[] = [];
  const w: number[] = [];
  byFeature.forEach((row, f) => {
    for (const [c, v] of row) cls.push(c), w.push(v);
    rowPtr[f + 1] = cls.length;
  });
  return { base, rowPtr, cls: Uint16Array.from(cls), w: Float32Array.from(w), invNorm, logDenom };
}

/** CNB scores (higher is better) of one vector into `out`. */
export function cnbScores(h: CnbHead, x: SparseVector, out: Float32Array): Float32Array {
  out.fill(0);
  return cnbFinish(h, x, addSparseProduct(h, x, out));
}

/** Turns Σ x_f · correction_cf (already in `sums`, e.g. from a fused table) into CNB scores, in place. */
export function cnbFinish(h: CnbHead, x: SparseVector, sums: Float32Array): Float32Array {
  let b = 0;
  let mass = 0;
  for (let k = 0; k < x.idx.length; k++) {
    const v = x.val[k] as number;
    b += v * (h.base[x.idx[k] as number] as number);
    mass += v;
  }
  for (let c = 0; c < sums.length; c++) sums[c] = -((sums[c] as number) + b - mass * (h.logDenom[c] as number)) * (h.invNorm[c] as number);
  return sums;
}
