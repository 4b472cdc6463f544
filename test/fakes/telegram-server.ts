import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Telegram Bot API server for tests: `POST /bot<token>/<method>` with JSON, form or
 * multipart bodies; answers `{ok:true,result}` or `{ok:false,error_code,description,parameters}`
 * with HTTP status = error_code, as Telegram does. getUpdates long-polls (holds the request until
 * `timeout` seconds pass or an update arrives) and confirms updates below `offset`. Any number of
 * tokens at once; point telegraf at it with `{ apiRoot }`.
 */
export type TelegramFailure =
  | { code: 429; retryAfter: number; description?: string }
  | { code: 400 | 401 | 403 | 404 | 409; description?: string }
  /** A bare HTTP error from a proxy (telegraf then reports `statusText`). */
  | { http: number }
  /** The call is processed (a message is really sent) but the answer comes `delayMs` late. */
  | { delayMs: number }
  /** HTTP 200 with this raw text instead of the answer (malformed JSON, a wrong shape). */
  | { body: string }
  /**
   * The request is held until the client goes away (a kill -9 test kills it meanwhile):
   * `before` = received but never carried out (lost on the way in: nothing is delivered);
   * `after` = carried out (the message is delivered) but the answer never leaves (lost on the way back).
   */
  | { hold: 'before' | 'after' }
  /**
   * The connection is cut (the client sees a reset, as when a network path drops mid-call):
   * `before` = nothing carried out; `after` = the message is delivered, the answer lost.
   */
  | { drop: 'before' | 'after' };

export interface TelegramCall {
  token: string;
  method: string;
  payload: Record<string, unknown>;
}

/** A message as the fake holds it now (after edits). */
export interface FakeMessage {
  chatId: string;
  messageId: number;
  text?: string;
  caption?: string;
  photo?: boolean;
  document?: string;
  replyMarkup?: Record<string, unknown>;
  /** How many times it was edited. */
  edits: number;
}

export interface TelegramFakeOptions {
  /** Time source for limit accounting (tests pass their manual clock's `now`). Default: Date.now. */
  now?: () => number;
  /** Answer 429 like Telegram when a chat gets more than one message a second or a group more than 20 a minute. */
  enforceLimits?: boolean;
}

export interface TelegramFake {
  apiRoot: string;
  /** Messages of a chat as they are now (edits applied), in sending order. */
  messages(chatId: number | string): FakeMessage[];
  /** Delivered sends and edits per chat with the fake's clock time: the limit accounting. */
  deliveries: Array<{ chatId: string; method: string; at: number }>;
  /** Sends/edits that broke a limit (per chat 1/s, per group 20/min), whether answered 429 or not. */
  limitViolations(): Array<{ chatId: string; at: number; rule: 'chat' | 'group' }>;
  /** answerCallbackQuery payloads. */
  callbackAnswers: Record<string, unknown>[];
  /** Files served by getFile + /file/bot<token>/<path> (the test puts a photo there). */
  putFile(fileId: string, data: Buffer): void;
  /** Uploaded photos and documents (multipart), with the uploaded size. */
  uploads: Array<{ chatId: string; method: string; filename: string; size: number }>;
  /** Every request, in arrival order (failed and delayed ones included). */
  calls: TelegramCall[];
  /** Queues an update for a bot; `update_id` is assigned when missing. Wakes a held getUpdates. */
  pushUpdate(token: string, update: Record<string, unknown>): number;
  /** sendMessage payloads that were delivered, optionally for one chat. */
  sent(chatId?: number | string): Record<string, unknown>[];
  /** The next `times` calls of `method` (any token; `*` = any method but getUpdates) fail as described. */
  failNext(method: string, failure: TelegramFailure, times?: number): void;
  /** Updates not yet confirmed by an offset. */
  pending(token: string): number;
  close(): Promise<void>;
}

type Payload = Record<string, unknown>;
type Answer = { ok: true; result: unknown } | { ok: false; error_code: number; description: string; parameters?: Payload };

interface BotState {
  queue: Payload[];
  nextUpdateId: number;
  webhookUrl: string;
  waiter?: { wake: (answer: Answer) => void };
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request: chat not found',
  401: 'Unauthorized',
  403: 'Forbidden: bot was kicked from the group chat',
  404: 'Not Found',
  409: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
};

const ok = (result: unknown): Answer => ({ ok: true, result });
const fail = (code: number, description = DESCRIPTIONS[code] ?? 'Error', parameters?: Payload): Answer =>
  parameters ? { ok: false, error_code: code, description, parameters } : { ok: false, error_code: code, description };

