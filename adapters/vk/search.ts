import type { RawPost } from '../../src/domain/post.js';
import type { PollResult } from '../../src/domain/source.js';
import type { VkCaller } from './client.js';
import { mapWallPost, type VkWallPost } from './map.js';
import { readCursor } from './ref.js';

/** Date (unix seconds) of the newest hit seen. */
export interface SearchCursor {
  t: number;
}

export interface SearchReadOptions {
  query: string;
  overlapSec: number;
  nowSec: number;
  /** Hits per page, ≤ 200. */
  count: number;
  maxPages: number;
  stopWords: string[];
  /** Owners whose posts are not wanted (the administration's own walls, media); ids with or without sign. */
  excludeOwners: number[];
}

/** Keeps a hit unless it holds a stop word or comes from an excluded owner. Pure, for tables. */
export function keepSearchHit(p: VkWallPost, stopWords: string[], excludeOwners: number[]): boolean {
  if (excludeOwners.some((o) => o === p.owner_id || -Math.abs(o) === p.owner_id)) return false;
  const text = (p.text ?? '').toLowerCase();
  return !stopWords.some((w) => text.includes(w.toLowerCase()));
}

/**
 * newsfeed.search from the cursor minus the overlap (VK's own default is the
 * last 24 h, used for the first poll), paging with next_from. VK serves only
 * the first 1000 hits, so frequent polls matter more than deep paging.
 */
export async function readSearch(caller: VkCaller, cursor: string | null, o: SearchReadOptions): Promise<PollResult> {
  const prev = readCursor<SearchCursor>(cursor);
  const startTime = prev ? prev.t - o.overlapSec : o.nowSec - 86_400;
  let t = prev?.t ?? 0;
  const posts: RawPost[] = [];
  let startFrom: string | undefined;
  for (let page = 0; page < o.maxPages; page++) {
    const res = await caller.call<{ items?: VkWallPost[]; next_from?: string }>('newsfeed.search', {
      q: o.query,
      count: o.count,
      start_time: startTime,
      start_from: startFrom,
    });
    for (const p of res.items ?? []) {
      t = Math.max(t, p.date);
      if (keepSearchHit(p, o.stopWords, o.excludeOwners)) posts.push(mapWallPost(p));
    }
    startFrom = res.next_from || undefined;
    if (!startFrom) break;
  }
  return { posts, cursor: JSON.stringify({ t: t || startTime } satisfies SearchCursor) };
}
