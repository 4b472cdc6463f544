import { SourceError } from '../../src/domain/source.js';
import type { OkClient } from './client.js';
import type { OkTopicAnchor } from './cursor.js';
import { commentAuthorNames, readTopicsPage, type OkComment, type OkTopic } from './map.js';

export interface ReadLimits {
  topicsPageSize: number;
  maxTopicPages: number;
  commentsPageSize: number;
  maxCommentPages: number;
}

/**
 * Pages the group feed (newest first) back to `sinceMs`; with no cursor only the first page,
 * so a new source does not pull the whole history.
 */
export async function readTopicsSince(
  client: OkClient,
  gid: string,
  sinceMs: number | null,
  limits: ReadLimits,
  signal?: AbortSignal,
): Promise<OkTopic[]> {
  const out: OkTopic[] = [];
  let anchor: string | undefined;
  for (let page = 0; page < limits.maxTopicPages; page++) {
    const json = await client.call('mediatopic.getTopics', { gid, count: limits.topicsPageSize, anchor }, { signal });
    const res = readTopicsPage(json);
    out.push(...res.topics);
    const last = res.topics.at(-1);
    // The last item in feed order decides: a pinned old topic at the top must not stop paging.
    const reachedCursor = sinceMs === null || !last || Number(last.created_ms ?? 0) < sinceMs;
    if (reachedCursor || !res.hasMore || !res.anchor) break;
    anchor = res.anchor;
  }
  return out;
}

export interface TopicComments {
  comments: OkComment[];
  names: Map<string, string>;
  state: OkTopicAnchor;
}

/** Reads a topic's comments forward from its anchor; drops ids already read. */
export async function readNewComments(
  client: OkClient,
  topic: OkTopicAnchor,
  limits: ReadLimits,
  signal?: AbortSignal,
): Promise<TopicComments> {
  const seen = new Set(topic.ids);
  const comments: OkComment[] = [];
  const names = new Map<string, string>();
  let anchor = topic.anchor;
  for (let page = 0; page < limits.maxCommentPages; page++) {
    const json = await client.call<{ comments?: OkComment[]; anchor?: string; has_more?: boolean }>(
      'discussions.getComments',
      { discussionId: topic.id, discussionType: 'GROUP_TOPIC', anchor: anchor ?? undefined, direction: 'FORWARD', count: limits.commentsPageSize },
      { signal },
    );
    for (const c of json?.comments ?? []) if (!seen.has(String(c.id))) (seen.add(String(c.id)), comments.push(c));
    for (const [k, v] of commentAuthorNames(json)) names.set(k, v);
    anchor = json?.anchor ?? anchor;
    if (!json?.has_more || !json.comments?.length) break;
  }
  const ids = [...topic.ids, ...comments.map((c) => String(c.id))].slice(-20);
  return { comments, names, state: { ...topic, anchor, ids } };
}

/** A deleted or hidden topic must not break its group: the caller stops tracking it. */
export function isTopicGone(e: unknown): boolean {
  return e instanceof SourceError && (e.details.code === 300 || e.details.code === 458);
}
