import type { Clock } from '../clock.js';
import type { Env } from '../config/env.js';
import type { Installation } from '../config/installation.js';
import type { Db } from '../db/client.js';
import { KINDS, type Classification, type Classifier, type Kind } from '../domain/classification.js';
import type { Logger } from '../log.js';
import { createExampleFinder } from './fewshot.js';
import { guessKind } from './lexicon.js';
import { createLlmClassifier, llmConfigured, type LlmAnswer, type LlmClassifier } from './llm.js';
import { predict, type TextModel } from './model.js';
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
  /** Model topic probability at or above which the model decides alone (default 0.5). */
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

function modelDecision(model: TextModel, tax: Taxonomy, text: string, threshold: number): Classification {
  const p = predict(model, text);
  const topic = tax.topic(p.topic?.label);
  const confidence = topic ? (p.topic?.probability ?? 0) : 0;
  const department = tax.department(p.department?.label) ?? topic?.config?.department ?? null;
  const learnedKind = p.kind && (KINDS as readonly string[]).includes(p.kind.label) ? (p.kind.label as Kind) : null;
  const kind = learnedKind ?? guessKind(text, topic !== null).kind;
  const why = topic ? `модель v${model.version}: тема «${topic.name}» (${pct(confidence)})` : `модель v${model.version}: тема не из справочника`;
  return { kind, topic: topic?.name ?? null, department, confidence, by: 'model', needsReview: confidence < threshold, explanation: why };
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
  const threshold = deps.modelThreshold ?? 0.5;
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
    const fromModel = model ? modelDecision(model, tax, text, threshold) : null;
    if (fromModel && !fromModel.needsReview) return fromModel;
    const answer = llm ? await llm.ask(text) : null;
    if (answer) return llmDecision(answer, tax);
    const rules = classifyByRules(installation, text);
    if (fromModel?.topic && (!rules.topic || fromModel.confidence > rules.confidence)) return fromModel;
    // The model was unsure: rules decide the topic, but a model guess means a human should look.
    return fromModel ? { ...rules, needsReview: true } : rules;
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