export async function startTelegramFake(opts: TelegramFakeOptions = {}): Promise<TelegramFake> {
  const now = opts.now ?? Date.now;
  const store = new Map<string, FakeMessage[]>();
  const deliveries: TelegramFake['deliveries'] = [];
  const violations: ReturnType<TelegramFake['limitViolations']> = [];
  const callbackAnswers: Payload[] = [];
  const files = new Map<string, Buffer>();
  const uploads: TelegramFake['uploads'] = [];
  const bots = new Map<string, BotState>();
  const calls: TelegramCall[] = [];
  const delivered: Payload[] = [];
  const failures: Array<{ method: string; failure: TelegramFailure }> = [];
  const messageIds = new Map<string, number>();

  const bot = (token: string): BotState => {
    let s = bots.get(token);
    if (!s) bots.set(token, (s = { queue: [], nextUpdateId: 1000, webhookUrl: '' }));
    return s;
  };

  function newMessage(token: string, p: Payload, content: Payload): Payload {
    const chatKey = String(p.chat_id);
    const id = (messageIds.get(chatKey) ?? 100) + 1;
    messageIds.set(chatKey, id);
    const replyTo = (p.reply_parameters as Payload | undefined)?.message_id;
    const reply = replyTo === undefined ? {} : { reply_to_message: { message_id: Number(replyTo), chat: chatOf(p.chat_id), date: 0 } };
    const held: FakeMessage = { chatId: chatKey, messageId: id, edits: 0, ...(content.text !== undefined ? { text: String(content.text) } : {}), ...(content.caption !== undefined ? { caption: String(content.caption) } : {}), ...(content.photo ? { photo: true } : {}), ...(p.reply_markup ? { replyMarkup: p.reply_markup as Payload } : {}) };
    store.set(chatKey, [...(store.get(chatKey) ?? []), held]);
    return { message_id: id, from: botUser(token), chat: chatOf(p.chat_id), date: Math.floor(Date.now() / 1000), ...content, ...reply };
  }

  /** Per-chat and per-group limit accounting; returns a 429 answer when limits are enforced and broken. */
  function account(chatId: string, method: string): Answer | null {
    const at = now();
    const mine = deliveries.filter((d) => d.chatId === chatId);
    const last = mine.at(-1);
    let rule: 'chat' | 'group' | null = null;
    if (last && at - last.at < 1000) rule = 'chat';
    else if (chatId.startsWith('-') && mine.filter((d) => d.at > at - 60_000).length >= 20) rule = 'group';
    if (rule) {
      violations.push({ chatId, at, rule });
      if (opts.enforceLimits) return fail(429, 'Too Many Requests: retry after 1', { retry_after: 1 });
    }
    deliveries.push({ chatId, method, at });
    return null;
  }

  function edit(p: Payload): Answer {
    const held = (store.get(String(p.chat_id)) ?? []).find((m) => m.messageId === Number(p.message_id));
    if (!held) return fail(400, 'Bad Request: message to edit not found');
    if (held.text === p.text && JSON.stringify(held.replyMarkup ?? null) === JSON.stringify(p.reply_markup ?? null)) {
      return fail(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
    }
    held.text = String(p.text);
    if (p.reply_markup) held.replyMarkup = p.reply_markup as Payload;
    else delete held.replyMarkup;
    held.edits++;
    return ok({ message_id: held.messageId, from: { id: 1, is_bot: true, first_name: 'Fake bot' }, chat: chatOf(p.chat_id), date: 0, edit_date: 0, text: p.text, reply_markup: p.reply_markup });
  }

  function getUpdates(token: string, p: Payload, res: ServerResponse): Answer | Promise<Answer> {
    const s = bot(token);
    if (s.webhookUrl) return fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    const offset = Number(p.offset ?? 0);
    if (offset > 0) s.queue = s.queue.filter((u) => Number(u.update_id) >= offset);
    const limit = Math.min(Math.max(Number(p.limit ?? 100) || 100, 1), 100);
    const timeoutSec = Number(p.timeout ?? 0);
    if (s.queue.length || timeoutSec <= 0) return ok(s.queue.slice(0, limit));
    // Telegram ends the older of two concurrent getUpdates with 409.
    s.waiter?.wake(fail(409));
    return new Promise<Answer>((resolve) => {
      const finish = (answer: Answer) => {
        clearTimeout(timer);
        if (s.waiter === waiter) s.waiter = undefined;
        resolve(answer);
      };
      const waiter = { wake: finish };
      const timer = setTimeout(() => finish(ok([])), timeoutSec * 1000);
      s.waiter = waiter;
      // The client gave up (abort, bot.stop()): forget the waiter.
      res.once('close', () => finish(ok([])));
      waiter.wake = (answer) => finish(answer.ok ? ok(s.queue.slice(0, limit)) : answer);
    });
  }

  function dispatch(token: string, method: string, p: Payload, res: ServerResponse): Answer | Promise<Answer> {
    const s = bot(token);
    switch (method) {
      case 'getMe':
        return ok({ ...botUser(token), can_join_groups: true, can_read_all_group_messages: true, supports_inline_queries: false });
      case 'getUpdates':
        return getUpdates(token, p, res);
      case 'setWebhook':
        s.webhookUrl = String(p.url ?? '');
        return ok(true);
      case 'deleteWebhook':
        s.webhookUrl = '';
        if (p.drop_pending_updates === true || p.drop_pending_updates === 'true') s.queue = [];
        return ok(true);
      case 'getWebhookInfo':
        return ok({ url: s.webhookUrl, has_custom_certificate: false, pending_update_count: s.queue.length });
      case 'sendMessage': {
        if (p.chat_id === undefined) return fail(400, 'Bad Request: chat_id is empty');
        if (!p.text) return fail(400, 'Bad Request: message text is empty');
        if (String(p.text).length > 4096) return fail(400, 'Bad Request: message is too long');
        const limited = account(String(p.chat_id), method);
        if (limited) return limited;
        delivered.push(p);
        return ok(newMessage(token, p, { text: p.text }));
      }
      case 'sendPhoto':
      case 'sendDocument': {
        const limited = account(String(p.chat_id), method);
        if (limited) return limited;
        const field = (method === 'sendPhoto' ? p.photo : p.document) as { filename?: string; size?: number } | string | undefined;
        if (typeof field === 'object' && field) uploads.push({ chatId: String(p.chat_id), method, filename: field.filename ?? '', size: field.size ?? 0 });
        return method === 'sendPhoto'
          ? ok(newMessage(token, p, { photo: [{ file_id: `photo-${calls.length}`, file_unique_id: `u${calls.length}`, width: 800, height: 600 }], caption: p.caption }))
          : ok(newMessage(token, p, { document: { file_id: `doc-${calls.length}`, file_unique_id: `d${calls.length}` }, caption: p.caption }));
      }
      case 'editMessageText': {
        if (p.inline_message_id) return ok(true);
        const limited = account(String(p.chat_id), method);
        return limited ?? edit(p);
      }
      case 'editMessageReplyMarkup':
        if (p.inline_message_id) return ok(true);
        return ok({ message_id: Number(p.message_id), from: botUser(token), chat: chatOf(p.chat_id), date: 0, edit_date: 0, text: p.text, reply_markup: p.reply_markup });
      case 'getFile': {
        if (!files.has(String(p.file_id))) return fail(400, 'Bad Request: invalid file_id');
        return ok({ file_id: p.file_id, file_unique_id: `u-${String(p.file_id)}`, file_size: files.get(String(p.file_id))!.length, file_path: `photos/${String(p.file_id)}.jpg` });
      }
      case 'answerCallbackQuery':
        callbackAnswers.push(p);
        return ok(true);
      case 'deleteMessage':
      case 'sendChatAction':
      case 'setMyCommands':
        return ok(true);
      case 'getChat':
        return ok(chatOf(p.chat_id));
      case 'getChatMember':
        return ok({ status: 'administrator', user: { id: Number(p.user_id), is_bot: false, first_name: 'User' } });
      default:
        return fail(404, 'Not Found');
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const file = /^\/file\/bot[^/]+\/photos\/(.+)\.jpg$/.exec(url.pathname);
    if (file) {
      const data = files.get(decodeURIComponent(file[1]!));
      res.writeHead(data ? 200 : 404, { 'content-type': 'image/jpeg' }).end(data ?? '');
      return;
    }
    const m = /^\/bot([^/]+)\/(?:test\/)?([A-Za-z]+)$/.exec(url.pathname);
    const payload = { ...Object.fromEntries(url.searchParams), ...(await readPayload(req)) };
    if (!m) return send(res, fail(404, 'Not Found'));
    const [, token = '', method = ''] = m;
    calls.push({ token, method, payload });
    const i = failures.findIndex((f) => f.method === method || (f.method === '*' && method !== 'getUpdates'));
    const failure = i >= 0 ? failures.splice(i, 1)[0]!.failure : undefined;
    if (failure && 'http' in failure) {
      res.writeHead(failure.http, { 'content-type': 'text/plain' }).end('Bad Gateway');
      return;
    }
    if (failure && 'body' in failure) return void res.writeHead(200, { 'content-type': 'application/json' }).end(failure.body);
    if (failure && 'code' in failure) {
      const params = failure.code === 429 ? { retry_after: failure.retryAfter } : undefined;
      const description = failure.description ?? (failure.code === 429 ? `Too Many Requests: retry after ${failure.retryAfter}` : undefined);
      return send(res, fail(failure.code, description, params));
    }
    const held = () => new Promise<void>((resolve) => (res.destroyed ? resolve() : res.once('close', () => resolve())));
    if (failure && 'hold' in failure && failure.hold === 'before') return held();
    if (failure && 'drop' in failure && failure.drop === 'before') return void res.socket?.destroy();
    const answer = await dispatch(token, method, payload, res);
    if (failure && 'hold' in failure) return held();
    if (failure && 'drop' in failure) return void res.socket?.destroy();
    if (failure && 'delayMs' in failure) await new Promise((r) => setTimeout(r, failure.delayMs));
    send(res, answer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, fail(400, `Bad Request: ${String(err)}`)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    messages: (chatId) => store.get(String(chatId)) ?? [],
    deliveries,
    limitViolations: () => violations,
    callbackAnswers,
    putFile: (fileId, data) => void files.set(fileId, data),
    uploads,
    pushUpdate(token, update) {
      const s = bot(token);
      const id = typeof update.update_id === 'number' ? update.update_id : s.nextUpdateId;
      s.nextUpdateId = Math.max(s.nextUpdateId, id + 1);
      s.queue.push({ ...update, update_id: id });
      s.waiter?.wake(ok([]));
      return id;
    },
    sent: (chatId) => (chatId === undefined ? delivered : delivered.filter((p) => String(p.chat_id) === String(chatId))),
    failNext(method, failure, times = 1) {
      for (let i = 0; i < times; i++) failures.push({ method, failure });
    },
    pending: (token) => bot(token).queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of bots.values()) s.waiter?.wake(ok([]));
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, answer: Answer): void {
  if (res.writableEnded || res.destroyed) return;
  const status = answer.ok ? 200 : answer.error_code;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
}

function botUser(token: string): Payload {
  const id = Number(token.split(':')[0]) || 1;
  return { id, is_bot: true, first_name: 'Fake bot', username: `fake${id}_bot` };
}

function chatOf(chatId: unknown): Payload {
  const s = String(chatId);
  if (s.startsWith('@')) return { id: -1000000000000 - s.length, type: 'channel', title: s.slice(1), username: s.slice(1) };
  const id = Number(s);
  if (id > 0) return { id, type: 'private', first_name: 'User' };
  return { id, type: s.startsWith('-100') ? 'supergroup' : 'group', title: `Chat ${id}` };
}

async function readPayload(req: IncomingMessage): Promise<Payload> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks);
  if (!body.length) return {};
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return JSON.parse(body.toString('utf8')) as Payload;
  if (type.includes('multipart/form-data')) return parseMultipart(body, /boundary=("?)([^";]+)\1/.exec(type)?.[2] ?? '');
  return decodeFields(Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
}

/** Enough multipart for telegraf's uploads: text fields, and files reduced to name and size. */
function parseMultipart(body: Buffer, boundary: string): Payload {
  const fields: Record<string, unknown> = {};
  for (const part of body.toString('latin1').split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    const value = part.slice(split + 4).replace(/\r\n$/, '');
    const name = /name="([^"]+)"/.exec(head)?.[1];
    if (!name) continue;
    const filename = /filename="([^"]*)"/.exec(head)?.[1];
    fields[name] = filename !== undefined ? { filename, size: value.length } : Buffer.from(value, 'latin1').toString('utf8');
  }
  return decodeFields(fields);
}

/** Form values arrive as strings; the Bot API reads JSON-serialized objects (reply_markup) from them. */
function decodeFields(fields: Record<string, unknown>): Payload {
  const out: Payload = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = typeof v === 'string' && /^[[{]/.test(v) ? safeJson(v) : v;
  }
  return out;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
