import type { RawPost } from '../../src/domain/post.js';
import type { PollResult } from '../../src/domain/source.js';
import type { VkCaller } from './client.js';
import { mapMessage, type VkMessage } from './map.js';
import { readCursor } from './ref.js';

/** The highest message id seen in the community's inbox (ids grow across all conversations). */
export interface MessagesCursor {
  last: number;
}

export interface MessagesReadOptions {
  groupId: number;
  /** On the first poll only messages this recent are taken, not the whole inbox. */
  initialLookbackSec: number;
  nowSec: number;
  maxPages: number;
}

interface Conversation {
  conversation: { peer: { id: number } };
  last_message?: VkMessage;
}

/**
 * Incoming private messages to the community: getConversations (most recent
 * first) finds the peers with messages newer than the cursor, getHistory reads
 * each of them. The community's own answers (`out: 1`) are skipped.
 */
export async function readMessages(caller: VkCaller, cursor: string | null, o: MessagesReadOptions): Promise<PollResult> {
  const prev = readCursor<MessagesCursor>(cursor);
  const since = prev?.last ?? 0;
  const minDate = prev ? 0 : o.nowSec - o.initialLookbackSec;
  const isNew = (m: VkMessage) => m.id > since && m.date >= minDate;
  const peers: number[] = [];
  let last = since;
  for (let page = 0; page < o.maxPages; page++) {
    const res = await caller.call<{ items?: Conversation[] }>('messages.getConversations', { group_id: o.groupId, count: 200, offset: page * 200 });
    const items = res.items ?? [];
    let reachedOld = false;
    for (const c of items) {
      const m = c.last_message;
      if (m && isNew(m)) peers.push(c.conversation.peer.id);
      else reachedOld = true;
      if (m) last = Math.max(last, m.id);
    }
    if (reachedOld || items.length < 200) break;
  }
  const histories = await Promise.all(
    peers.map((peer_id) => caller.call<{ items?: VkMessage[] }>('messages.getHistory', { group_id: o.groupId, peer_id, count: 200 })),
  );
  const posts: RawPost[] = [];
  for (const h of histories) {
    for (const m of h.items ?? []) if (isNew(m) && m.out !== 1) posts.push(mapMessage(m, o.groupId));
  }
  return { posts, cursor: JSON.stringify({ last } satisfies MessagesCursor) };
}
