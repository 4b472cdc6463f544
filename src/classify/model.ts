import { departmentProbabilities, trainDepartmentBlend, type DepartmentBlend } from './department.js';
import { textVector, vocabularyOf, type SparseVector, type Vocabulary } from './features.js';
import { cnbFinish } from './cnb.js';
import { fuse, fusedScores, type Fused } from './fused.js';
import type { AutoPoint } from './calibrate.js';
import { applyReliability, type Reliability } from './reliability.js';
import { compactHead, probabilities, pruneByContribution, topK, type HeadPrediction, type SparseHead } from './head.js';
import { softmaxInPlace, trainSoftmax, type LinearHead } from './softmax.js';
import { trainSvm, type SvmOptions } from './svm.js';

/** One labelled text; any subset of the targets may be present. */
export interface Sample {
  text: string;
  topic?: string | null;
  department?: string | null;
  kind?: string | null;
  /** The topic's group, when the history has one (not a target of its own: it structures the topic head). */
  group?: string | null;
}

export const TARGETS = ['topic', 'department', 'kind'] as const;
export type Target = (typeof TARGETS)[number];

/** The offline model: one vocabulary, one linear head per target that had labels. */
export interface TextModel {
  version: number;
  trainedAt: string;
  samples: number;
  metrics: Record<string, unknown>;
  vocab: Vocabulary;
  heads: Partial<Record<Target, SparseHead>>;
  /** Present when both topic and department were trained (see department.ts). */
  departmentBlend?: DepartmentBlend;
  /** Per-head temperature fitted on held-out folds (see calibrate.ts); absent in older models. */
  calibration?: Partial<Record<Target, number>>;
  /** Per-head map of the first guess's probability, fitted after the temperature on the same folds (see reliability.ts); absent in older models. */
  reliability?: Partial<Record<Target, Reliability>>;
  /**
   * When the model decides alone: per target precision, the held-out threshold on
   * P(topic) × P(department) and the share of texts it covered. Absent in older models.
   */
  auto?: AutoPoint[];
}

export interface ModelPrediction {
  vector: SparseVector;
  topic?: HeadPrediction;
  department?: HeadPrediction;
  kind?: HeadPrediction;
}

export interface TrainModelOptions {
  version?: number;
  trainedAt?: Date;
  /** Weight of the SVM scores vs the logistic-regression scores in the merged head. */
  svmWeight?: number;
  /** SVM solver settings (experiments; defaults as measured). */
  svm?: SvmOptions;
}

/** SVM and softmax logits are summed into one linear head (cheaper than averaging two models at run time). */
const SVM_SCALE = 5;

/**
 * One-vs-rest SVMs under-predict rare classes (each binary problem is dominated by its
 * negatives); a small negative log-prior in the bias gives them back some room.
 * 5-fold CV on 161 topics: +0.004 topic accuracy; the department head did not gain.
 */
const PRIOR_SHIFT: Partial<Record<Target, number>> = { topic: -0.04 };

/** Relative contribution below which a weight is dropped (see pruneByContribution). */
const PRUNE = 0.02;

/** A target needs at least two labels, each seen, to be worth a head. */
function labelled(samples: Sample[], target: Target): { rows: number[]; labels: string[] } | null {
  const rows = samples.flatMap((s, i) => (s[target] ? [i] : []));
  const labels = [...new Set(rows.map((i) => samples[i]?.[target] as string))].sort();
  return labels.length >= 2 ? { rows, labels } : null;
}

function mergeHeads(svm: LinearHead, lr: LinearHead, svmWeight: number): LinearHead {
  const a = svmWeight * SVM_SCALE;
  const b = 1 - svmWeight;
  const weights = svm.weights.map((v, i) => a * v + b * (lr.weights[i] as number));
  const bias = svm.bias.map((v, i) => a * v + b * (lr.bias[i] as number));
  return { labels: svm.labels, dims: svm.dims, weights, bias };
}

function shiftByPrior(bias: Float32Array, ys: Int32Array, shift: number): void {
  const counts = new Float64Array(bias.length).fill(1);
  for (const y of ys) counts[y] = (counts[y] as number) + 1;
  for (let c = 0; c < bias.length; c++) bias[c] = (bias[c] as number) + shift * Math.log((counts[c] as number) / ys.length);
}

function targetRows(xs: SparseVector[], target: { rows: number[]; labels: string[] }, values: string[]) {
  const index = new Map(target.labels.map((l, i) => [l, i]));
  const vs = target.rows.map((i) => xs[i] as SparseVector);
  const ys = Int32Array.from(target.rows.map((i) => index.get(values[i] as string) as number));
  return { vs, ys };
}

function trainHead(xs: SparseVector[], target: { rows: number[]; labels: string[] }, values: string[], dims: number, svmWeight: number, shift = 0, svmOpts: SvmOptions = {}): SparseHead {
  const { vs, ys } = targetRows(xs, target, values);
  const svm = trainSvm(vs, ys, target.labels, dims, { c: 0.5, ...svmOpts });
  if (shift) shiftByPrior(svm.bias, ys, shift);
  const head = svmWeight >= 1 ? scaled(svm, SVM_SCALE) : mergeHeads(svm, trainSoftmax(vs, ys, target.labels, dims, { epochs: 6, lambda: 0, eta: 10 }), svmWeight);
  return compactHead(head, 1);
}

/** Scales a head in place (a copy of a 161-topic weight table is 27 MB at the training peak). */
function scaled(h: LinearHead, k: number): LinearHead {
  for (let i = 0; i < h.weights.length; i++) h.weights[i] = (h.weights[i] as number) * k;
  for (let i = 0; i < h.bias.length; i++) h.bias[i] = (h.bias[i] as number) * k;
  return h;
}

