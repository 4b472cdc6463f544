/**
 * A local OK REST API (/fb.do) for tests: verifies every request's signature with its own
 * implementation of the documented rule, keeps groups, topics and comments in memory,
 * and injects errors, 5xx and slow answers per method.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OkFakeKeys {
  applicationKey: string;
  applicationSecretKey: string;
  accessToken: string;
}
export interface FakeGroup { id: string; name: string; shortname?: string }
export interface FakeTopic { id: string; gid: string; created_ms: number; text: string; author_ref: string }
export interface FakeComment { id: string; topicId: string; text: string; date: string; author_id: string; author_type: 'USER' | 'GROUP'; reply_to_comment_id?: string }
/** `body`: HTTP 200 with this raw text instead of the answer (malformed JSON, a wrong shape). */
export type OkFault = { error_code: number; error_msg?: string } | { http: number } | { delayMs: number } | { body: string };

export interface OkFakeState {
  groups: Map<string, FakeGroup>;
  topics: FakeTopic[];
  comments: FakeComment[];
  tokenExpired: boolean;
}

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/** Written apart from adapters/ok/sign.ts on purpose: two readings of the same docs must agree. */
function expectedSig(p: URLSearchParams, keys: OkFakeKeys): string {
  const secret = md5(`${keys.accessToken}${keys.applicationSecretKey}`);
  const pairs = [...p.entries()].filter(([k]) => k !== 'sig' && k !== 'access_token' && k !== 'session_key');
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return md5(pairs.map(([k, v]) => `${k}=${v}`).join('') + secret);
}

