import type { RawPost } from '../../src/domain/post.js';

/** A group topic as `mediatopic.getTopics` returns it (only the fields we read). */
export interface OkTopic {
  id: string | number;
  created_ms?: number;
  author_ref?: string;
  owner_ref?: string;
  media?: Array<{ type?: string; text?: string }>;
  [k: string]: unknown;
}

/** A comment as `discussions.getComments` returns it. */
export interface OkComment {
  id: string;
  text?: string;
  date?: string;
  author_id?: string | number;
  author_type?: string;
  reply_to_comment_id?: string;
  [k: string]: unknown;
}

export interface OkTopicsPage {
  topics: OkTopic[];
  anchor: string | null;
  hasMore: boolean;
}

/** `mediatopic.getTopics` has been seen both as a bare array and as `{media_topics}`; accept both. */
export function readTopicsPage(json: unknown): OkTopicsPage {
  if (Array.isArray(json)) return { topics: json as OkTopic[], anchor: null, hasMore: false };
  const obj = (json ?? {}) as { media_topics?: OkTopic[]; anchor?: string; has_more?: boolean };
  return { topics: obj.media_topics ?? [], anchor: obj.anchor ?? null, hasMore: obj.has_more === true };
}

/** OK comment dates are "YYYY-MM-DD HH:MM:SS" without a zone; OK runs on Moscow time (UTC+3, no DST). */
export function parseOkDate(date: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)/.exec(date);
  if (!m) return new Date(Number.NaN);
  return new Date(`${m[1]}T${m[2]}+03:00`);
}

export const topicExternalId = (topicId: string | number): string => `topic:${topicId}`;
export const commentExternalId = (topicId: string | number, commentId: string): string => `topic:${topicId}:c${commentId}`;
export const topicUrl = (gid: string, topicId: string | number): string => `https://ok.ru/group/${gid}/topic/${topicId}`;

/** The text items of a topic, in order; links, photos and polls carry no complaint text. */
export function topicText(topic: OkTopic): string {
  return (topic.media ?? [])
    .filter((m) => m.type === 'text' && typeof m.text === 'string')
    .map((m) => m.text as string)
    .join('\n\n');
}

/** "group:123" / "user:456" → "123" / "456". */
function refId(ref: string | undefined): string | null {
  if (!ref) return null;
  const i = ref.indexOf(':');
  return i >= 0 ? ref.slice(i + 1) : ref;
}

export function mapTopic(topic: OkTopic, gid: string): RawPost {
  const id = String(topic.id);
  return {
    externalId: topicExternalId(id),
    kind: 'post',
    parentExternalId: null,
    authorId: refId(topic.author_ref),
    url: topicUrl(gid, id),
    text: topicText(topic),
    publishedAt: new Date(Number(topic.created_ms ?? 0)),
    raw: topic,
    replyTarget: { type: 'topic', topic_id: id, group_id: gid },
  };
}

export function mapComment(comment: OkComment, topicId: string, gid: string, names: Map<string, string>): RawPost {
  const authorId = comment.author_id === undefined ? null : String(comment.author_id);
  return {
    externalId: commentExternalId(topicId, comment.id),
    kind: 'comment',
    parentExternalId: topicExternalId(topicId),
    authorId,
    authorName: authorId ? (names.get(authorId) ?? null) : null,
    url: topicUrl(gid, topicId),
    text: comment.text ?? '',
    publishedAt: parseOkDate(comment.date ?? ''),
    raw: comment,
    replyTarget: { type: 'topic', topic_id: topicId, group_id: gid, reply_to_comment_id: comment.id },
  };
}

/** `entities.users[{uid,name}]` of a comments answer, as uid → name. */
export function commentAuthorNames(json: unknown): Map<string, string> {
  const users = ((json as { entities?: { users?: Array<{ uid?: string | number; name?: string }> } })?.entities?.users ?? []);
  return new Map(users.filter((u) => u.uid !== undefined && u.name).map((u) => [String(u.uid), String(u.name)]));
}

/** Whether a comment was written by the group itself (replies posted with as_admin). */
export function isGroupComment(comment: OkComment, gid: string): boolean {
  return comment.author_type === 'GROUP' || String(comment.author_id ?? '') === gid;
}
