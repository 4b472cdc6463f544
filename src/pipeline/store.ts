import { isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { posts } from '../db/schema.js';
import type { Channel, RawPost } from '../domain/post.js';
import { normalizeText } from './normalize.js';

const CHUNK = 500;

/** Postgres rejects \u0000 in text and jsonb; networks do send it. */
function scrubNul(value: unknown): unknown {
  if (value === undefined) return null;
  const json = JSON.stringify(value, (_k, v) => (typeof v === 'string' ? v.replace(/\u0000/g, '') : v));
  return json === undefined ? null : JSON.parse(json);
}

function safeDate(d: Date, fallback: Date): Date {
  return d instanceof Date && !Number.isNaN(d.getTime()) ? d : fallback;
}

/**
 * Stores posts idempotently: a post already stored (same channel + external id)
 * is left as it is. Returns how many rows were new. Step 1 of the pipeline:
 * once this returns, the posts are durable and the source cursor may move.
 */
export async function storePosts(db: Db, sourceId: number | null, channel: Channel, raws: RawPost[], now: Date): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < raws.length; i += CHUNK) {
    const rows = raws.slice(i, i + CHUNK).map((p) => ({
      channel: p.channel ?? channel,
      externalId: p.externalId,
      sourceId,
      kind: p.kind,
      parentExternalId: p.parentExternalId ?? null,
      repostOfExternalId: p.repostOfExternalId ?? null,
      authorId: p.authorId ?? null,
      authorName: p.authorName ?? null,
      url: p.url ?? null,
      text: normalizeText(p.text),
      publishedAt: safeDate(p.publishedAt, now),
      fetchedAt: now,
      raw: scrubNul(p.raw),
      replyTarget: (scrubNul(p.replyTarget) as RawPost['replyTarget']) ?? null,
    }));
    const unique = dedupeByKey(rows);
    const res = await db
      .insert(posts)
      .values(unique)
      .onConflictDoNothing({ target: [posts.channel, posts.externalId] })
      .returning({ id: posts.id });
    inserted += res.length;
  }
  return inserted;
}

/** Postgres refuses one INSERT touching the same key twice; a page may repeat a post. */
function dedupeByKey<T extends { channel: string; externalId: string }>(rows: T[]): T[] {
  const seen = new Map<string, T>();
  for (const r of rows) seen.set(`${r.channel}\u0001${r.externalId}`, r);
  return [...seen.values()];
}

export function countPending(db: Db): Promise<number> {
  return db.$count(posts, isNull(posts.processedAt));
}