/** Moscow wall-clock "YYYY-MM-DD HH:MM:SS", as OK writes comment dates. */
export function moscowDate(ms: number): string {
  return new Date(ms + 3 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

const err = (code: number, msg: string) => ({ error_data: null, error_code: code, error_msg: msg });

export async function startOkFake(keys: OkFakeKeys, opts: { now?: () => number } = {}) {
  const now = opts.now ?? (() => Date.now());
  const state: OkFakeState = { groups: new Map(), topics: [], comments: [], tokenExpired: false };
  const requests: Array<{ method: string; params: Record<string, string> }> = [];
  const faults = new Map<string, OkFault[]>();
  let nextId = 1000;

  const api: Record<string, (p: URLSearchParams) => unknown> = {
    'group.getInfo': (p) => {
      const ids = (p.get('uids') ?? '').split(',');
      return ids.flatMap((id) => {
        const g = state.groups.get(id);
        return g ? [{ uid: g.id, name: g.name, shortname: g.shortname }] : [];
      });
    },
    // The token's own user (`otklik init` checks a token with it).
    'users.getCurrentUser': () => ({ uid: '571234567890', name: 'Ольга Тестова', first_name: 'Ольга', last_name: 'Тестова' }),
    'url.getInfo': (p) => {
      const path = new URL(p.get('url') ?? '', 'https://ok.ru').pathname.replace(/^\/+|\/+$/g, '');
      const byId = /^group\/(\d+)$/.exec(path)?.[1];
      const g = [...state.groups.values()].find((x) => x.id === byId || x.shortname === path);
      if (!g) return err(300, 'NOT_FOUND : url');
      return { objectId: Number(g.id), objectIdStr: g.id, type: 'GROUP' };
    },
    'mediatopic.getTopics': (p) => {
      const gid = p.get('gid') ?? '';
      if (!state.groups.has(gid)) return err(160, 'PARAM_GROUP_ID : group not found');
      const count = Number(p.get('count') ?? 20);
      const feed = state.topics.filter((t) => t.gid === gid).sort((a, b) => b.created_ms - a.created_ms);
      const start = p.get('anchor') ? Number(Buffer.from(p.get('anchor')!, 'base64url').toString()) : 0;
      const page = feed.slice(start, start + count);
      const media_topics = page.map((t) => ({
        id: t.id, created_ms: t.created_ms, author_ref: t.author_ref, owner_ref: `group:${gid}`,
        media: [{ type: 'text', text: t.text }, { type: 'link', url: 'https://example.org' }],
      }));
      const end = start + page.length;
      return { media_topics, anchor: Buffer.from(String(end)).toString('base64url'), has_more: end < feed.length };
    },
    'discussions.getComments': (p) => listComments(p),
    'discussions.addDiscussionComment': (p) => {
      const topic = state.topics.find((t) => t.id === p.get('entityId'));
      if (!topic || p.get('entityType') !== 'GROUP_TOPIC') return err(300, 'NOT_FOUND : topic');
      const asGroup = p.get('as_admin') === 'true';
      const c = addComment(topic.id, { text: p.get('comment') ?? '', authorId: asGroup ? topic.gid : '1', asGroup, replyTo: p.get('reply_to_comment_id') ?? undefined });
      return { success: true, comment_id: c.id };
    },
  };

  function listComments(p: URLSearchParams) {
    const topicId = p.get('discussionId') ?? '';
    if (!state.topics.some((t) => t.id === topicId)) return err(300, 'NOT_FOUND : discussion');
    const all = state.comments.filter((c) => c.topicId === topicId);
    const count = Number(p.get('count') ?? 20);
    const anchor = p.get('anchor') ?? 'FIRST';
    const backward = p.get('direction') === 'BACKWARD';
    // Anchor = a comment id: FORWARD gives what follows it, BACKWARD what precedes it.
    const pos = anchor === 'FIRST' ? -1 : anchor === 'LAST' ? all.length : all.findIndex((c) => c.id === Buffer.from(anchor, 'base64url').toString());
    const page = backward ? all.slice(Math.max(0, pos - count), Math.max(0, pos)) : all.slice(pos + 1, pos + 1 + count);
    const edge = backward ? page[0] : page.at(-1);
    const more = backward ? pos - count > 0 : pos + 1 + count < all.length;
    return {
      comments: page.map(({ topicId: _t, ...c }) => c),
      anchor: edge ? Buffer.from(edge.id).toString('base64url') : anchor,
      has_more: more,
      entities: { users: [...new Set(page.map((c) => c.author_id))].map((uid) => ({ uid, name: `Пользователь ${uid}` })) },
    };
  }

  function addGroup(g: FakeGroup): FakeGroup {
    state.groups.set(g.id, g);
    return g;
  }
  function addTopic(gid: string, t: { text: string; createdMs?: number; authorId?: string; id?: string }): FakeTopic {
    const topic = { id: t.id ?? String(++nextId * 7919), gid, created_ms: t.createdMs ?? now(), text: t.text, author_ref: `user:${t.authorId ?? '5001'}` };
    state.topics.push(topic);
    return topic;
  }
  function addComment(topicId: string, c: { text: string; atMs?: number; authorId?: string; asGroup?: boolean; replyTo?: string }): FakeComment {
    const comment: FakeComment = {
      id: `c${++nextId}x`, topicId, text: c.text, date: moscowDate(c.atMs ?? now()), author_id: c.authorId ?? '5002',
      author_type: c.asGroup ? 'GROUP' : 'USER', ...(c.replyTo ? { reply_to_comment_id: c.replyTo } : {}),
    };
    state.comments.push(comment);
    return comment;
  }
  function failNext(method: string, fault: OkFault, times = 1): void {
    faults.set(method, [...(faults.get(method) ?? []), ...Array.from({ length: times }, () => fault)]);
  }

  function authenticate(p: URLSearchParams): object | null {
    if (p.get('application_key') !== keys.applicationKey) return err(101, 'PARAM_API_KEY : unknown application');
    if (!p.get('sig') || p.get('sig') !== expectedSig(p, keys)) return err(104, 'PARAM_SIGNATURE : Invalid signature');
    if (p.get('access_token') !== keys.accessToken) return err(103, 'PARAM_SESSION_KEY : invalid session');
    if (state.tokenExpired) return err(102, 'PARAM_SESSION_EXPIRED : Session expired');
    return null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url ?? '/', 'http://x');
    const p = new URLSearchParams(req.method === 'POST' ? body : url.search);
    const method = p.get('method') ?? '';
    requests.push({ method, params: Object.fromEntries(p) });
    const fault = faults.get(method)?.shift();
    const send = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' }).end(JSON.stringify(json));
    if (fault && 'http' in fault) return void send(fault.http, { error: 'server error' });
    if (fault && 'body' in fault) return void res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' }).end(fault.body);
    if (fault && 'error_code' in fault) return void send(200, err(fault.error_code, fault.error_msg ?? 'INJECTED'));
    const answer = authenticate(p) ?? (api[method] ? api[method](p) : err(3, `METHOD : unknown method ${method}`));
    // A slow answer still does its work first: the worst case for a client that times out.
    if (fault && 'delayMs' in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (!res.destroyed) send(200, answer);
  }

  const server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    state,
    requests,
    addGroup,
    addTopic,
    addComment,
    failNext,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

export type OkFake = Awaited<ReturnType<typeof startOkFake>>;
