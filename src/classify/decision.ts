import { KINDS, type Classification, type Kind } from '../domain/classification.js';
import { pointFor } from './calibrate.js';
import type { Correction } from './corrections.js';
import { guessKind } from './lexicon.js';
import { predict, type ModelPrediction, type TextModel } from './model.js';
import type { Taxonomy } from './taxonomy.js';

/* The trained model's decision for one text: labels mapped onto the installation, top-3, and whether it decides alone. */

const pct = (x: number) => `${Math.round(x * 100)}%`;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The model's best three topics and departments that exist in this installation. */
function ranked(p: ModelPrediction, tax: Taxonomy) {
  const topTopics = (p.topic?.top ?? []).flatMap((t) => {
    const topic = tax.topic(t.label);
    return topic ? [{ name: topic.name, p: round3(t.probability) }] : [];
  });
  const topDepartments = (p.department?.top ?? []).flatMap((d) => {
    const code = tax.department(d.label);
    return code ? [{ code, p: round3(d.probability) }] : [];
  });
  return { topTopics, topDepartments };
}

/**
 * Whether the model decides alone: P(topic) × P(department) at or above the threshold
 * stored with the model for the installation's precision. Older models have no table:
 * then the topic probability against `fallback`.
 */
function decidesAlone(model: TextModel, p: ModelPrediction, topicKnown: boolean, deptKnown: boolean, precision: number, fallback: number): boolean {
  const topicP = topicKnown ? (p.topic?.probability ?? 0) : 0;
  if (!model.auto) return topicP >= fallback;
  const point = pointFor(model.auto, precision);
  const deptP = p.department ? (deptKnown ? p.department.probability : 0) : 1;
  return point !== null && topicKnown && topicP * deptP >= point.threshold;
}

/** What the trained model says of a text, in the installation's terms. */
export function modelDecision(model: TextModel, tax: Taxonomy, text: string, opts: { precision: number; floor?: number }): Classification {
  const p = predict(model, text);
  const topic = tax.topic(p.topic?.label);
  const confidence = topic ? (p.topic?.probability ?? 0) : 0;
  const learnedDept = tax.department(p.department?.label);
  const department = learnedDept ?? topic?.config?.department ?? null;
  const learnedKind = p.kind && (KINDS as readonly string[]).includes(p.kind.label) ? (p.kind.label as Kind) : null;
  const kind = learnedKind ?? guessKind(text, topic !== null).kind;
  const auto = decidesAlone(model, p, topic !== null, learnedDept !== null, opts.precision, 0.5) && confidence >= (opts.floor ?? 0);
  const rule = model.auto ? (auto ? `, решает сам (точность ≥ ${pct(opts.precision)})` : ', нужна проверка') : '';
  const why = topic ? `модель v${model.version}: тема «${topic.name}» (${pct(confidence)})${rule}` : `модель v${model.version}: тема не из справочника`;
  return { kind, topic: topic?.name ?? null, department, confidence, by: 'model', needsReview: !auto, explanation: why, ...ranked(p, tax), auto };
}


/** A moderator's correction of a near-identical text, taken as the decision (see corrections.ts). */
export function correctionDecision(hit: Correction, tax: Taxonomy, text: string, fromModel: Classification | null): Classification | null {
  const topic = tax.topic(hit.topic);
  const kind = hit.kind && (KINDS as readonly string[]).includes(hit.kind) ? (hit.kind as Kind) : null;
  if (!topic && !kind) return null;
  const department = tax.department(hit.department) ?? topic?.config?.department ?? null;
  return {
    kind: kind ?? fromModel?.kind ?? guessKind(text, topic !== null).kind,
    topic: topic?.name ?? null,
    department,
    confidence: round3(hit.similarity),
    by: 'model',
    needsReview: false,
    auto: true,
    explanation: `как почти такое же обращение, исправленное модератором (сходство ${pct(hit.similarity)}); модель переобучится ночью`,
    topTopics: topic ? [{ name: topic.name, p: 1 }] : [],
    topDepartments: department ? [{ code: department, p: 1 }] : [],
  };
}
