import type { RawPost } from '../../src/domain/post.js';
import type { PollResult } from '../../src/domain/source.js';
import type { Logger } from '../../src/log.js';
import type { VkCaller } from './client.js';
import { flattenComments, mapComment, type VkComment, type VkWallPost } from './map.js';
import { readCursor, type WallOwner } from './ref.js';

/** Per post (`owner_postId`): the highest comment id read and the post's comments.count then. */
export interface CommentsCursor {
  posts: Record<string, { last: number; count: number }>;
}

export interface CommentsReadOptions {
  owner: WallOwner;
  /** How many recent posts to watch. */
  depth: number;
  /** Pages of 100 top-level comments to read per changed thread. */
  maxPages: number;
  log?: Logger;
}

type ThreadState = { last: number; count: number };

/**
 * New comments under the community's recent posts. A post whose
 * `comments.count` did not change since the last poll is skipped, so a quiet
 * cycle costs one wall.get. All getComments calls start together, so a
 * batching caller packs them into a few `execute` requests.
 */
export async function readComments(caller: VkCaller, cursor: string | null, o: CommentsReadOptions): Promise<PollResult> {
  const prev = readCursor<CommentsCursor>(cursor)?.posts ?? {};
  const wall = await caller.call<{ items?: VkWallPost[] }>('wall.get', { ...o.owner, count: o.depth });
  const next: CommentsCursor = { posts: {} };
  const changed: VkWallPost[] = [];
  for (const p of wall.items ?? []) {
    const key = `${p.owner_id}_${p.id}`;
    const count = p.comments?.count ?? 0;
    const before = prev[key];
    if (before && before.count === count) next.posts[key] = before;
    else if (count === 0) next.posts[key] = { last: before?.last ?? 0, count };
    else changed.push(p);
  }
  const results = await Promise.allSettled(changed.map((p) => readThread(caller, p, prev[`${p.owner_id}_${p.id}`], o.maxPages)));
  const posts: RawPost[] = [];
  const failures: unknown[] = [];
  results.forEach((r, i) => {
    const p = changed[i]!;
    if (r.status === 'rejected') {
      // The thread keeps its old state (or none), so it is read again next cycle.
      failures.push(r.reason);
      const before = prev[`${p.owner_id}_${p.id}`];
      if (before) next.posts[`${p.owner_id}_${p.id}`] = before;
      return;
    }
    posts.push(...r.value.posts);
    next.posts[`${p.owner_id}_${p.id}`] = r.value.state;
  });
  // One closed thread should not hide the others; every thread failing is the source's failure.
  if (failures.length && failures.length === changed.length) throw failures[0];
  if (failures.length) o.log?.warn({ failed: failures.length, of: changed.length }, 'vk comments: some threads failed');
  return { posts, cursor: JSON.stringify(next) };
}

async function readThread(caller: VkCaller, p: VkWallPost, before: ThreadState | undefined, maxPages: number) {
  const last = before?.last ?? 0;
  const state: ThreadState = { last, count: p.comments?.count ?? 0 };
  const posts: RawPost[] = [];
  for (let page = 0; page < maxPages; page++) {
    const res = await caller.call<{ items?: VkComment[] }>('wall.getComments', {
      owner_id: p.owner_id,
      post_id: p.id,
      count: 100,
      offset: page * 100,
      sort: 'desc',
      thread_items_count: 10,
    });
    const items = res.items ?? [];
    let reachedOld = false;
    for (const c of flattenComments(items)) {
      state.last = Math.max(state.last, c.id);
      if (c.id > last) posts.push(mapComment(c, p.owner_id, p.id));
      else reachedOld = true;
    }
    if (reachedOld || items.length < 100) break;
  }
  return { posts, state };
}
