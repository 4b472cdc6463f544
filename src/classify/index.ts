import type { Clock } from '../clock.js';
import type { Env } from '../config/env.js';
import type { Installation } from '../config/installation.js';
import type { Db } from '../db/client.js';
import type { Classification, Classifier } from '../domain/classification.js';
import type { Logger } from '../log.js';
import { createExampleFinder } from './fewshot.js';
import { createLlmClassifier, llmConfigured, type LlmAnswer, type LlmClassifier } from './llm.js';
import { createCorrectionIndex } from './corrections.js';
import { correctionDecision, modelDecision } from './decision.js';
import type { TextModel } from './model.js';
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
  /** false: never ask the LLM (a whole file at once: the model and rules only). */
  llm?: boolean;
}

export type CombinedClassifier = Classifier & {
  /** Loads the newest active model from the database (after a retrain). */
  reload(): Promise<void>;
  /** The model in use, if any. */
  model(): TextModel | null;
  classifyMany(texts: string[], onProgress?: (done: number) => void): Promise<Classification[]>;
};

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
  const corrections = createCorrectionIndex(db, () => model);
  const llm: LlmClassifier | null = deps.llm !== false && llmConfigured(env)
    ? createLlmClassifier({ installation, db, env, clock: deps.clock, log, maxRetries: deps.llmMaxRetries, examples: createExampleFinder(db, () => model, { allowedTopics }) })
    : null;

  async function decide(text: string): Promise<Classification> {
    const fromModel = model ? modelDecision(model, tax, text, decision) : null;
    const hit = corrections.find(text);
    const corrected = hit ? correctionDecision(hit, tax, text, fromModel) : null;
    if (corrected) return corrected;
    if (fromModel && !fromModel.needsReview) return fromModel;
    const answer = llm ? await llm.ask(text) : null;
    if (answer) return llmDecision(answer, tax);
    const rules = classifyByRules(installation, text);
    if (fromModel?.topic && (!rules.topic || fromModel.confidence > rules.confidence)) return fromModel;
    // The model was unsure: rules decide the topic, but a model guess means a human should look.
    // The model's ranking still helps the moderator choose.
    return fromModel ? { ...rules, needsReview: true, auto: false, topTopics: fromModel.topTopics, topDepartments: fromModel.topDepartments } : rules;
  }

  async function classifyOne(text: string): Promise<Classification> {
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

  async function refresh(): Promise<void> {
    try {
      await corrections.refresh();
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'moderator corrections not refreshed');
    }
  }

  async function classify(text: string): Promise<Classification> {
    await refresh();
    return classifyOne(text);
  }

  /** Same answers as classify() one by one; the corrections are read once for the batch. */
  async function classifyMany(texts: string[], onProgress?: (done: number) => void): Promise<Classification[]> {
    await refresh();
    const out: Classification[] = [];
    for (const t of texts) {
      out.push(await classifyOne(t));
      if (onProgress && out.length % 1000 === 0) onProgress(out.length);
    }
    onProgress?.(out.length);
    return out;
  }

  return { classify, classifyMany, reload, model: () => model };
}
