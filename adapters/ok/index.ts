import { systemClock } from '../../src/clock.js';
import type { RawPost } from '../../src/domain/post.js';
import { SourceError, type ChannelAdapter, type Cursor, type PollResult, type SourceRef } from '../../src/domain/source.js';
import { createOkClient, type OkClient, type OkClientOptions } from './client.js';
import { decodeOkCursor, encodeOkCursor, pruneSeen, trackRecentTopics, type OkTopicAnchor } from './cursor.js';
import { mapComment, mapTopic, type OkTopic } from './map.js';
import { isTopicGone, readNewComments, readTopicsSince, type ReadLimits } from './read.js';
import { replyToTopic } from './reply.js';
import { createGroupResolver } from './resolve.js';

export { createOkClient, type OkClient, type OkClientOptions } from './client.js';
export { OkApiError, OkTransportError } from './errors.js';
export { signOkParams, okSessionSecret } from './sign.js';

export interface OkAdapterOptions extends OkClientOptions {
  /** A ready client (tests, shared rate limiting); built from the keys otherwise. */
  client?: OkClient;
  /** How many most recent topics get their comments read each poll (source option `topics_depth`). Default 10. */
  topicsDepth?: number;
  /** Topics this much older than the newest seen are still re-checked. Default 1 h. */
  overlapMs?: number;
  limits?: Partial<ReadLimits>;
}

const DEFAULT_LIMITS: ReadLimits = { topicsPageSize: 20, maxTopicPages: 5, commentsPageSize: 100, maxCommentPages: 5 };

const topicMs = (t: OkTopic): number => Number(t.created_ms ?? 0);

/** Odnoklassniki group topics and their comments; replies as group comments. Source kind `group`. */
export function createOkAdapter(opts: OkAdapterOptions): ChannelAdapter {
  const client = opts.client ?? createOkClient(opts);
  const clock = opts.clock ?? systemClock;
  const limits: ReadLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const overlapMs = opts.overlapMs ?? 60 * 60_000;
  const resolveGroup = createGroupResolver(client);

  async function readComments(tracked: OkTopicAnchor[], gid: string, signal?: AbortSignal) {
    const posts: RawPost[] = [];
    const states: OkTopicAnchor[] = [];
    for (const topic of tracked) {
      try {
        const res = await readNewComments(client, topic, limits, signal);
        posts.push(...res.comments.map((c) => mapComment(c, topic.id, gid, res.names)));
        states.push(res.state);
      } catch (e) {
        if (!isTopicGone(e)) throw e;
      }
    }
    return { posts, states };
  }

  async function poll(source: SourceRef, cursor: Cursor, signal?: AbortSignal): Promise<PollResult> {
    if (source.kind !== 'group') throw new SourceError('broken', `OK: unknown source kind "${source.kind}" (only "group")`);
    const gid = await resolveGroup(source.reference, signal);
    const prev = decodeOkCursor(cursor, gid);
    const depth = Number(source.options.topics_depth ?? opts.topicsDepth ?? 10);
    const since = prev ? prev.newestMs - overlapMs : null;
    const seen = new Set(prev?.seen.map(([id]) => id));
    const fresh = new Map<string, OkTopic>();
    for (const t of await readTopicsSince(client, gid, since, limits, signal)) {
      const id = String(t.id);
      if (!seen.has(id) && (since === null || topicMs(t) >= since)) fresh.set(id, t);
    }
    const freshTopics = [...fresh.values()].sort((a, b) => topicMs(a) - topicMs(b));
    const freshRefs = freshTopics.map((t) => ({ id: String(t.id), ms: topicMs(t) }));
    const tracked = trackRecentTopics(prev?.topics ?? [], freshRefs, depth);
    const comments = await readComments(tracked, gid, signal);
    const newestMs = Math.max(prev?.newestMs ?? 0, ...freshRefs.map((t) => t.ms));
    const next = {
      v: 1 as const,
      gid,
      newestMs,
      seen: pruneSeen([...(prev?.seen ?? []), ...freshRefs.map((t): [string, number] => [t.id, t.ms])], newestMs, overlapMs),
      topics: comments.states,
    };
    return { posts: [...freshTopics.map((t) => mapTopic(t, gid)), ...comments.posts], cursor: encodeOkCursor(next) };
  }

  return {
    channel: 'ok',
    kinds: ['group'],
    poll,
    // OK has no idempotency key; replyToTopic re-reads before retrying instead.
    reply: (target, text) =>
      replyToTopic(
        { client, clock, attempts: opts.attempts ?? 3, retryDelayMs: opts.retryDelayMs ?? 1000, random: opts.random ?? Math.random },
        target,
        text,
      ),
  };
}
