import type { Installation, TopicConfig } from '../config/installation.js';

const key = (s: string) => s.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');

/**
 * Maps labels learned from training data onto this installation's taxonomy. A label that
 * is not a configured topic / department becomes unknown (null), never a new value.
 */
export function createTaxonomy(installation: Installation) {
  const topics = new Map(installation.topics.map((t) => [key(t.name), t]));
  const depts = new Map<string, string>();
  for (const d of installation.departments) depts.set(key(d.code), d.code), depts.set(key(d.name), d.code);
  const restrictTopics = installation.topics.length > 0;
  return {
    /** The configured topic for a learned label; when the config has no topics, labels pass as they are. */
    topic(label: string | null | undefined): { name: string; config: TopicConfig | null } | null {
      if (!label) return null;
      const t = topics.get(key(label));
      if (t) return { name: t.name, config: t };
      return restrictTopics ? null : { name: label, config: null };
    },
    /** Department code for a learned label (a code or a department's name), else null. */
    department(label: string | null | undefined): string | null {
      return label ? (depts.get(key(label)) ?? null) : null;
    },
    topicNames(): Set<string> {
      return new Set(installation.topics.map((t) => t.name));
    },
  };
}

export type Taxonomy = ReturnType<typeof createTaxonomy>;

/** Phrases of texts that try to steer the classifier; such texts always go to moderators. */
const INJECTION = [
  /игнорир\S*\s+(все\s+|предыдущ\S*\s+)?(инструкц|указан|правил)/i,
  /ignore\s+(all\s+|any\s+|your\s+|the\s+)?(previous\s+|prior\s+)?instructions/i,
  /(пометь|отметь|классифицируй|считай)\S*\s.*(спам|не\s*инцидент|noise)/i,
  /system\s*prompt|системн\S*\s+промпт/i,
  /ты\s+(теперь|больше\s+не)\s/i,
];

export function looksLikeInjection(text: string): boolean {
  return INJECTION.some((r) => r.test(text));
}
