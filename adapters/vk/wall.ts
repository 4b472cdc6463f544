import type { PostKind } from '../../src/domain/post.js';
import type { PollResult } from '../../src/domain/source.js';
import type { VkCaller } from './client.js';
import { mapWallPost, type VkWallPost } from './map.js';
import type { WallOwner } from './ref.js';
import { readCursor } from './ref.js';

/** Highest post id and date seen on the wall. */
export interface WallCursor {
  id: number;
  date: number;
}

export interface WallReadOptions {
  owner: WallOwner;
  overlapSec: number;
  /** Page size, ≤ 100. */
  count: number;
  /** Pages to walk back when a whole page is new (only once a cursor exists). */
  maxPages: number;
  filter?: 'suggests';
  kind?: PostKind;
}

/**
 * Posts newer than the cursor: a higher id, or a date inside the overlap window
 * (edits and late-indexed posts; the unique key drops re-reads). The pinned post
 * comes first whatever its age, so it never ends the walk.
 */
export function isNewPost(p: VkWallPost, prev: WallCursor | null, overlapSec: number): boolean {
  return !prev || p.id > prev.id || p.date >= prev.date - overlapSec;
}

export async function readWall(caller: VkCaller, cursor: string | null, o: WallReadOptions): Promise<PollResult> {
  const prev = readCursor<WallCursor>(cursor);
  const next: WallCursor = { id: prev?.id ?? 0, date: prev?.date ?? 0 };
  const posts = [];
  const pages = prev ? o.maxPages : 1;
  for (let page = 0; page < pages; page++) {
    const res = await caller.call<{ items?: VkWallPost[] }>('wall.get', { ...o.owner, count: o.count, offset: page * o.count, filter: o.filter });
    const items = res.items ?? [];
    let reachedOld = false;
    for (const p of items) {
      if (isNewPost(p, prev, o.overlapSec)) posts.push(mapWallPost(p, o.kind ?? 'post'));
      else if (!p.is_pinned) reachedOld = true;
      next.id = Math.max(next.id, p.id);
      next.date = Math.max(next.date, p.date);
    }
    if (reachedOld || items.length < o.count) break;
  }
  return { posts, cursor: JSON.stringify(next) };
}
