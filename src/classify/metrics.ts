import { expectedCalibrationError, pointFor } from './calibrate.js';
import { isIncidentKind, KINDS, type Kind } from '../domain/classification.js';
import { guessKind } from './lexicon.js';
import { predict, type ModelPrediction, type Sample, type TextModel } from './model.js';

export interface EvalResult {
  n: number;
  topic_accuracy: number | null;
  department_accuracy: number | null;
  macro_f1_topic: number | null;
  /** The gold label among the best three. */
  topic_top3: number | null;
  department_top3: number | null;
  /** Expected calibration error of the top topic's probability (10 bins). */
  topic_ece: number | null;
  /** Target precision, and the share decided alone with the model's stored threshold and its precision there. */
  auto_precision: number | null;
  auto_coverage: number | null;
  auto_precision_measured: number | null;
  /** Rows whose gold kind is known (the file has a kind column): incidents found, and non-incidents left out. */
  incident_recall: number | null;
  incident_specificity: number | null;
}

/** Mean of per-label F1 over labels present in the gold data or predicted. */
export function macroF1(gold: string[], pred: string[]): number {
  const labels = new Set([...gold]);
  let sum = 0;
  for (const l of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    gold.forEach((g, i) => {
      const p = pred[i];
      if (p === l && g === l) tp++;
      else if (p === l) fp++;
      else if (g === l) fn++;
    });
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return labels.size ? sum / labels.size : 0;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

const ratio = (a: number, b: number) => (b ? round(a / b) : null);

type Head = 'topic' | 'department';

/** Per-target tallies of one evaluation run. */
function tally() {
  return { gold: [] as string[], pred: [] as string[], top3: 0, conf: [] as number[] };
}

/** Accuracy, top-3, macro-F1, calibration error and auto coverage of a model on labelled samples (rows without a label are skipped per target). */
export function evaluate(model: TextModel, samples: Sample[], opts: { autoPrecision?: number } = {}): EvalResult {
  const t = { topic: tally(), department: tally() };
  const target = opts.autoPrecision ?? 0.9;
  const point = model.auto ? pointFor(model.auto, target) : null;
  let decided = 0;
  let decidedRight = 0;
  let auto = 0;
  const detect = { tp: 0, fn: 0, tn: 0, fp: 0 };
  for (const s of samples) {
    const p = predict(model, s.text);
    countDetection(detect, s, p);
    for (const h of ['topic', 'department'] as const) record(t[h], s[h], p[h]);
    if (!s.topic || !p.topic) continue;
    auto++;
    const deptP = p.department ? p.department.probability : 1;
    if (point && p.topic.probability * deptP >= point.threshold) {
      decided++;
      if (p.topic.label === s.topic && (!s.department || p.department?.label === s.department)) decidedRight++;
    }
  }
  const acc = (h: Head) => (t[h].gold.length ? round(t[h].gold.filter((g, i) => g === t[h].pred[i]).length / t[h].gold.length) : null);
  const ok = t.topic.gold.map((g, i) => g === t.topic.pred[i]);
  return {
    n: samples.length,
    topic_accuracy: acc('topic'),
    department_accuracy: acc('department'),
    macro_f1_topic: t.topic.gold.length ? round(macroF1(t.topic.gold, t.topic.pred)) : null,
    topic_top3: ratio(t.topic.top3, t.topic.gold.length),
    department_top3: ratio(t.department.top3, t.department.gold.length),
    topic_ece: t.topic.gold.length ? round(expectedCalibrationError(t.topic.conf, ok)) : null,
    auto_precision: model.auto ? target : null,
    auto_coverage: model.auto ? ratio(decided, auto) : null,
    auto_precision_measured: model.auto && decided ? round(decidedRight / decided) : null,
    incident_recall: ratio(detect.tp, detect.tp + detect.fn),
    incident_specificity: ratio(detect.tn, detect.tn + detect.fp),
  };
}

function record(t: ReturnType<typeof tally>, gold: string | null | undefined, p: ModelPrediction[Head]): void {
  if (!gold) return;
  t.gold.push(gold);
  t.pred.push(p?.label ?? '');
  t.conf.push(p?.probability ?? 0);
  if (p?.top.some((x) => x.label === gold)) t.top3++;
}

const isKind = (k: string | null | undefined): k is Kind => !!k && (KINDS as readonly string[]).includes(k);

/** Incident or not, as the classifier decides it: the learned kind head, else the kind lexicon. */
function countDetection(d: { tp: number; fn: number; tn: number; fp: number }, s: Sample, p: ModelPrediction): void {
  if (!isKind(s.kind)) return;
  const predicted = isKind(p.kind?.label) ? p.kind.label : guessKind(s.text, p.topic !== undefined).kind;
  const gold = isIncidentKind(s.kind);
  const said = isIncidentKind(predicted);
  if (gold) said ? d.tp++ : d.fn++;
  else said ? d.fp++ : d.tn++;
}
