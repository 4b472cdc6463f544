import type { Classification, Classifier } from '../domain/classification.js';
import type { Installation, TopicConfig } from '../config/installation.js';
import { guessKind, padded } from './lexicon.js';
import { normalizeText } from './normalize.js';

export { kindOf } from './lexicon.js';

/** Rules never claim more than this: they are the last resort, moderators should look. */
export const RULES_MAX_CONFIDENCE = 0.6;

export interface TopicHit {
  topic: TopicConfig;
  hits: number;
  matched: string[];
}

/** The topic whose keyword stems occur most often; ties go to the earlier topic in the config. */
export function topicByKeywords(installation: Installation, text: string): TopicHit | null {
  const p = padded(normalizeText(text));
  let best: TopicHit | null = null;
  for (const topic of installation.topics) {
    const matched = topic.keywords.filter((k) => p.includes(` ${k.toLowerCase().replace(/ё/g, 'е')}`));
    if (matched.length > 0 && (!best || matched.length > best.hits)) best = { topic, hits: matched.length, matched };
  }
  return best;
}

/** Classifier from the installation's topic keywords and a small kind lexicon; never throws. */
export function createRulesClassifier(installation: Installation): Classifier {
  return {
    async classify(text: string): Promise<Classification> {
      return classifyByRules(installation, text);
    },
  };
}

/** Synchronous core of the rules classifier (the combined classifier calls it directly). */
export function classifyByRules(installation: Installation, text: string): Classification {
  const hit = topicByKeywords(installation, text);
  const kind = guessKind(text, hit !== null);
  if (!hit) {
    return {
      kind: kind.kind,
      topic: null,
      department: null,
      confidence: kind.matched ? 0.3 : 0.2,
      by: 'rules',
      needsReview: true,
      explanation: 'правила: ключевые слова тем не найдены',
    };
  }
  return {
    kind: kind.kind,
    topic: hit.topic.name,
    department: hit.topic.department ?? null,
    confidence: Math.min(RULES_MAX_CONFIDENCE, 0.35 + 0.1 * hit.hits),
    by: 'rules',
    needsReview: false,
    explanation: `правила: тема «${hit.topic.name}» по словам ${hit.matched.map((m) => `«${m}»`).join(', ')}`,
  };
}
