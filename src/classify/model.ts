import { buildVocabulary, hashedCounts, vectorize, type SparseVector, type Vocabulary } from './features.js';
import { compactHead, probabilities, topTwo, type HeadPrediction, type SparseHead } from './head.js';
import { trainSoftmax, type LinearHead } from './softmax.js';
import { trainSvm } from './svm.js';

/** One labelled text; any subset of the targets may be present. */
export interface Sample {
  text: string;
  topic?: string | null;
  department?: string | null;
  kind?: string | null;
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
}

/** SVM and softmax logits are summed into one linear head (cheaper than averaging two models at run time). */
const SVM_SCALE = 5;

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

function trainHead(xs: SparseVector[], target: { rows: number[]; labels: string[] }, values: string[], dims: number, svmWeight: number): SparseHead {
  const index = new Map(target.labels.map((l, i) => [l, i]));
  const vs = target.rows.map((i) => xs[i] as SparseVector);
  const ys = Int32Array.from(target.rows.map((i) => index.get(values[i] as string) as number));
  const svm = trainSvm(vs, ys, target.labels, dims, { c: 0.5 });
  const head = svmWeight >= 1 ? scaled(svm, SVM_SCALE) : mergeHeads(svm, trainSoftmax(vs, ys, target.labels, dims, { epochs: 6, lambda: 0, eta: 10 }), svmWeight);
  return compactHead(head, 1);
}

function scaled(h: LinearHead, k: number): LinearHead {
  return { ...h, weights: h.weights.map((v) => v * k), bias: h.bias.map((v) => v * k) };
}

/** Trains the vocabulary and every head that has labels. Deterministic for the same samples. */
export function trainModel(samples: Sample[], opts: TrainModelOptions = {}): TextModel {
  const counts = samples.map((s) => hashedCounts(s.text));
  // Tiny training sets keep every n-gram; larger ones drop hashes seen in one document only.
  const vocab = buildVocabulary(counts, samples.length >= 200 ? 2 : 1);
  const xs = counts.map((c) => vectorize(c, vocab));
  const heads: TextModel['heads'] = {};
  for (const t of TARGETS) {
    const target = labelled(samples, t);
    if (!target) continue;
    const values = samples.map((s) => (s[t] ?? '') as string);
    heads[t] = trainHead(xs, target, values, vocab.idf.length, opts.svmWeight ?? 1);
  }
  return {
    version: opts.version ?? 1,
    trainedAt: (opts.trainedAt ?? new Date()).toISOString(),
    samples: samples.length,
    metrics: {},
    vocab,
    heads,
  };
}

/** Vectorizes once and runs every head. */
export function predict(model: TextModel, text: string): ModelPrediction {
  const vector = vectorize(hashedCounts(text), model.vocab);
  const out: ModelPrediction = { vector };
  for (const t of TARGETS) {
    const head = model.heads[t];
    if (head) out[t] = topTwo(head.labels, probabilities(head, vector));
  }
  return out;
}

/** Vector of a text in the model's feature space (few-shot example search). */
export function embed(model: TextModel, text: string): SparseVector {
  return vectorize(hashedCounts(text), model.vocab);
}
