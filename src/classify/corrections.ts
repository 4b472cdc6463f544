import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { labels } from '../db/schema.js';
import { cosine, type SparseVector } from './features.js';
import { embed, type TextModel } from './model.js';
import { normalizeText } from './normalize.js';

/**
 * Moderators' corrections, used before the nightly retrain: a text nearly identical to
 * one a moderator labelled (cosine of the model's TF-IDF vectors at or above the
 * threshold, or the same normalized text without a model) takes that label at once.
 * The same complaint re-posted, or sent again by a neighbour, is then routed as the
 * moderator decided instead of repeating the model's mistake until 03:00.
 */
export interface Correction {
  text: string;
  kind: string | null;
  topic: string | null;
  department: string | null;
  /** 0..1: how close the new text is to the corrected one. */
  similarity: number;
}

export interface CorrectionIndex {
  /** Reads moderator labels added since the last refresh (one indexed query, only after a new label here or every 30 s). */
  refresh(): Promise<void>;
  /** The most similar correction at or above the threshold, or null. */
  find(text: string): Correction | null;
  size(): number;
}

interface Entry {
  text: string;
  norm: string;
  kind: string | null;
  topic: string | null;
  department: string | null;
  vector: SparseVector | null;
  /** The model the vector was computed with (vectors are recomputed after a reload). */
  model: TextModel | null;
}

/** Bumped by recordLabel: a correction made in this process (the bot) is seen by the next text. */
let labelEpoch = 0;

export function noteNewLabel(): void {
  labelEpoch++;
}

/** Labels written by another process (a CLI import) are looked for at most this often: not a query per post. */
const REFRESH_MS = 30_000;

/** Cosine at which two texts are "the same text" (a re-post with a different signature or address still is). */
export const NEAR_IDENTICAL = 0.85;
/** Only the newest corrections are kept in memory; older ones are in the model after a retrain. */
const KEEP = 2000;

export function createCorrectionIndex(db: Db, model: () => TextModel | null, threshold = NEAR_IDENTICAL): CorrectionIndex {
  const entries: Entry[] = [];
  let lastId = 0;
  let seenEpoch = -1;
  let lastAt = -Infinity;
  const vectorOf = (e: Entry, m: TextModel | null): SparseVector | null => {
    if (e.model !== m) (e.vector = m ? embed(m, e.text) : null), (e.model = m);
    return e.vector;
  };
  return {
    async refresh() {
      if (seenEpoch === labelEpoch && performance.now() - lastAt < REFRESH_MS) return;
      [seenEpoch, lastAt] = [labelEpoch, performance.now()];
      const rows = await db
        .select()
        .from(labels)
        .where(and(eq(labels.origin, 'moderator'), gt(labels.id, lastId)))
        .orderBy(asc(labels.id));
      for (const r of rows) {
        lastId = Math.max(lastId, r.id);
        // A later label for the same text replaces the earlier one (a second correction wins).
        const norm = normalizeText(r.text);
        const at = entries.findIndex((e) => e.norm === norm);
        if (at >= 0) entries.splice(at, 1);
        entries.push({ text: r.text, norm, kind: r.kind, topic: r.topic, department: r.departmentCode, vector: null, model: null });
      }
      if (entries.length > KEEP) entries.splice(0, entries.length - KEEP);
    },
    find(text) {
      if (!entries.length) return null;
      const m = model();
      const norm = normalizeText(text);
      const v = m ? embed(m, text) : null;
      let best: { e: Entry; s: number } | null = null;
      for (let i = entries.length - 1; i >= 0; i--) {
        const e = entries[i] as Entry;
        const ev = v ? vectorOf(e, m) : null;
        const s = e.norm === norm ? 1 : v && ev ? cosine(v, ev) : 0;
        if (s >= threshold && (!best || s > best.s)) best = { e, s };
      }
      return best ? { text: best.e.text, kind: best.e.kind, topic: best.e.topic, department: best.e.department, similarity: best.s } : null;
    },
    size: () => entries.length,
  };
}
