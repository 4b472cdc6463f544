import type { SparseVector } from './features.js';
import { seededRandom, shuffleInPlace } from './random.js';

/** A linear softmax (multinomial logistic regression) head over sparse features. */
export interface LinearHead {
  labels: string[];
  dims: number;
  /** Feature-major weights: w[f * classes + c]; one contiguous row per feature makes scoring cache-friendly. */
  weights: Float32Array;
  bias: Float32Array;
}

export interface TrainOptions {
  epochs?: number;
  /** L2 regularization strength. */
  lambda?: number;
  /** Initial learning rate. */
  eta?: number;
  seed?: number;
  decay?: number;
}

/** Raw scores (logits) of one vector. */
export function scores(head: LinearHead, x: SparseVector, out = new Float32Array(head.labels.length)): Float32Array {
  const c = head.labels.length;
  out.set(head.bias);
  const w = head.weights;
  for (let k = 0; k < x.idx.length; k++) {
    const base = (x.idx[k] as number) * c;
    const v = x.val[k] as number;
    for (let j = 0; j < c; j++) out[j] = (out[j] as number) + v * (w[base + j] as number);
  }
  return out;
}

/** Softmax in place; returns the index of the largest probability. */
export function softmaxInPlace(z: Float32Array): number {
  let max = -Infinity;
  let arg = 0;
  for (let j = 0; j < z.length; j++) if ((z[j] as number) > max) (max = z[j] as number), (arg = j);
  let sum = 0;
  for (let j = 0; j < z.length; j++) sum += z[j] = Math.exp((z[j] as number) - max);
  for (let j = 0; j < z.length; j++) z[j] = (z[j] as number) / sum;
  return arg;
}

/**
 * SGD on the cross-entropy with L2 through a global scale factor (Bottou's trick),
 * so each step touches only the rows of the features present in the sample.
 */
export function trainSoftmax(xs: SparseVector[], ys: Int32Array, labels: string[], dims: number, opts: TrainOptions = {}): LinearHead {
  const { epochs = 12, lambda = 1e-5, eta = 0.5, seed = 0 } = opts;
  const c = labels.length;
  const v = new Float32Array(dims * c);
  const bias = new Float32Array(c);
  const z = new Float32Array(c);
  const order = Array.from(xs.keys());
  const rnd = seededRandom(seed);
  let scale = 1;
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(order, rnd);
    const rate = eta / (1 + epoch * (opts.decay ?? 1));
    for (const i of order) {
      const x = xs[i] as SparseVector;
      scale *= 1 - rate * lambda;
      predictScaled(v, bias, scale, x, z);
      softmaxInPlace(z);
      z[ys[i] as number] = (z[ys[i] as number] as number) - 1;
      const step = rate / scale;
      for (let k = 0; k < x.idx.length; k++) {
        const base = (x.idx[k] as number) * c;
        const g = step * (x.val[k] as number);
        for (let j = 0; j < c; j++) v[base + j] = (v[base + j] as number) - g * (z[j] as number);
      }
      for (let j = 0; j < c; j++) bias[j] = (bias[j] as number) - rate * (z[j] as number);
      if (scale < 1e-6) scale = rescale(v, scale);
    }
  }
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * scale;
  return { labels, dims, weights: v, bias };
}

function predictScaled(v: Float32Array, bias: Float32Array, scale: number, x: SparseVector, z: Float32Array): void {
  const c = bias.length;
  z.fill(0);
  for (let k = 0; k < x.idx.length; k++) {
    const base = (x.idx[k] as number) * c;
    const val = x.val[k] as number;
    for (let j = 0; j < c; j++) z[j] = (z[j] as number) + val * (v[base + j] as number);
  }
  for (let j = 0; j < c; j++) z[j] = (z[j] as number) * scale + (bias[j] as number);
}

function rescale(v: Float32Array, scale: number): number {
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * scale;
  return 1;
}
