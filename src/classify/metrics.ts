import { predict, type Sample, type TextModel } from './model.js';

export interface EvalResult {
  n: number;
  topic_accuracy: number | null;
  department_accuracy: number | null;
  macro_f1_topic: number | null;
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

/** Accuracy and macro-F1 of a model on labelled samples (rows without a label are skipped per target). */
export function evaluate(model: TextModel, samples: Sample[]): EvalResult {
  const gold = { topic: [] as string[], department: [] as string[] };
  const pred = { topic: [] as string[], department: [] as string[] };
  for (const s of samples) {
    const p = predict(model, s.text);
    for (const t of ['topic', 'department'] as const) {
      const g = s[t];
      if (!g) continue;
      gold[t].push(g);
      pred[t].push(p[t]?.label ?? '');
    }
  }
  const acc = (t: 'topic' | 'department') =>
    gold[t].length ? round(gold[t].filter((g, i) => g === pred[t][i]).length / gold[t].length) : null;
  return {
    n: samples.length,
    topic_accuracy: acc('topic'),
    department_accuracy: acc('department'),
    macro_f1_topic: gold.topic.length ? round(macroF1(gold.topic, pred.topic)) : null,
  };
}
