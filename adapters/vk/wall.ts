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
  /** Posts read on the first cycle, and the size of the further pages of later cycles (≤ 100). */
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

/** A later cycle first asks for this many posts: enough for a quiet wall, small enough for 25 walls of photos in one execute. */
export const STEADY_PAGE = 10;

/**
 * The first cycle reads the newest `count` posts (history is not ours to
 * import). Later cycles read a few posts, and walk further back only while a
 * whole page is beyond the cursor; a post at or behind the cursor ends the walk
 * (posts inside the overlap window are still returned, for edits).
 */
export async function readWall(caller: VkCaller, cursor: string | null, o: WallReadOptions): Promise<PollResult> {
  const prev = readCursor<WallCursor>(cursor);
  const next: WallCursor = { id: prev?.id ?? 0, date: prev?.date ?? 0 };
  const posts = [];
  const pages = prev ? o.maxPages : 1;
  for (let page = 0, offset = 0; page < pages; page++) {
    const count = prev && page === 0 ? Math.min(STEADY_PAGE, o.count) : o.count;
    const res = await caller.call<{ items?: VkWallPost[] }>('wall.get', { ...o.owner, count, offset, filter: o.filter });
    const items = res.items ?? [];
    offset += items.length;
    let reachedCursor = false;
    for (const p of items) {
      if (isNewPost(p, prev, o.overlapSec)) posts.push(mapWallPost(p, o.kind ?? 'post'));
      if (prev && p.id <= prev.id && !p.is_pinned) reachedCursor = true;
      next.id = Math.max(next.id, p.id);
      next.date = Math.max(next.date, p.date);
    }
    if (reachedCursor || items.length < count) break;
  }
  return { posts, cursor: JSON.stringify(next) };
}
