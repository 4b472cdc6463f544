import { trainCnb, type CnbHead } from './cnb.js';
import type { SparseVector } from './features.js';
import { softmaxInPlace } from './softmax.js';

/**
 * Department = SVM head + Complement NB + P(department | topic). The department of an
 * appeal follows its topic only loosely (district administrations take many topics),
 * so the three views are summed on a common scale; 5-fold CV: +0.013 over the SVM alone
 * (weights chosen on the CV; the blend was flat around them).
 */
export interface DepartmentBlend {
  cnb: CnbHead;
  /** P(department | topic), topic-major (topics × departments), smoothed towards the department prior. */
  viaTopic: Float32Array;
}

const CNB_WEIGHT = 0.7;
const TOPIC_WEIGHT = 0.5;
/** Sharpens P(topic) (a softmax over standardized topic scores): the best topics dominate the mixture. */
const TOPIC_SHARPNESS = 2;
/** Pseudo-count pulling a rare topic's departments towards the overall department frequencies. */
const SMOOTHING = 0.5;

/** `pairs` are (topic index, department index) of the training rows that have both labels. */
export function trainDepartmentBlend(xs: SparseVector[], ys: Int32Array, departments: number, dims: number, pairs: [number, number][], topics: number): DepartmentBlend {
  const co = new Float64Array(topics * departments);
  const rowSum = new Float64Array(topics);
  const prior = new Float64Array(departments);
  for (const [t, d] of pairs) co[t * departments + d]! += 1, rowSum[t]! += 1, prior[d]! += 1;
  const n = Math.max(pairs.length, 1);
  const viaTopic = new Float32Array(topics * departments);
  for (let t = 0; t < topics; t++) {
    for (let d = 0; d < departments; d++) {
      viaTopic[t * departments + d] = ((co[t * departments + d] as number) + (SMOOTHING * (prior[d] as number)) / n) / ((rowSum[t] as number) + SMOOTHING);
    }
  }
  return { cnb: trainCnb(xs, ys, departments, dims), viaTopic };
}

/** Scores standardized per text (in place): SVM margins and CNB scores live on very different scales. */
function standardize(s: Float32Array, factor = 1): Float32Array {
  const n = s.length;
  let sum = 0;
  let sq = 0;
  for (let j = 0; j < n; j++) {
    const v = s[j] as number;
    sum += v;
    sq += v * v;
  }
  const mean = sum / n;
  const k = factor / (Math.sqrt(Math.max(sq / n - mean * mean, 0)) || 1);
  for (let j = 0; j < n; j++) s[j] = ((s[j] as number) - mean) * k;
  return s;
}

/** Σ_t P(topic t) · P(department | t) into `via`. */
function viaTopic(blend: DepartmentBlend, topicP: Float32Array, via: Float64Array): void {
  const d = via.length;
  for (let t = 0; t < topicP.length; t++) {
    const w = topicP[t] as number;
    // Topics below 1e-4 change nothing visible and would cost a full row each.
    if (w < 1e-4) continue;
    for (let j = 0, base = t * d; j < d; j++) via[j] = (via[j] as number) + w * (blend.viaTopic[base + j] as number);
  }
}

/**
 * Department probabilities from the three raw views of one text: the department head's
 * scores (bias included), the CNB scores and the topic head's scores. `deptRaw` and
 * `cnbRaw` are overwritten. `temperature` multiplies the blended logits (calibration).
 */
export function departmentProbabilities(blend: DepartmentBlend, deptRaw: Float32Array, cnbRaw: Float32Array, topicRaw: Float32Array, temperature = 1): Float32Array {
  const d = deptRaw.length;
  const out = standardize(deptRaw);
  const cnb = standardize(cnbRaw, CNB_WEIGHT);
  const topicP = standardize(topicRaw.slice(), TOPIC_SHARPNESS);
  softmaxInPlace(topicP);
  const via = new Float64Array(d);
  viaTopic(blend, topicP, via);
  for (let j = 0; j < d; j++) out[j] = ((out[j] as number) + (cnb[j] as number) + TOPIC_WEIGHT * Math.log((via[j] as number) + 1e-6)) * temperature;
  softmaxInPlace(out);
  return out;
}
