import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One chat completion request as the fake saw it. */
export interface SeenRequest {
  model: string;
  system: string;
  user: string;
  body: Record<string, unknown>;
}

/** What the fake answers: `content` becomes the assistant message; `status` ≠ 200 sends an error. */
export interface FakeReply {
  status?: number;
  content?: string;
  /** Wait before answering (the client's timeout should fire first). */
  delayMs?: number;
  headers?: Record<string, string>;
}

export type FakeHandler = (req: SeenRequest) => FakeReply;

export interface FakeOpenAI {
  /** Base URL to pass as OPENAI_BASE_URL (ends in /v1). */
  url: string;
  requests: SeenRequest[];
  handle(fn: FakeHandler): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
}

function completion(model: string, content: string) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

/** A local OpenAI-compatible `/v1/chat/completions` server on 127.0.0.1 with an ephemeral port. */
export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: SeenRequest[] = [];
  let handler: FakeHandler = () => ({ content: '{"kind":"noise","topic":null,"department":null,"confidence":0.1,"reason":"по умолчанию"}' });
  const timers = new Set<NodeJS.Timeout>();

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url?.endsWith('/models')) {
      // `otklik init` lists the models to check the key and OPENAI_MODEL.
      const data = ['gpt-4o-mini', 'local-model'].map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'fake' }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data }));
      return;
    }
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    const body = await readBody(req);
    const messages = (body.messages ?? []) as { role: string; content: string }[];
    const seen: SeenRequest = {
      model: String(body.model),
      system: messages.find((m) => m.role === 'system')?.content ?? '',
      user: messages.find((m) => m.role === 'user')?.content ?? '',
      body,
    };
    requests.push(seen);
    const reply = handler(seen);
    const send = () => {
      if (res.destroyed) return;
      const status = reply.status ?? 200;
      const payload = status === 200 ? completion(seen.model, reply.content ?? '') : { error: { message: `fake error ${status}`, type: 'fake', code: null } };
      res.writeHead(status, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(payload));
    };
    if (reply.delayMs) {
      const t = setTimeout(() => (timers.delete(t), send()), reply.delayMs);
      timers.add(t);
    } else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    handle: (fn) => void (handler = fn),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
