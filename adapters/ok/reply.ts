import type { Clock } from '../../src/clock.js';
import type { ReplyTarget } from '../../src/domain/post.js';
import { SourceError, type ReplyResult } from '../../src/domain/source.js';
import type { OkClient } from './client.js';
import { commentExternalId, isGroupComment, topicUrl, type OkComment } from './map.js';

export interface OkReplyDeps {
  client: OkClient;
  clock: Clock;
  attempts: number;
  retryDelayMs: number;
  random: () => number;
}

interface OkTopicTarget {
  topicId: string;
  gid: string;
  replyTo: string | undefined;
}

function readTarget(target: ReplyTarget): OkTopicTarget {
  if (target.type !== 'topic' || target.topic_id == null || target.group_id == null) {
    throw new SourceError('broken', `OK reply: not an OK topic target: ${JSON.stringify(target)}`);
  }
  const replyTo = target.reply_to_comment_id;
  return { topicId: String(target.topic_id), gid: String(target.group_id), replyTo: replyTo == null ? undefined : String(replyTo) };
}

/** The id in addDiscussionComment's answer, whose shape is undocumented: a bare id, {comment_id} or {id}. */
function commentIdOf(res: unknown): string | null {
  if (typeof res === 'string' || typeof res === 'number') return String(res);
  const obj = (res ?? {}) as { comment_id?: unknown; id?: unknown };
  const id = obj.comment_id ?? obj.id;
  return id == null ? null : String(id);
}

/** Looks among the topic's latest comments for one the group already posted with this text. */
async function findOwnComment(client: OkClient, t: OkTopicTarget, text: string): Promise<OkComment | null> {
  const json = await client.call<{ comments?: OkComment[] }>('discussions.getComments', {
    discussionId: t.topicId,
    discussionType: 'GROUP_TOPIC',
    anchor: 'LAST',
    direction: 'BACKWARD',
    count: 50,
  });
  const wanted = text.trim();
  const found = (json?.comments ?? []).find(
    (c) => isGroupComment(c, t.gid) && (c.text ?? '').trim() === wanted && (t.replyTo === undefined || c.reply_to_comment_id === t.replyTo),
  );
  return found ?? null;
}

const result = (t: OkTopicTarget, commentId: string | null): ReplyResult => ({
  externalId: commentId ? commentExternalId(t.topicId, commentId) : `topic:${t.topicId}`,
  url: topicUrl(t.gid, t.topicId),
});

/**
 * Posts a comment from the group under a topic exactly once. OK has no idempotency key, so
 * after a timeout or network failure (the first attempt may have landed) we re-read the
 * topic's latest comments and return our comment if it is there instead of posting again.
 */
export async function replyToTopic(deps: OkReplyDeps, target: ReplyTarget, text: string): Promise<ReplyResult> {
  const t = readTarget(target);
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1) {
      const existing = await findOwnComment(deps.client, t, text);
      if (existing) return result(t, String(existing.id));
    }
    try {
      const res = await deps.client.call(
        'discussions.addDiscussionComment',
        { entityId: t.topicId, entityType: 'GROUP_TOPIC', comment: text, reply_to_comment_id: t.replyTo, as_admin: true },
        { attempts: 1 },
      );
      const id = commentIdOf(res) ?? (await findOwnComment(deps.client, t, text))?.id ?? null;
      return result(t, id);
    } catch (e) {
      if (!(e instanceof SourceError) || e.kind !== 'retry' || attempt >= deps.attempts) throw e;
      await deps.clock.sleep(deps.retryDelayMs * attempt * (0.5 + deps.random()));
    }
  }
}
