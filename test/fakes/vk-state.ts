/** In-memory VK data and method handlers for the fake server (5.199 shapes). */

export class FakeVkError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export interface FakePost {
  id: number; owner_id: number; from_id: number; date: number; text: string; post_type: 'post';
  is_pinned?: number; comments: { count: number; can_post: number }; likes: { count: number }; reposts: { count: number };
  geo?: { type: 'point'; coordinates: string }; copy_history?: Array<{ id: number; owner_id: number; text?: string; date?: number }>;
  attachments?: unknown[];
}
export interface FakeComment {
  id: number; from_id: number; post_id: number; owner_id: number; date: number; text: string;
  parents_stack: number[]; reply_to_comment?: number; replies: FakeComment[];
}
export interface FakeMessage { id: number; peer_id: number; from_id: number; date: number; text: string; out: 0 | 1; random_id?: number }
export interface FakeCommunity {
  id: number; screen_name: string; name: string;
  /** Every wall/comment call on this community fails with this VK code (15 closed, 30 private...). */
  errorCode?: number;
  posts: FakePost[]; suggests: FakePost[]; pinnedId?: number; nextPostId: number; nextCommentId: number;
}

type Params = Record<string, string>;
export type Handler = (p: Params) => unknown;

export function createVkState(now: () => number) {
  const communities = new Map<number, FakeCommunity>();
  const byName = new Map<string, FakeCommunity>();
  const comments = new Map<string, FakeComment[]>();
  const inbox = new Map<number, { nextId: number; peers: Map<number, FakeMessage[]> }>();
  const guids = new Map<string, number>();
  const randomIds = new Map<string, number>();
  const created: FakeComment[] = [];
  const sent: FakeMessage[] = [];

  const bad = (what: string) => new FakeVkError(100, `One of the parameters specified was missing or invalid: ${what}`);
  const num = (v: string | undefined, dflt: number) => (v === undefined || v === '' ? dflt : Number(v));

  function addCommunity(c: { id: number; screen_name?: string; name?: string; errorCode?: number }): FakeCommunity {
    const full: FakeCommunity = { screen_name: `club${c.id}`, name: `Сообщество ${c.id}`, ...c, posts: [], suggests: [], nextPostId: 1, nextCommentId: 1 };
    communities.set(c.id, full);
    byName.set(full.screen_name, full);
    return full;
  }
  function community(id: number): FakeCommunity {
    return communities.get(id) ?? addCommunity({ id });
  }
  function addPost(groupId: number, p: Partial<FakePost> & { text: string; suggested?: boolean; pinned?: boolean }): FakePost {
    const c = community(groupId);
    const { suggested, pinned, ...rest } = p;
    const post: FakePost = { id: c.nextPostId++, owner_id: -groupId, from_id: -groupId, date: now(), post_type: 'post', comments: { count: 0, can_post: 1 }, likes: { count: 0 }, reposts: { count: 0 }, ...rest };
    (suggested ? c.suggests : c.posts).push(post);
    if (pinned) (post.is_pinned = 1), (c.pinnedId = post.id);
    return post;
  }
  function addComment(groupId: number, postId: number, cm: { text: string; from_id?: number; date?: number; reply_to_comment?: number }): FakeComment {
    const c = community(groupId);
    const post = c.posts.find((p) => p.id === postId);
    if (!post) throw bad('post_id');
    const list = comments.get(`${-groupId}_${postId}`) ?? [];
    comments.set(`${-groupId}_${postId}`, list);
    const parent = cm.reply_to_comment ? list.find((x) => x.id === cm.reply_to_comment) : undefined;
    const item: FakeComment = { id: c.nextCommentId++, from_id: cm.from_id ?? 1, post_id: postId, owner_id: -groupId, date: cm.date ?? now(), text: cm.text, parents_stack: parent ? [parent.id] : [], reply_to_comment: cm.reply_to_comment, replies: [] };
    (parent ? parent.replies : list).push(item);
    post.comments.count++;
    return item;
  }
  function box(groupId: number) {
    let b = inbox.get(groupId);
    if (!b) inbox.set(groupId, (b = { nextId: 1, peers: new Map() }));
    return b;
  }
  function addMessage(groupId: number, m: { peer_id: number; text: string; from_id?: number; date?: number; out?: 0 | 1; random_id?: number }): FakeMessage {
    const b = box(groupId);
    const msg: FakeMessage = { id: b.nextId++, from_id: m.out ? -groupId : m.peer_id, date: now(), out: 0, ...m };
    const list = b.peers.get(m.peer_id) ?? [];
    b.peers.set(m.peer_id, list);
    list.push(msg);
    return msg;
  }

  function wallOwner(p: Params): FakeCommunity {
    const c = p.owner_id ? communities.get(-Number(p.owner_id)) : p.domain ? byName.get(p.domain) : undefined;
    if (!c) throw bad('owner_id');
    if (c.errorCode) throw new FakeVkError(c.errorCode, c.errorCode === 30 ? 'This profile is private' : 'Access denied');
    return c;
  }
  const showComment = (x: FakeComment, threadCount: number): Record<string, unknown> => {
    const { replies, ...rest } = x;
    return { ...rest, thread: { count: replies.length, items: replies.slice(0, threadCount).map((r): Record<string, unknown> => showComment(r, 0)), can_post: true, show_reply_button: true } };
  };

  const handlers: Record<string, Handler> = {
    'wall.get': (p) => {
      const c = wallOwner(p);
      const list = p.filter === 'suggests' ? c.suggests : c.posts;
      const offset = num(p.offset, 0), count = Math.min(num(p.count, 20), 100);
      const pinned = p.filter === 'suggests' ? undefined : list.find((x) => x.id === c.pinnedId);
      const ordered: FakePost[] = pinned ? [pinned] : [];
      // Newest first; only the slice asked for is built (walls can be long).
      for (let i = list.length - 1; i >= 0 && ordered.length < offset + count; i--) if (list[i] !== pinned) ordered.push(list[i]!);
      return { count: list.length, items: ordered.slice(offset, offset + count) };
    },
    'wall.getComments': (p) => {
      const c = wallOwner(p);
      if (!c.posts.some((x) => x.id === Number(p.post_id))) throw bad('post_id');
      let list = comments.get(`${-c.id}_${p.post_id}`) ?? [];
      if (p.comment_id) list = list.find((x) => x.id === Number(p.comment_id))?.replies ?? [];
      const ordered = p.sort === 'desc' ? [...list].reverse() : list;
      const offset = num(p.offset, 0), count = Math.min(num(p.count, 10), 100), threads = Math.min(num(p.thread_items_count, 0), 10);
      const items = ordered.slice(offset, offset + count).map((x) => showComment(x, threads));
      return { count: list.length, current_level_count: list.length, items, can_post: true, show_reply_button: true, groups_can_post: true };
    },
    'wall.createComment': (p) => {
      const c = wallOwner(p);
      const key = `${p.owner_id}_${p.post_id}_${p.guid ?? ''}`;
      const seen = p.guid ? guids.get(key) : undefined;
      if (seen !== undefined) return { comment_id: seen, parents_stack: [] };
      if (!p.message) throw bad('message');
      const item = addComment(c.id, Number(p.post_id), { text: p.message, from_id: p.from_group ? -Number(p.from_group) : 1, reply_to_comment: p.reply_to_comment ? Number(p.reply_to_comment) : undefined });
      if (p.guid) guids.set(key, item.id);
      created.push(item);
      return { comment_id: item.id, parents_stack: item.parents_stack };
    },
    'newsfeed.search': (p) => {
      const q = (p.q ?? '').toLowerCase();
      const from = num(p.start_time, now() - 86_400), to = num(p.end_time, now());
      const hits: FakePost[] = [];
      for (const c of communities.values()) for (const x of c.posts) if (x.date >= from && x.date <= to && x.text.toLowerCase().includes(q)) hits.push(x);
      hits.sort((a, b) => b.date - a.date || b.id - a.id);
      const offset = p.start_from ? Number(p.start_from.split('/')[0]) : 0, count = Math.min(num(p.count, 30), 200);
      const items = hits.slice(offset, offset + count);
      const more = offset + count < Math.min(hits.length, 1000);
      return { items, count: items.length, total_count: hits.length, ...(more ? { next_from: `${offset + count}/fake` } : {}) };
    },
    'messages.getConversations': (p) => {
      const b = box(groupParam(p));
      const convs = [...b.peers.entries()].map(([peer, list]) => ({ peer, last: list[list.length - 1]! })).sort((a, c) => c.last.id - a.last.id);
      const offset = num(p.offset, 0), count = Math.min(num(p.count, 20), 200);
      const items = convs.slice(offset, offset + count).map(({ peer, last }) => ({
        conversation: { peer: { id: peer, type: peer > 2e9 ? 'chat' : 'user', local_id: peer }, last_message_id: last.id, in_read: last.id, out_read: last.id, can_write: { allowed: true } },
        last_message: last,
      }));
      return { count: convs.length, items };
    },
    'messages.getHistory': (p) => {
      const list = box(groupParam(p)).peers.get(Number(p.peer_id)) ?? [];
      const offset = num(p.offset, 0), count = Math.min(num(p.count, 20), 200);
      return { count: list.length, items: [...list].reverse().slice(offset, offset + count) };
    },
    'messages.send': (p) => {
      const gid = groupParam(p);
      if (!p.random_id) throw bad('random_id is required');
      const key = `${gid}_${p.random_id}`;
      const seen = randomIds.get(key);
      if (seen !== undefined) return seen; // VK ignores a repeated random_id
      const msg = addMessage(gid, { peer_id: Number(p.peer_id), text: p.message ?? '', out: 1, random_id: Number(p.random_id) });
      randomIds.set(key, msg.id);
      sent.push(msg);
      return msg.id;
    },
    'groups.getById': (p) => {
      // With no ids, a community token means "my community" (vk-io's updates.start relies on it).
      const own = tokenGroup(p);
      const ids = (p.group_ids ?? p.group_id ?? (own ? String(own) : '')).split(',').filter(Boolean);
      const groups = ids.map((id) => communities.get(Math.abs(Number(id))) ?? byName.get(id)).map((c) => {
        if (!c) throw bad('group_ids');
        return { id: c.id, name: c.name, screen_name: c.screen_name, is_closed: 0, type: 'group', photo_50: '', photo_100: '', photo_200: '' };
      });
      return { groups, profiles: [] };
    },
    // The token's own user (a user token); `otklik init` checks a token with it.
    'users.get': (p) => (p.user_ids ?? '100').split(',').map((id) => ({ id: Number(id), first_name: 'Иван', last_name: 'Тестов', can_access_closed: true, is_closed: false })),
    'utils.resolveScreenName': (p) => {
      const c = byName.get(p.screen_name ?? '');
      return c ? { type: 'group', object_id: c.id } : [];
    },
  };
  let tokenGroup: (p: Params) => number | undefined = () => undefined;
  function groupParam(p: Params): number {
    const gid = Number(p.group_id) || tokenGroup(p);
    if (!gid) throw bad('group_id');
    return gid;
  }

  return {
    communities, comments, created, sent, handlers,
    addCommunity, addPost, addComment, addMessage,
    setTokenGroup: (f: (p: Params) => number | undefined) => void (tokenGroup = f),
  };
}
export type VkState = ReturnType<typeof createVkState>;
