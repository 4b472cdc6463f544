import { autoTable, expectedCalibrationError, fitTemperature, pointFor } from './calibrate.js';
import { fitReliability, mapReliability, type Reliability } from './reliability.js';
import { predictRaw, trainBase, type Sample, type Target, type TextModel, type TrainModelOptions } from './model.js';
import { seededRandom, shuffleInPlace } from './random.js';

/**
 * Training with honest numbers: the training set is split into folds, a model trained
 * on the other folds predicts each one, and those out-of-fold predictions are what the
 * temperatures, the auto-decision threshold and the reported metrics are fitted on.
 * The final model is then trained on everything.
 */

export interface TrainOptions extends TrainModelOptions {
  /**
   * Inner folds for the out-of-fold predictions (default 2: each text predicted by a model
   * trained on the other half, so training costs about twice one model; fewer than 2 skips calibration).
   */
  folds?: number;
  /** Precision the auto threshold is reported at (`classifier.auto_precision`, default 0.9). */
  autoPrecision?: number;
  /** Called as work advances: `done` of `total` steps (folds + the final model). */
  onProgress?: (done: number, total: number) => void;
}

/** Held-out metrics of one training run (out-of-fold predictions, calibrated). */
export interface HeldOutMetrics {
  kind: 'held-out';
  folds: number;
  n: number;
  topic_accuracy: number | null;
  topic_top3: number | null;
  topic_ece: number | null;
  department_accuracy: number | null;
  department_top3: number | null;
  department_ece: number | null;
  auto_precision: number;
  /** Share of texts decided alone at that precision (0 when it was never reached). */
  auto_coverage: number;
}

/** Out-of-fold probabilities over the final label lists (null where a target is unlabelled). */
interface Oof {
  p: Partial<Record<Target, (Float32Array | null)[]>>;
}

const HEADS = ['topic', 'department'] as const;
const INNER_EPS = 0.3;
const round = (x: number) => Math.round(x * 1000) / 1000;

/** Shuffled folds of 0..n-1 (seeded): fold f holds every k-th index of the shuffled order. */
export function kFolds(n: number, k: number, seed = 0): number[][] {
  const order = shuffleInPlace(Array.from({ length: n }, (_, i) => i), seededRandom(seed));
  return Array.from({ length: k }, (_, f) => order.filter((_, i) => i % k === f));
}

function outOfFold(samples: Sample[], labels: Partial<Record<Target, string[]>>, k: number, opts: TrainOptions): Oof {
  const oof: Oof = { p: {} };
  for (const t of HEADS) if (labels[t]) oof.p[t] = samples.map(() => null);
  kFolds(samples.length, k, 1).forEach((test, f) => {
    const held = new Set(test);
    // A looser SVM stopping rule for the fold models: a quarter less time, accuracy within 0.002 (5-fold CV).
    const model = trainBase(samples.filter((_, i) => !held.has(i)), { ...opts, svm: { eps: INNER_EPS, ...opts.svm } });
    for (const i of test) {
      const raw = predictRaw(model, (samples[i] as Sample).text);
      for (const t of HEADS) {
        const all = labels[t];
        const head = model.heads[t];
        const p = raw[t];
        if (!all || !head || !p) continue;
        // The fold's head knows a subset of the labels: unseen ones get probability 0.
        const full = new Float32Array(all.length);
        head.labels.forEach((l, j) => (full[all.indexOf(l)] = p[j] as number));
        (oof.p[t] as (Float32Array | null)[])[i] = full;
      }
    }
    opts.onProgress?.(f + 1, k + 1);
  });
  return oof;
}

function argmax(p: Float32Array): number {
  let a = 0;
  for (let j = 1; j < p.length; j++) if ((p[j] as number) > (p[a] as number)) a = j;
  return a;
}

function rankOf(p: Float32Array, g: number): number {
  let r = 0;
  for (let j = 0; j < p.length; j++) if ((p[j] as number) > (p[g] as number)) r++;
  return r;
}

interface HeadFit {
  temperature: number;
  reliability: Reliability | null;
  /** Per row: top probability after calibration and whether the top guess was right (null without gold/oof). */
  rows: ({ p: number; ok: boolean } | null)[];
  accuracy: number | null;
  top3: number | null;
  ece: number | null;
}

