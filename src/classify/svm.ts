import type { SparseVector } from './features.js';
import type { LinearHead } from './softmax.js';
import { seededRandom, shuffleInPlace } from './random.js';

export interface SvmOptions {
  /** Inverse regularization (liblinear's C). */
  c?: number;
  maxEpochs?: number;
  /** Stop when the projected-gradient spread falls below this. */
  eps?: number;
  seed?: number;
  /** Per-class multiplier of C for the positive samples (class-balanced loss); 1 when absent. */
  positiveCost?: Float64Array;
}

/**
 * One-vs-rest L2-regularized squared-hinge linear SVM, trained by dual coordinate
 * descent (the liblinear algorithm): exact, no learning rate to tune, and each class
 * trains in a few passes over the data.
 */
export function trainSvm(xs: SparseVector[], ys: Int32Array, labels: string[], dims: number, opts: SvmOptions = {}): LinearHead {
  const classes = labels.length;
  const weights = new Float32Array(dims * classes);
  const bias = new Float32Array(classes);
  const w = new Float64Array(dims);
  const norms = Float64Array.from(xs, (x) => sqNorm(x) + 1);
  for (let c = 0; c < classes; c++) {
    w.fill(0);
    bias[c] = trainBinary(xs, ys, c, w, opts, norms);
    for (let f = 0; f < dims; f++) weights[f * classes + c] = w[f] as number;
  }
  return { labels, dims, weights, bias };
}

function dot(w: Float64Array, x: SparseVector): number {
  let s = 0;
  for (let k = 0; k < x.idx.length; k++) s += (w[x.idx[k] as number] as number) * (x.val[k] as number);
  return s;
}

/** Trains class `c` against the rest into `w`; returns the bias (a constant feature of value 1). */
function trainBinary(xs: SparseVector[], ys: Int32Array, c: number, w: Float64Array, opts: SvmOptions, norms: Float64Array): number {
  const { c: cost = 1, maxEpochs = 15, eps = 0.1, seed = 0 } = opts;
  const n = xs.length;
  const diagPos = 1 / (2 * cost * (opts.positiveCost?.[c] ?? 1));
  const diagNeg = 1 / (2 * cost);
  const alpha = new Float64Array(n);
  const order = Array.from(xs.keys());
  const rnd = seededRandom(seed + c);
  let b = 0;
  for (let epoch = 0; epoch < maxEpochs; epoch++) {
    shuffleInPlace(order, rnd);
    let maxPg = -Infinity;
    let minPg = Infinity;
    for (const i of order) {
      const x = xs[i] as SparseVector;
      const y = ys[i] === c ? 1 : -1;
      const diag = y > 0 ? diagPos : diagNeg;
      const g = y * (dot(w, x) + b) - 1 + diag * (alpha[i] as number);
      const pg = alpha[i] === 0 ? Math.min(g, 0) : g;
      maxPg = Math.max(maxPg, pg);
      minPg = Math.min(minPg, pg);
      if (Math.abs(pg) < 1e-12) continue;
      const old = alpha[i] as number;
      const next = Math.max(old - g / ((norms[i] as number) + diag), 0);
      alpha[i] = next;
      const d = (next - old) * y;
      for (let k = 0; k < x.idx.length; k++) w[x.idx[k] as number] = (w[x.idx[k] as number] as number) + d * (x.val[k] as number);
      b += d;
    }
    if (maxPg - minPg < eps) break;
  }
  return b;
}

function sqNorm(x: SparseVector): number {
  let s = 0;
  for (let k = 0; k < x.val.length; k++) s += (x.val[k] as number) ** 2;
  return s;
}