function blendFor(samples: Sample[], xs: SparseVector[], topic: SparseHead, dept: SparseHead, dims: number): DepartmentBlend {
  const ti = new Map(topic.labels.map((l, i) => [l, i]));
  const target = labelled(samples, 'department') as { rows: number[]; labels: string[] };
  const { vs, ys } = targetRows(xs, target, samples.map((s) => s.department ?? ''));
  const pairs: [number, number][] = [];
  target.rows.forEach((r, k) => {
    const t = ti.get(samples[r]?.topic ?? '');
    if (t !== undefined) pairs.push([t, ys[k] as number]);
  });
  return trainDepartmentBlend(vs, ys, dept.labels.length, dims, pairs, topic.labels.length);
}

/** Trains the vocabulary and every head that has labels, uncalibrated (see train.ts). Deterministic for the same samples. */
export function trainBase(samples: Sample[], opts: TrainModelOptions = {}): TextModel {
  const texts = samples.map((s) => s.text);
  // Tiny training sets keep every n-gram; larger ones drop hashes seen in fewer than three documents (5-fold CV: best, and a smaller model).
  const vocab = vocabularyOf(texts, samples.length >= 200 ? 3 : 1);
  // The run-time path gives the same vector as counting then vectorizing (features.test.ts), without a Map per text.
  const xs = texts.map((t) => textVector(t, vocab));
  const heads: TextModel['heads'] = {};
  for (const t of TARGETS) {
    const target = labelled(samples, t);
    if (!target) continue;
    const values = samples.map((s) => (s[t] ?? '') as string);
    heads[t] = pruneByContribution(trainHead(xs, target, values, vocab.idf.length, opts.svmWeight ?? 1, PRIOR_SHIFT[t], opts.svm), vocab.idf, PRUNE);
  }
  const blend = heads.topic && heads.department ? blendFor(samples, xs, heads.topic, heads.department, vocab.idf.length) : undefined;
  const departmentBlend = blend && { ...blend, cnb: pruneByContribution(blend.cnb, vocab.idf, PRUNE) };
  return {
    version: opts.version ?? 1,
    trainedAt: (opts.trainedAt ?? new Date()).toISOString(),
    samples: samples.length,
    metrics: {},
    vocab,
    heads,
    departmentBlend,
  };
}

const fusedTables = new WeakMap<TextModel, Fused>();

/** The topic, department and CNB tables fused once per model object (see fused.ts). */
function fusedOf(model: TextModel, topic: SparseHead, dept: SparseHead, blend: DepartmentBlend): Fused {
  let f = fusedTables.get(model);
  if (!f) {
    const d = dept.labels.length;
    f = fuse([{ rows: topic, width: topic.labels.length }, { rows: dept, width: d }, { rows: blend.cnb, width: d }], model.vocab.idf.length);
    fusedTables.set(model, f);
  }
  return f;
}

function withBias(s: Float32Array, bias: Float32Array): Float32Array {
  for (let j = 0; j < s.length; j++) s[j] = (s[j] as number) + (bias[j] as number);
  return s;
}

function tempered(raw: Float32Array, temperature: number): Float32Array {
  for (let j = 0; j < raw.length; j++) raw[j] = (raw[j] as number) * temperature;
  softmaxInPlace(raw);
  return raw;
}

/** Uncalibrated probabilities of every head, over each head's labels. */
export interface RawPrediction {
  vector: SparseVector;
  topic?: Float32Array;
  department?: Float32Array;
  kind?: Float32Array;
}

/**
 * Vectorizes once and runs every head (topic, department and CNB in one pass when blended).
 * `calibration` multiplies each head's logits before its softmax: the same probabilities as
 * tempering them afterwards (p^a / Σ p^a), without a power per label.
 */
export function predictRaw(model: TextModel, text: string, calibration: TextModel['calibration'] = {}): RawPrediction {
  const vector = textVector(text, model.vocab);
  const out: RawPrediction = { vector };
  const { topic, department, kind } = model.heads;
  const blend = model.departmentBlend;
  const a = (t: Target) => calibration[t] ?? 1;
  if (topic && department && blend) {
    const [t, d] = [topic.labels.length, department.labels.length];
    const all = fusedScores(fusedOf(model, topic, department, blend), vector);
    const topicRaw = withBias(all.subarray(0, t), topic.bias);
    const cnb = cnbFinish(blend.cnb, vector, all.subarray(t + d, t + 2 * d));
    out.department = departmentProbabilities(blend, withBias(all.subarray(t, t + d), department.bias), cnb, topicRaw, a('department'));
    out.topic = tempered(topicRaw, topic.temperature * a('topic'));
  } else {
    if (topic) out.topic = probabilities(topic, vector, a('topic'));
    if (department) out.department = probabilities(department, vector, a('department'));
  }
  if (kind) out.kind = probabilities(kind, vector, a('kind'));
  return out;
}

/** Calibrated probabilities and the best three labels of every head. */
export function predict(model: TextModel, text: string): ModelPrediction {
  const raw = predictRaw(model, text, model.calibration);
  const out: ModelPrediction = { vector: raw.vector };
  for (const t of TARGETS) {
    const head = model.heads[t];
    const p = raw[t];
    if (head && p) out[t] = applyReliability(topK(head.labels, p), model.reliability?.[t]);
  }
  return out;
}

/** Vector of a text in the model's feature space (few-shot example search). */
export function embed(model: TextModel, text: string): SparseVector {
  return textVector(text, model.vocab);
}