function fitHead(samples: Sample[], t: Target, all: string[], probs: (Float32Array | null)[]): HeadFit {
  const index = new Map(all.map((l, i) => [l, i]));
  const idx = samples.flatMap((s, i) => (s[t] && probs[i] ? [i] : []));
  const rowsP = idx.map((i) => probs[i] as Float32Array);
  const gold = Int32Array.from(idx, (i) => index.get(samples[i]?.[t] as string) ?? -1);
  const temperature = fitTemperature(rowsP, gold);
  const rows: HeadFit['rows'] = samples.map(() => null);
  let top3 = 0;
  idx.forEach((i, r) => {
    const p = Float32Array.from(rowsP[r] as Float32Array, (v) => Math.pow(Math.max(v, 1e-30), temperature));
    let sum = 0;
    for (const v of p) sum += v;
    const best = argmax(p);
    rows[i] = { p: (p[best] as number) / sum, ok: best === gold[r] };
    if ((gold[r] as number) >= 0 && rankOf(p, gold[r] as number) < 3) top3++;
  });
  const tempered = rows.filter((r): r is { p: number; ok: boolean } => r !== null);
  const reliability = fitReliability(tempered.map((r) => r.p), tempered.map((r) => r.ok));
  // The auto threshold and the held-out numbers read the probabilities the model will show.
  const scored = tempered.map((r) => (r.p = reliability ? mapReliability(reliability, r.p) : r.p, r));
  const n = scored.length;
  return {
    temperature,
    reliability,
    rows,
    accuracy: n ? round(scored.filter((r) => r.ok).length / n) : null,
    top3: n ? round(top3 / n) : null,
    // On the rows the reliability map was fitted on, so optimistic; bench:classify measures it on unseen folds.
    ece: n ? round(expectedCalibrationError(scored.map((r) => r.p), scored.map((r) => r.ok))) : null,
  };
}

/** Labels of a target as the final model will see them (sorted, at least two). */
function labelList(samples: Sample[], t: Target): string[] | undefined {
  const l = [...new Set(samples.flatMap((s) => (s[t] ? [s[t] as string] : [])))].sort();
  return l.length >= 2 ? l : undefined;
}

/**
 * Auto-decision score of a text: P(topic) × P(department) (topic alone without a
 * department head); right when every present target was right.
 */
function autoRows(fits: Partial<Record<'topic' | 'department', HeadFit>>, n: number) {
  const score: number[] = [];
  const correct: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const parts = HEADS.map((t) => fits[t]?.rows[i]).filter((r): r is { p: number; ok: boolean } => !!r);
    if (!fits.topic?.rows[i]) continue;
    score.push(parts.reduce((a, r) => a * r.p, 1));
    correct.push(parts.every((r) => r.ok));
  }
  return { score, correct };
}

/** Trains a calibrated model: out-of-fold calibration and auto threshold, then the final model on all samples. */
export function trainModel(samples: Sample[], opts: TrainOptions = {}): TextModel {
  const k = Math.min(opts.folds ?? 2, samples.length);
  const target = opts.autoPrecision ?? 0.9;
  const labels: Partial<Record<Target, string[]>> = { topic: labelList(samples, 'topic'), department: labelList(samples, 'department') };
  let fits: Partial<Record<'topic' | 'department', HeadFit>> = {};
  let metrics: HeldOutMetrics | null = null;
  if (k >= 2 && labels.topic) {
    const oof = outOfFold(samples, labels, k, opts);
    fits = Object.fromEntries(HEADS.flatMap((t) => (labels[t] && oof.p[t] ? [[t, fitHead(samples, t, labels[t], oof.p[t])]] : [])));
  }
  const model = trainBase(samples, opts);
  opts.onProgress?.(k >= 2 ? k + 1 : 1, k >= 2 ? k + 1 : 1);
  if (fits.topic) {
    const { score, correct } = autoRows(fits, samples.length);
    model.auto = autoTable(score, correct);
    model.calibration = Object.fromEntries(HEADS.flatMap((t) => (fits[t] ? [[t, fits[t].temperature]] : [])));
    model.reliability = Object.fromEntries(HEADS.flatMap((t) => (fits[t]?.reliability ? [[t, fits[t].reliability]] : [])));
    metrics = {
      kind: 'held-out',
      folds: k,
      n: score.length,
      topic_accuracy: fits.topic.accuracy,
      topic_top3: fits.topic.top3,
      topic_ece: fits.topic.ece,
      department_accuracy: fits.department?.accuracy ?? null,
      department_top3: fits.department?.top3 ?? null,
      department_ece: fits.department?.ece ?? null,
      auto_precision: target,
      auto_coverage: round(pointFor(model.auto, target)?.coverage ?? 0),
    };
  }
  if (metrics) model.metrics = { ...metrics };
  return model;
}
