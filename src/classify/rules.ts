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

/** Keyword stems indexed by their first two letters: a text is checked against the few that can start one of its words. */
interface KeywordIndex {
  /** `k`: the keyword's position in its topic (a stem listed twice, as with ё and е, counts twice as before). */
  byPrefix: Map<number, Array<{ topic: number; k: number; stem: string }>>;
}

/** The first two letters of a word as one number (no substring per word; a one-letter word pairs with NaN → 0). */
function prefixKey(s: string, at = 0): number {
  return s.charCodeAt(at) * 0x10000 + (s.charCodeAt(at + 1) || 0);
}

const indexes = new WeakMap<Installation, KeywordIndex>();

function keywordIndex(installation: Installation): KeywordIndex {
  let index = indexes.get(installation);
  if (index) return index;
  const byPrefix: KeywordIndex['byPrefix'] = new Map();
  installation.topics.forEach((topic, i) => {
    topic.keywords.forEach((keyword, k) => {
      const stem = keyword.toLowerCase().replace(/ё/g, 'е');
      const key = stem.length >= 2 ? prefixKey(stem) : prefixKey(`${stem} `);
      const list = byPrefix.get(key) ?? [];
      list.push({ topic: i, k, stem });
      byPrefix.set(key, list);
    });
  });
  index = { byPrefix };
  indexes.set(installation, index);
  return index;
}

/**
 * The topic whose keyword stems occur most often; ties go to the earlier topic in the config.
 * A stem matches at the start of a word (a stem with a space matches across words), as
 * `" " + stem` found in the padded text; only stems sharing a word's first two letters are tried.
 */
export function topicByKeywords(installation: Installation, text: string): TopicHit | null {
  const p = padded(normalizeText(text));
  const { byPrefix } = keywordIndex(installation);
  const matched = new Map<number, Set<number>>();
  // Walks the padded text's words in place: `at` is each word's first letter.
  for (let at = 1; at < p.length; at = p.indexOf(' ', at) + 1) {
    const list = byPrefix.get(prefixKey(p, at));
    if (!list) continue;
    for (const c of list) {
      if (matched.get(c.topic)?.has(c.k)) continue;
      if (c.stem.includes(' ') ? p.includes(` ${c.stem}`) : p.startsWith(c.stem, at)) {
        const set = matched.get(c.topic) ?? new Set<number>();
        set.add(c.k);
        matched.set(c.topic, set);
      }
    }
  }
  let best: TopicHit | null = null;
  for (const [i, ks] of [...matched].sort((a, b) => a[0] - b[0])) {
    const topic = installation.topics[i] as TopicConfig;
    if (!best || ks.size > best.hits) best = { topic, hits: ks.size, matched: topic.keywords.filter((_, k) => ks.has(k)) };
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
