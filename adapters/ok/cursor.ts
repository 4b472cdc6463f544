import type { Cursor } from '../../src/domain/source.js';

/** Comment reading state of one recent topic. */
export interface OkTopicAnchor {
  id: string;
  /** Topic created_ms; decides which topics are "the N most recent". */
  ms: number;
  /** OK's opaque comments anchor after the last comment read; null = read from the first. */
  anchor: string | null;
  /** Last comment ids read, so an inclusive or reset anchor does not repeat comments. */
  ids: string[];
}

/**
 * Cursor of an OK group source. Topic ids are not ordered, so the cursor keeps the newest
 * created_ms plus the ids seen inside the overlap window below it (late-indexed topics
 * still get read, seen ones are not repeated), and per-topic comment anchors.
 */
export interface OkCursor {
  v: 1;
  gid: string;
  newestMs: number;
  /** [topicId, created_ms] of topics inside the overlap window. */
  seen: Array<[string, number]>;
  topics: OkTopicAnchor[];
}

/** Reads a stored cursor; anything unreadable or for another group starts afresh. */
export function decodeOkCursor(cursor: Cursor, gid: string): OkCursor | null {
  if (!cursor) return null;
  try {
    const c = JSON.parse(cursor) as OkCursor;
    if (c?.v !== 1 || c.gid !== gid || !Array.isArray(c.seen) || !Array.isArray(c.topics)) return null;
    return c;
  } catch {
    return null;
  }
}

export function encodeOkCursor(c: OkCursor): string {
  return JSON.stringify(c);
}

/** Keeps the `depth` most recent topics, newest first, merging new ones into the known anchors. */
export function trackRecentTopics(known: OkTopicAnchor[], fresh: Array<{ id: string; ms: number }>, depth: number): OkTopicAnchor[] {
  const byId = new Map(known.map((t) => [t.id, t]));
  for (const t of fresh) if (!byId.has(t.id)) byId.set(t.id, { id: t.id, ms: t.ms, anchor: null, ids: [] });
  return [...byId.values()].sort((a, b) => b.ms - a.ms).slice(0, depth);
}

/** The seen-set for the next poll: only ids within `overlapMs` of the newest topic. */
export function pruneSeen(seen: Array<[string, number]>, newestMs: number, overlapMs: number): Array<[string, number]> {
  const unique = new Map(seen);
  return [...unique.entries()].filter(([, ms]) => ms >= newestMs - overlapMs);
}
