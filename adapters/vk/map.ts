import type { PostKind, RawPost } from '../../src/domain/post.js';

/** The parts of VK objects the mappers read (5.199 WallpostFull, Comment, Message). */
export interface VkWallPost {
  id: number;
  owner_id: number;
  from_id?: number;
  date: number;
  text?: string;
  is_pinned?: number;
  post_type?: string;
  geo?: { coordinates?: string };
  copy_history?: Array<{ id: number; owner_id: number }>;
  comments?: { count?: number };
  [key: string]: unknown;
}

export interface VkComment {
  id: number;
  from_id?: number;
  post_id?: number;
  owner_id?: number;
  date: number;
  text?: string;
  deleted?: boolean;
  reply_to_comment?: number;
  thread?: { count?: number; items?: VkComment[] };
  [key: string]: unknown;
}

export interface VkMessage {
  id: number;
  peer_id: number;
  from_id: number;
  date: number;
  text?: string;
  out?: number;
  geo?: { coordinates?: { latitude: number; longitude: number } };
  [key: string]: unknown;
}

/** `"55.75 37.61"` (wall geo) → lat/lon; anything unparsable → null. */
export function parseGeo(coordinates: unknown): { lat: number; lon: number } | null {
  if (typeof coordinates === 'string') {
    const [lat, lon] = coordinates.trim().split(/\s+/).map(Number);
    return Number.isFinite(lat) && Number.isFinite(lon) ? { lat: lat!, lon: lon! } : null;
  }
  const c = coordinates as { latitude?: unknown; longitude?: unknown } | null | undefined;
  if (c && typeof c.latitude === 'number' && typeof c.longitude === 'number') return { lat: c.latitude, lon: c.longitude };
  return null;
}

const date = (unix: number) => new Date(unix * 1000);
const author = (id: number | undefined) => (id === undefined ? null : String(id));

export const wallPostId = (ownerId: number, id: number) => `${ownerId}_${id}`;
export const wallPostUrl = (ownerId: number, id: number) => `https://vk.com/wall${ownerId}_${id}`;
export const commentId = (ownerId: number, postId: number, id: number) => `${ownerId}_${postId}_c${id}`;
export const messageId = (groupId: number, peerId: number, id: number) => `m${groupId}_${peerId}_${id}`;

/**
 * A wall post (wall.get, newsfeed.search) → RawPost. The reply target answers
 * under the post. A suggested post has no public page yet, so its reply goes to
 * the author as a community message (works only if they allow messages).
 */
export function mapWallPost(p: VkWallPost, kind: PostKind = 'post'): RawPost {
  const orig = p.copy_history?.[0];
  const suggested = kind === 'suggested';
  return {
    externalId: wallPostId(p.owner_id, p.id),
    kind,
    repostOfExternalId: orig ? wallPostId(orig.owner_id, orig.id) : null,
    authorId: author(p.from_id),
    url: suggested ? null : wallPostUrl(p.owner_id, p.id),
    text: p.text ?? '',
    publishedAt: date(p.date),
    raw: p,
    replyTarget: suggested
      ? p.from_id !== undefined ? { type: 'message', peer_id: p.from_id } : null
      : { type: 'wall', owner_id: p.owner_id, post_id: p.id },
    geo: parseGeo(p.geo?.coordinates),
  };
}

/** A comment under `ownerId_postId` (top level or a thread item) → RawPost. */
export function mapComment(c: VkComment, ownerId: number, postId: number): RawPost {
  return {
    externalId: commentId(ownerId, postId, c.id),
    kind: 'comment',
    parentExternalId: wallPostId(ownerId, postId),
    authorId: author(c.from_id),
    url: `${wallPostUrl(ownerId, postId)}?reply=${c.id}`,
    text: c.text ?? '',
    publishedAt: date(c.date),
    raw: c,
    replyTarget: { type: 'wall', owner_id: ownerId, post_id: postId, reply_to_comment: c.id },
    geo: null,
  };
}

/** A private message to community `groupId` → RawPost; `m<group>_<peer>_<message id>`. */
export function mapMessage(m: VkMessage, groupId: number): RawPost {
  return {
    externalId: messageId(groupId, m.peer_id, m.id),
    kind: 'message',
    authorId: author(m.from_id),
    url: `https://vk.com/gim${groupId}?sel=${m.peer_id}`,
    text: m.text ?? '',
    publishedAt: date(m.date),
    raw: m,
    replyTarget: { type: 'message', peer_id: m.peer_id },
    geo: parseGeo(m.geo?.coordinates),
  };
}

/** Top-level comments and their thread items, flattened; deleted ones dropped. */
export function flattenComments(items: VkComment[]): VkComment[] {
  const out: VkComment[] = [];
  for (const c of items) {
    if (!c.deleted) out.push(c);
    for (const t of c.thread?.items ?? []) if (!t.deleted) out.push(t);
  }
  return out;
}
