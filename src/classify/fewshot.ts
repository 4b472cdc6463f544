import { desc, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { labels } from '../db/schema.js';
import { cosine, type SparseVector } from './features.js';
import { embed, type TextModel } from './model.js';
import type { Example } from './prompt.js';

export interface ExampleFinderOptions {
  /** How many examples go into the prompt. */
  k?: number;
  /** Newest labels considered (keeps memory and time bounded on big histories). */
  pool?: number;
  /** Only labels whose topic is one of these (the installation's taxonomy) are shown to the LLM. */
  allowedTopics?: Set<string>;
}

/**
 * Few-shot examples for the LLM: the labelled texts most similar to the query, by cosine
 * over the trained model's feature vectors. Vectors are computed once per model version.
 */
export function createExampleFinder(db: Db, model: () => TextModel | null, opts: ExampleFinderOptions = {}) {
  const { k = 4, pool = 3000, allowedTopics } = opts;
  let cache: { version: number; items: { ex: Example; v: SparseVector }[] } | null = null;

  async function items(m: TextModel) {
    if (cache?.version === m.version) return cache.items;
    const rows = await db.select().from(labels).where(isNotNull(labels.topic)).orderBy(desc(labels.id)).limit(pool);
    const list = rows
      .filter((r) => !allowedTopics || (r.topic !== null && allowedTopics.has(r.topic)))
      .map((r) => ({ ex: { text: r.text, kind: r.kind, topic: r.topic, department: r.departmentCode }, v: embed(m, r.text) }));
    cache = { version: m.version, items: list };
    return list;
  }

  return async function examples(text: string): Promise<Example[]> {
    const m = model();
    if (!m) return [];
    const q = embed(m, text);
    return (await items(m))
      .map((it) => ({ ex: it.ex, s: cosine(q, it.v) }))
      .filter((x) => x.s > 0 && x.ex.text !== text)
      .sort((a, b) => b.s - a.s)
      .slice(0, k)
      .map((x) => x.ex);
  };
}
