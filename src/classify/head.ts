import type { SparseVector } from './features.js';
import type { LinearHead } from './softmax.js';
import { softmaxInPlace } from './softmax.js';

/**
 * A trained head in compact form: weights stored sparsely by feature (CSR), small
 * weights pruned. Scoring touches only the non-zero entries of the text's features.
 */
export interface SparseHead {
  labels: string[];
  bias: Float32Array;
  /** rowPtr[f]..rowPtr[f+1] are the entries of feature f. */
  rowPtr: Uint32Array;
  cls: Uint16Array;
  w: Float32Array;
  /** Multiplies raw scores before the softmax, so confidences are calibrated-ish. */
  temperature: number;
}

export interface HeadPrediction {
  label: string;
  probability: number;
  /** The next best label and its probability (for explanations). */
  second: { label: string; probability: number } | null;
  /** The best few labels (up to 3), most likely first. */
  top: Array<{ label: string; probability: number }>;
}

/**
 * Drops weights below `relThreshold` × the largest magnitude of the head. At 1% the
 * 5-fold CV matches the unpruned head within 0.001; 2% cost 0.002–0.003 accuracy.
 */
export function compactHead(head: LinearHead, temperature: number, relThreshold = 0.01): SparseHead {
  const c = head.labels.length;
  let max = 0;
  for (const v of head.weights) max = Math.max(max, Math.abs(v));
  const cut = max * relThreshold;
  const keep = (v: number) => v !== 0 && Math.abs(v) >= cut;
  // Two passes (count, then fill typed arrays): no growing JS arrays at the training peak.
  let total = 0;
  for (const v of head.weights) if (keep(v)) total++;
  const rowPtr = new Uint32Array(head.dims + 1);
  const cls = new Uint16Array(total);
  const w = new Float32Array(total);
  let n = 0;
  for (let f = 0; f < head.dims; f++) {
    for (let j = 0; j < c; j++) {
      const v = head.weights[f * c + j] as number;
      if (keep(v)) (cls[n] = j), (w[n] = v), n++;
    }
    rowPtr[f + 1] = n;
  }
  return { labels: head.labels, bias: head.bias, rowPtr, cls, w, temperature };
}

/**
 * Drops the entries whose typical contribution |w| × idf(f) is below `rel` × the largest
 * of the table. Frequent n-grams (low idf, small values in a text) carry a weight for
 * nearly every class, and every text has many of them: they made most of the scoring
 * work and little of the decision. 5-fold CV on the 2,000 appeals at 0.02: topic and
 * department accuracy unchanged (0.554 / 0.453), 3.2× fewer entries read per text; at
 * 0.03 accuracy fell by 0.4–0.8 points. Returns a new table; the other fields are kept.
 */
export function pruneByContribution<T extends FeatureMajorWeights & { rowPtr: Uint32Array; cls: Uint16Array; w: Float32Array }>(m: T, idf: Float32Array, rel: number): T {
  const dims = m.rowPtr.length - 1;
  let max = 0;
  for (let f = 0; f < dims; f++) for (let p = m.rowPtr[f] as number; p < (m.rowPtr[f + 1] as number); p++) max = Math.max(max, Math.abs(m.w[p] as number) * (idf[f] as number));
  const cut = max * rel;
  const keep = (f: number, p: number) => Math.abs(m.w[p] as number) * (idf[f] as number) >= cut;
  let total = 0;
  for (let f = 0; f < dims; f++) for (let p = m.rowPtr[f] as number; p < (m.rowPtr[f + 1] as number); p++) if (keep(f, p)) total++;
  const rowPtr = new Uint32Array(dims + 1);
  const cls = new Uint16Array(total);
  const w = new Float32Array(total);
  let n = 0;
  for (let f = 0; f < dims; f++) {
    for (let p = m.rowPtr[f] as number; p < (m.rowPtr[f + 1] as number); p++) if (keep(f, p)) (cls[n] = m.cls[p] as number), (w[n] = m.w[p] as number), n++;
    rowPtr[f + 1] = n;
  }
  return { ...m, rowPtr, cls, w };
}

/** Raw linear scores (bias included, before the temperature) into `out`. */
export function rawScores(head: SparseHead, x: SparseVector, out = new Float32Array(head.labels.length)): Float32Array {
  out.set(head.bias);
  return addSparseProduct(head, x, out);
}

/** Feature-major sparse weights: for feature f, entries rowPtr[f]..rowPtr[f+1] of (class, weight). */
export interface FeatureMajorWeights {
  rowPtr: ArrayLike<number>;
  cls: ArrayLike<number>;
  w: ArrayLike<number>;
}

/** Adds x · W to `out` (one slot per class), walking only the vector's non-zero features. */
export function addSparseProduct(m: FeatureMajorWeights, x: SparseVector, out: Float32Array): Float32Array {
  for (let k = 0; k < x.idx.length; k++) {
    const f = x.idx[k] as number;
    const v = x.val[k] as number;
    const end = m.rowPtr[f + 1] as number;
    for (let p = m.rowPtr[f] as number; p < end; p++) {
      const c = m.cls[p] as number;
      out[c] = (out[c] as number) + v * (m.w[p] as number);
    }
  }
  return out;
}

/** Probabilities over the head's labels; `calibration` multiplies the head's own temperature. */
export function probabilities(head: SparseHead, x: SparseVector, calibration = 1): Float32Array {
  const out = rawScores(head, x);
  const a = head.temperature * calibration;
  for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) * a;
  softmaxInPlace(out);
  return out;
}

/** The best `k` labels of a probability vector, most likely first (one pass, no sort). */
export function topK(labels: string[], p: Float32Array, k = 3): HeadPrediction {
  const best: number[] = [];
  for (let j = 0; j < p.length; j++) {
    if (best.length === k && (p[j] as number) <= (p[best[k - 1] as number] as number)) continue;
    let at = best.length < k ? best.length : k - 1;
    while (at > 0 && (p[best[at - 1] as number] as number) < (p[j] as number)) at--;
    best.splice(at, 0, j);
    if (best.length > k) best.pop();
  }
  const top = best.map((j) => ({ label: labels[j] as string, probability: p[j] as number }));
  const first = top[0] ?? { label: labels[0] as string, probability: 0 };
  return { label: first.label, probability: first.probability, second: top[1] ?? null, top };
}
