import { isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { posts } from '../db/schema.js';
import type { Channel, RawPost } from '../domain/post.js';
import { execRows, jsonRows } from './bulk.js';
import { normalizeText } from './normalize.js';

const CHUNK = 500;

/** Posts older than this are a missing date read as zero (1970), not a real post. */
const EARLIEST = Date.UTC(2000, 0, 1);
const FUTURE_SLACK_MS = 24 * 3_600_000;

/**
 * A date that is not one (invalid, 1970, next year) would put the deadline in the past or
 * never; such a post counts from when it was fetched. The original stays in `raw`.
 */
function safeDate(d: Date, fallback: Date): Date {
  const t = d instanceof Date ? d.getTime() : NaN;
  return Number.isNaN(t) || t < EARLIEST || t > fallback.getTime() + FUTURE_SLACK_MS ? fallback : d;
}

/** Bidi overrides and isolates in stored text could reorder what a card shows around them. */
function stripBidiControls(s: string): string {
  return s.replace(/[\u202a-\u202e\u2066-\u2069]/g, '');
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
      external_id: p.externalId,
      source_id: sourceId,
      kind: p.kind,
      parent_external_id: p.parentExternalId ?? null,
      repost_of_external_id: p.repostOfExternalId ?? null,
      author_id: p.authorId ?? null,
      author_name: p.authorName ?? null,
      url: p.url ?? null,
      text: stripBidiControls(normalizeText(p.text)),
      published_at: safeDate(p.publishedAt, now),
      fetched_at: now,
      raw: p.raw ?? null,
      reply_target: p.replyTarget ?? null,
    }));
    const res = await execRows<{ id: number }>(
      db,
      sql`insert into ${posts} (channel, external_id, source_id, kind, parent_external_id, repost_of_external_id, author_id, author_name, url, text, published_at, fetched_at, raw, reply_target)
        select channel, external_id, source_id, kind, parent_external_id, repost_of_external_id, author_id, author_name, url, text, published_at, fetched_at, raw, reply_target
        from jsonb_to_recordset(${jsonRows(dedupeByKey(rows))}) as x(channel text, external_id text, source_id int, kind text, parent_external_id text, repost_of_external_id text,
          author_id text, author_name text, url text, text text, published_at timestamptz, fetched_at timestamptz, raw jsonb, reply_target jsonb)
        on conflict (channel, external_id) do nothing
        returning id`,
    );
    inserted += res.length;
  }
  return inserted;
}

/**
 * Postgres refuses one INSERT touching the same key twice, and a page may repeat a post
 * (a pinned post, a search hit twice). A repeat with the same text is the same post: the
 * first is kept, as a re-read on a later page would be. A repeat with a different text is a
 * different post that a broken source gave the same id: it is kept as `<id>#2`, `#3`…
 * (stable on a re-read of the same page), never silently dropped.
 */
export function dedupeByKey<T extends { channel: string; external_id: string; text: string }>(rows: T[]): T[] {
  const seen = new Map<string, string[]>();
  const out: T[] = [];
  for (const r of rows) {
    const key = `${r.channel}\u0001${r.external_id}`;
    const texts = seen.get(key);
    if (!texts) {
      seen.set(key, [r.text]);
      out.push(r);
    } else if (!texts.includes(r.text)) {
      texts.push(r.text);
      out.push({ ...r, external_id: `${r.external_id}#${texts.length}` });
    }
  }
  return out;
}

export function countPending(db: Db): Promise<number> {
  return db.$count(posts, isNull(posts.processedAt));
}
