import type { Clock } from '../clock.js';
import type { Env } from '../config/env.js';
import type { Installation } from '../config/installation.js';
import type { Db } from '../db/client.js';
import { KINDS, type Classification, type Classifier, type Kind } from '../domain/classification.js';
import type { Logger } from '../log.js';
import { createExampleFinder } from './fewshot.js';
import { guessKind } from './lexicon.js';
import { createLlmClassifier, llmConfigured, type LlmAnswer, type LlmClassifier } from './llm.js';
import { pointFor } from './calibrate.js';
import { predict, type ModelPrediction, type TextModel } from './model.js';
import { classifyByRules } from './rules.js';
import { loadActiveModel } from './store.js';
import { createTaxonomy, looksLikeInjection, type Taxonomy } from './taxonomy.js';

export { createRulesClassifier, kindOf } from './rules.js';
export { recordLabel, retrain, importLabels, trainingSamples } from './labels.js';
export { saveModel, loadActiveModel } from './store.js';

export interface ClassifierDeps {
  installation: Installation;
  db: Db;
  env: Env;
  log: Logger;
  clock: Clock;
  /** Extra floor on the topic probability for the model to decide alone (tests force the fallbacks with it). */
  modelThreshold?: number;
  /** Passed to the LLM client (tests use 0 to see each failure once). */
  llmMaxRetries?: number;
}

export type CombinedClassifier = Classifier & {
  /** Loads the newest active model from the database (after a retrain). */
  reload(): Promise<void>;
  /** The model in use, if any. */
  model(): TextModel | null;
};

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

function modelDecision(model: TextModel, tax: Taxonomy, text: string, opts: { precision: number; floor?: number }): Classification {
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

function llmDecision(a: LlmAnswer, tax: Taxonomy): Classification {
  const topic = tax.topic(a.topic);
  // A non-incident verdict from the LLM would hide the post: moderators confirm it.
  const sure = a.confidence >= 0.7 && topic !== null && a.kind !== 'noise' && a.kind !== 'thanks';
  return {
    kind: a.kind,
    topic: topic?.name ?? null,
    department: a.department ?? topic?.config?.department ?? null,
    confidence: a.confidence,
    by: 'llm',
    needsReview: !sure,
    explanation: `LLM${a.cached ? ' (кэш)' : ''}: ${a.reason || (topic ? `тема «${topic.name}»` : 'тема не определена')}`.slice(0, 300),
  };
}

/** Builds the combined classifier: trained model → LLM (when configured and the model is unsure) → rules. */
export async function createClassifier(deps: ClassifierDeps): Promise<CombinedClassifier> {
  const { installation, db, env, log } = deps;
  const decision = { precision: installation.classifier.auto_precision, floor: deps.modelThreshold };
  const tax = createTaxonomy(installation);
  let model: TextModel | null = null;
  const reload = async () => {
    try {
      model = await loadActiveModel(db);
    } catch (e) {
      log.error({ err: (e as Error).message }, 'stored classifier model unreadable; using rules');
      model = null;
    }
  };
  await reload();
  const allowedTopics = installation.topics.length ? tax.topicNames() : undefined;
  const llm: LlmClassifier | null = llmConfigured(env)
    ? createLlmClassifier({ installation, db, env, clock: deps.clock, log, maxRetries: deps.llmMaxRetries, examples: createExampleFinder(db, () => model, { allowedTopics }) })
    : null;

  async function decide(text: string): Promise<Classification> {
    const fromModel = model ? modelDecision(model, tax, text, decision) : null;
    if (fromModel && !fromModel.needsReview) return fromModel;
    const answer = llm ? await llm.ask(text) : null;
    if (answer) return llmDecision(answer, tax);
    const rules = classifyByRules(installation, text);
    if (fromModel?.topic && (!rules.topic || fromModel.confidence > rules.confidence)) return fromModel;
    // The model was unsure: rules decide the topic, but a model guess means a human should look.
    // The model's ranking still helps the moderator choose.
    return fromModel ? { ...rules, needsReview: true, auto: false, topTopics: fromModel.topTopics, topDepartments: fromModel.topDepartments } : rules;
  }

  async function classify(text: string): Promise<Classification> {
    let c: Classification;
    try {
      c = await decide(text);
    } catch (e) {
      log.error({ err: (e as Error).message }, 'classifier failed; falling back to rules');
      c = { ...classifyByRules(installation, text), needsReview: true };
    }
    // A steering attempt goes to moderators unless the trained model alone was confident.
    if (looksLikeInjection(text) && (c.by !== 'model' || c.needsReview)) c = { ...c, needsReview: true, explanation: `${c.explanation ?? ''}; текст похож на попытку управлять классификатором`.replace(/^; /, '') };
    return c;
  }

  return { classify, reload, model: () => model };
}
