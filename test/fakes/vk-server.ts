/**
 * A local VK API server speaking the real wire format, for the real vk-io
 * client: POST form-urlencoded `/method/<name>`, `{"response":…}` or
 * `{"error":{error_code,error_msg,request_params}}`, `execute` with `false`
 * entries plus `execute_errors`. Failures can be injected per method, also
 * for calls inside execute.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVkState, FakeVkError, type VkState } from './vk-state.js';

/** `body`: HTTP 200 with this raw text instead of the answer (malformed JSON, a wrong shape). */
/** `hold`: the request is held until the client goes away; `before` = never carried out, `after` = carried out, the answer never sent. */
export type VkFailure = { error_code: number; error_msg?: string } | { http: number } | { delayMs: number } | { body: string } | { hold: 'before' | 'after' };

export interface VkFakeOptions {
  /** Unix seconds "now" for new items and search windows. */
  now?: () => number;
  /** Tokens that are accepted (any non-empty one when unset). */
  tokens?: string[];
  /** Community tokens → their community id (messages.* use it when group_id is absent). */
  groupTokens?: Record<string, number>;
  /** Largest `execute` response VK sends, in bytes; larger ones are error 13 (default 5 MB, as documented). */
  executeLimitBytes?: number;
}

/** dev.vk.com/ru/method/execute: "the response size must not exceed 5 MB". */
export const EXECUTE_RESPONSE_LIMIT = 5 * 1024 * 1024;

export interface VkFake {
  apiBaseUrl: string;
  state: VkState;
  addCommunity: VkState['addCommunity'];
  addPost: VkState['addPost'];
  addComment: VkState['addComment'];
  addMessage: VkState['addMessage'];
  failNext(method: string, failure: VkFailure, times?: number): void;
  /** Photos uploaded to the wall upload server (file name and size), in order. */
  uploads: Array<{ filename: string; size: number }>;
  /** `attachments` of each wall.createComment that had some, by comment id. */
  commentAttachments: Map<number, string>;
  /** One entry per HTTP request (an execute is one). */
  requests: Array<{ method: string; params: Record<string, string> }>;
  /** Every API call, including those inside execute. */
  calls: Array<{ method: string; params: Record<string, string>; inExecute: boolean }>;
  close(): Promise<void>;
}

type Params = Record<string, string>;
interface Call { method: string; params: Params }

/** Parses exactly `return [API.a.b({...}),API.c.d({...})];`, the form vk-io and the adapter generate. */
export function parseExecuteCode(code: string): Call[] | null {
  const body = /^\s*return\s*\[([\s\S]*)\]\s*;?\s*$/.exec(code)?.[1];
  if (body === undefined) return null;
  const calls: Call[] = [];
  const head = /\s*,?\s*API\.([A-Za-z]+\.[A-Za-z]+)\(/y;
  let i = 0;
  while (i < body.length && body.slice(i).trim()) {
    head.lastIndex = i;
    const m = head.exec(body);
    if (!m) return null;
    let j = head.lastIndex, depth = 0, inStr = false;
    for (; j < body.length; j++) {
      const ch = body[j];
      if (inStr) { if (ch === '\\') j++; else if (ch === '"') inStr = false; continue; }
      if (ch === '"') inStr = true;
      else if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) break;
    }
    const json = body.slice(head.lastIndex, j + 1);
    if (body[j + 1] !== ')') return null;
    const raw = JSON.parse(json === '' ? '{}' : json) as Record<string, unknown>;
    calls.push({ method: m[1]!, params: Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)])) });
    i = j + 2;
  }
  return calls;
}

