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

/** Per-class feature sums as CSR by feature (class ids ascending within a feature), and the totals. */
function sums(xs: SparseVector[], ys: Int32Array, classes: number, dims: number) {
  const total = new Float64Array(dims);
  const classTotal = new Float64Array(classes);
  // Dense per class would be classes × dims doubles (26 MB for 75 × 43k): accumulate by class in turn instead.
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  ys.forEach((y, i) => byClass[y]?.push(i));
  const acc = new Float64Array(dims);
  const touched: number[] = [];
  const entries: Array<{ c: number; f: Int32Array; v: Float64Array }> = [];
  byClass.forEach((rows, c) => {
    for (const i of rows) {
      const x = xs[i] as SparseVector;
      for (let k = 0; k < x.idx.length; k++) {
        const f = x.idx[k] as number;
        const v = x.val[k] as number;
        if (acc[f] === 0) touched.push(f);
        acc[f] = (acc[f] as number) + v;
        total[f] = (total[f] as number) + v;
        classTotal[c] = (classTotal[c] as number) + v;
      }
    }
    touched.sort((a, b) => a - b);
    entries.push({ c, f: Int32Array.from(touched), v: Float64Array.from(touched, (f) => acc[f] as number) });
    for (const f of touched) acc[f] = 0;
    touched.length = 0;
  });
  return { entries, total, classTotal };
}

export function trainCnb(xs: SparseVector[], ys: Int32Array, classes: number, dims: number): CnbHead {
  const { entries, total, classTotal } = sums(xs, ys, classes, dims);
  let all = 0;
  for (const v of total) all += v;
  const base = Float32Array.from(total, (t) => Math.log(ALPHA + t));
  let baseSum = 0;
  for (const b of base) baseSum += b;
  const invNorm = new Float32Array(classes);
  const logDenom = new Float32Array(classes);
  const rowPtr = new Uint32Array(dims + 1);
  for (const e of entries) for (const f of e.f) rowPtr[f + 1] = (rowPtr[f + 1] as number) + 1;
  for (let f = 0; f < dims; f++) rowPtr[f + 1] = (rowPtr[f + 1] as number) + (rowPtr[f] as number);
  const cls = new Uint16Array(rowPtr[dims] as number);
  const w = new Float32Array(rowPtr[dims] as number);
  const fill = Uint32Array.from(rowPtr.subarray(0, dims));
  // Classes in ascending order, so each feature's entries stay sorted by class.
  for (const { c, f: fs, v: vs } of entries) {
    const denom = Math.log(ALPHA * dims + all - (classTotal[c] as number));
    logDenom[c] = denom;
    // Σ_f |base_f + corr_cf − denom|: base terms are all below denom (each total < the whole).
    let norm = dims * denom - baseSum;
    fs.forEach((f, k) => {
      const corr = Math.log(ALPHA + (total[f] as number) - (vs[k] as number)) - (base[f] as number);
      norm -= corr;
      const at = fill[f] as number;
      cls[at] = c;
      w[at] = corr;
      fill[f] = at + 1;
    });
    invNorm[c] = norm > 0 ? 1 / norm : 0;
  }
  return { base, rowPtr, cls, w, invNorm, logDenom };
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
