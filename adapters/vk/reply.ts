import type { ReplyPhoto, ReplyResult, ReplyTarget } from '../../src/domain/source.js';
import { uploadWallPhotos } from './photos.js';
import { SourceError } from '../../src/domain/source.js';
import type { VkCaller } from './client.js';
import { commentId, messageId, wallPostUrl } from './map.js';

/**
 * A stable 31-bit integer from the idempotency key (FNV-1a), for `random_id`:
 * VK drops a second messages.send with the same random_id, so a retry after a
 * timeout cannot deliver the answer twice. Never 0 (0 disables the check).
 */
export function randomIdFor(key: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff || 1;
}

export interface ReplyDeps {
  caller: VkCaller;
  /** The administration's community: comments are posted on its behalf. */
  groupId?: number;
  /** Caller for photos.getWallUploadServer (VK serves it to user tokens); default `caller`. */
  uploader?: VkCaller;
}

/**
 * Publishes a reply where the post came from. The caller retries timeouts
 * with the same `guid` / `random_id`, which VK deduplicates.
 */
export async function sendReply(deps: ReplyDeps, target: ReplyTarget, text: string, key: string, photos: ReplyPhoto[] = []): Promise<ReplyResult> {
  if (target.type === 'wall') {
    const owner = Number(target.owner_id);
    const post = Number(target.post_id);
    const attachments = photos.length ? (await uploadWallPhotos(deps.uploader ?? deps.caller, deps.groupId, photos)).join(',') : undefined;
    const res = await deps.caller.call<{ comment_id: number }>('wall.createComment', {
      owner_id: owner,
      post_id: post,
      from_group: deps.groupId,
      message: text,
      reply_to_comment: target.reply_to_comment == null ? undefined : Number(target.reply_to_comment),
      guid: key,
      attachments,
    });
    return { externalId: commentId(owner, post, res.comment_id), url: `${wallPostUrl(owner, post)}?reply=${res.comment_id}` };
  }
  if (target.type === 'message') {
    const peer = Number(target.peer_id);
    const id = await deps.caller.call<number>('messages.send', {
      peer_id: peer,
      message: text,
      random_id: randomIdFor(key),
      group_id: deps.groupId,
    });
    const gid = deps.groupId ?? 0;
    return { externalId: messageId(gid, peer, Number(id)), url: gid ? `https://vk.com/gim${gid}?sel=${peer}` : null };
  }
  throw new SourceError('broken', `VK cannot reply to target type "${String(target.type)}"`, { code: 'bad_target' });
}