export async function startVkFake(opts: VkFakeOptions = {}): Promise<VkFake> {
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  const state = createVkState(now);
  state.setTokenGroup((p) => opts.groupTokens?.[p.access_token ?? '']);
  const failures = new Map<string, VkFailure[]>();
  const requests: VkFake['requests'] = [];
  const calls: VkFake['calls'] = [];
  const timers = new Set<NodeJS.Timeout>();
  const uploads: VkFake['uploads'] = [];
  const uploaded = new Map<string, { filename: string; size: number }>();
  const commentAttachments = new Map<number, string>();
  let origin = '';
  state.handlers['photos.getWallUploadServer'] = (p) => ({ upload_url: `${origin}/upload/wall?group_id=${p.group_id ?? ''}`, album_id: -14, user_id: 1 });
  state.handlers['photos.saveWallPhoto'] = (p) => {
    const file = uploaded.get(p.hash ?? '');
    if (!file || !p.photo?.includes(p.hash ?? '-')) throw new FakeVkError(100, 'One of the parameters specified was missing or invalid: photo is undefined');
    const id = 456_000 + uploads.indexOf(file);
    return [{ id, album_id: -14, owner_id: p.group_id ? -Number(p.group_id) : 1, date: now(), text: '', sizes: [{ type: 'x', url: `${origin}/photo/${id}.jpg`, width: 800, height: 600 }] }];
  };
  const createComment = state.handlers['wall.createComment']!;
  state.handlers['wall.createComment'] = (p) => {
    const r = createComment(p) as { comment_id: number };
    if (p.attachments) commentAttachments.set(r.comment_id, p.attachments);
    return r;
  };

  /** The upload server's answer, as VK's: `{server, photo, hash}` with `photo` a JSON string. */
  function upload(body: Buffer, type: string): unknown {
    const boundary = /boundary=("?)([^";]+)\1/.exec(type)?.[2] ?? '';
    const part = body.toString('latin1').split(`--${boundary}`).find((x) => /name="photo"/.test(x));
    if (!part) return { server: 1, photo: '[]', hash: '' };
    const filename = /filename="([^"]*)"/.exec(part)?.[1] ?? 'photo.jpg';
    const size = part.slice(part.indexOf('\r\n\r\n') + 4).replace(/\r\n$/, '').length;
    const file = { filename, size };
    uploads.push(file);
    const hash = `h${uploads.length}x${size}`;
    uploaded.set(hash, file);
    return { server: 901, photo: JSON.stringify([{ photo: hash, sizes: [] }]), hash };
  }

  const takeFailure = (method: string) => {
    const q = failures.get(method);
    return q?.length ? q.shift() : undefined;
  };
  const errorBody = (code: number, msg: string, method: string, params: Params) => ({
    error: {
      error_code: code,
      error_msg: msg,
      request_params: [{ key: 'oauth', value: '1' }, { key: 'method', value: method }, ...Object.entries(params).filter(([k]) => k !== 'access_token' && k !== 'code').map(([key, value]) => ({ key, value }))],
    },
  });

  function runOne(method: string, params: Params): unknown {
    const h = state.handlers[method];
    if (!h) throw new FakeVkError(3, 'Unknown method passed');
    return h(params);
  }

  /** Runs an execute's calls; returns the body plus any HTTP-level failure an inner call asked for. */
  function runExecute(params: Params): { body: unknown; http?: number; delayMs?: number } {
    const parsed = parseExecuteCode(params.code ?? '');
    if (!parsed) return { body: errorBody(12, 'Unable to compile code', 'execute', params) };
    if (parsed.length > 25) return { body: errorBody(13, 'Runtime error occurred during code invocation: Too many API calls', 'execute', params) };
    const response: unknown[] = [];
    const execute_errors: Array<{ method: string; error_code: number; error_msg: string }> = [];
    let httpStatus: number | undefined, delayMs = 0;
    for (const c of parsed) {
      calls.push({ ...c, inExecute: true });
      const f = takeFailure(c.method);
      if (f && 'http' in f) httpStatus = f.http;
      if (f && 'delayMs' in f) delayMs = Math.max(delayMs, f.delayMs);
      try {
        if (f && 'error_code' in f) throw new FakeVkError(f.error_code, f.error_msg ?? `Injected error ${f.error_code}`);
        response.push(runOne(c.method, { ...c.params, access_token: params.access_token ?? '' }));
      } catch (err) {
        if (!(err instanceof FakeVkError)) throw err;
        response.push(false);
        execute_errors.push({ method: c.method, error_code: err.code, error_msg: err.message });
      }
    }
    const body = execute_errors.length ? { response, execute_errors } : { response };
    if (Buffer.byteLength(JSON.stringify(body)) > (opts.executeLimitBytes ?? EXECUTE_RESPONSE_LIMIT)) {
      return { body: errorBody(13, 'Runtime error occurred during code invocation: response size is too big', 'execute', params), http: httpStatus, delayMs };
    }
    return { body, http: httpStatus, delayMs };
  }

  function handle(method: string, params: Params): { body: unknown; http?: number; delayMs?: number; rawBody?: string; hold?: boolean } {
    requests.push({ method, params });
    const f = takeFailure(method);
    if (f && 'hold' in f) {
      if (f.hold === 'before') return { body: null, hold: true };
      return { ...handleUnfailed(method, params, 0), hold: true };
    }
    if (f && 'http' in f) return { body: null, http: f.http };
    if (f && 'body' in f) return { body: null, rawBody: f.body };
    if (f && 'error_code' in f) return { body: errorBody(f.error_code, f.error_msg ?? `Injected error ${f.error_code}`, method, params) };
    return handleUnfailed(method, params, f && 'delayMs' in f ? f.delayMs : 0);
  }

  function handleUnfailed(method: string, params: Params, delayMs: number): { body: unknown; http?: number; delayMs?: number; rawBody?: string } {
    if (!params.access_token) return { body: errorBody(5, 'User authorization failed: no access_token passed.', method, params) };
    if (opts.tokens && !opts.tokens.includes(params.access_token)) return { body: errorBody(5, 'User authorization failed: invalid access_token (4).', method, params) };
    if (!params.v) return { body: errorBody(8, 'Invalid request: v is required', method, params) };
    if (method === 'execute') {
      const r = runExecute(params);
      return { ...r, delayMs: Math.max(delayMs, r.delayMs ?? 0) };
    }
    calls.push({ method, params, inExecute: false });
    try {
      return { body: { response: runOne(method, params) }, delayMs };
    } catch (err) {
      if (err instanceof FakeVkError) return { body: errorBody(err.code, err.message, method, params), delayMs };
      throw err;
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (url.pathname === '/upload/wall') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(upload(Buffer.concat(chunks), req.headers['content-type'] ?? '')));
      const method = /^\/method\/([\w.]+)$/.exec(url.pathname)?.[1];
      if (!method) return void res.writeHead(404).end('not found');
      const params: Params = Object.fromEntries(url.searchParams);
      for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) params[k] = v;
      const out = handle(method, params);
      if (out.hold) return; // answered never: the client's socket closes when it dies
      const send = () => {
        if (res.destroyed) return;
        // A 5xx comes from the front proxy as an HTML page, as with the real API.
        if (out.http) return void res.writeHead(out.http, { 'content-type': 'text/html' }).end(`<html><body>${out.http} Error</body></html>`);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(out.rawBody ?? JSON.stringify(out.body));
      };
      if (!out.delayMs) return send();
      const t = setTimeout(() => (timers.delete(t), send()), out.delayMs);
      timers.add(t);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    apiBaseUrl: `http://127.0.0.1:${port}/method`,
    state,
    addCommunity: state.addCommunity,
    addPost: state.addPost,
    addComment: state.addComment,
    addMessage: state.addMessage,
    failNext(method, failure, times = 1) {
      const q = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) q.push(failure);
      failures.set(method, q);
    },
    requests,
    calls,
    uploads,
    commentAttachments,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
