import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupVk, source } from './vk-helpers.js';

let env: Awaited<ReturnType<typeof setupVk>>;
beforeAll(async () => {
  // A short timeout so the delayed-reply tests stay fast; the fake delays beyond it.
  env = await setupVk({ timeoutMs: 1000 });
  env.fake.addCommunity({ id: 4001 });
  env.fake.addPost(4001, { text: 'Когда уберут снег во дворе?' });
});
afterAll(() => env.fake.close());

const wall = () => source('wall', '4001');

describe('VK error codes through the real client', () => {
  it('6 on a plain call: vk-io waits and retries', async () => {
    env.fake.failNext('wall.get', { error_code: 6 });
    const before = env.fake.requests.length;
    const res = await env.adapter.poll(wall(), null);
    expect(res.posts).toHaveLength(1);
    expect(env.fake.requests.length - before).toBe(2);
  });

  it.each([
    [9, 'backoff', 600_000],
    [29, 'backoff', 3_600_000],
    [5, 'broken', undefined],
    [15, 'broken', undefined],
    [18, 'broken', undefined],
    [30, 'broken', undefined],
    [27, 'broken', undefined],
    [203, 'broken', undefined],
  ])('%i → %s', async (code, kind, retryAfterMs) => {
    env.fake.failNext('wall.get', { error_code: code });
    const err = await env.adapter.poll(wall(), null).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'SourceError', kind, details: { code } });
    expect((err as { details: { retryAfterMs?: number } }).details.retryAfterMs).toBe(retryAfterMs);
  });

  it('212 on the comments of every post → broken comments source', async () => {
    env.fake.addComment(4001, 1, { text: 'Тоже интересует' });
    env.fake.failNext('wall.getComments', { error_code: 212 });
    await expect(env.adapter.poll(source('comments', '4001'), null)).rejects.toMatchObject({ kind: 'broken', details: { code: 212 } });
  });

  it.each([
    ['VK 10', { error_code: 10 }],
    ['HTTP 500', { http: 500 }],
    ['HTTP 502', { http: 502 }],
    ['a timeout', { delayMs: 3000 }],
  ])('%s once: retried inside the adapter', async (_name, failure) => {
    env.fake.failNext('wall.get', failure);
    const before = env.fake.requests.length;
    const res = await env.adapter.poll(wall(), null);
    expect(res.posts).toHaveLength(1);
    expect(env.fake.requests.length - before).toBe(2);
  });

  it('10 on every attempt: SourceError retry after 3 attempts', async () => {
    env.fake.failNext('wall.get', { error_code: 10 }, 3);
    const before = env.fake.requests.length;
    await expect(env.adapter.poll(wall(), null)).rejects.toMatchObject({ kind: 'retry', details: { code: 10 } });
    expect(env.fake.requests.length - before).toBe(3);
  });

  it('HTTP 500 on the execute itself is retried for the whole batch', async () => {
    env.fake.failNext('execute', { http: 500 });
    const out = await env.adapter.pollBatch!([{ source: wall(), cursor: null }]);
    expect(out[0]).toMatchObject({ ok: true });
  });

  it('10 inside an execute is retried for that call only', async () => {
    env.fake.failNext('wall.get', { error_code: 10 });
    const out = await env.adapter.pollBatch!([{ source: wall(), cursor: null }]);
    expect(out[0]).toMatchObject({ ok: true });
  });
});

describe('VK replies arrive exactly once', () => {
  it('wall.createComment: first attempt times out, the retry reuses guid', async () => {
    const { fake, adapter } = env;
    fake.failNext('wall.createComment', { delayMs: 3000 });
    const res = await adapter.reply!({ type: 'wall', owner_id: -4001, post_id: 1, reply_to_comment: 1 }, 'Здравствуйте! Заявка передана в управу.', 'incident-7/reply-1');
    const attempts = fake.calls.filter((c) => c.method === 'wall.createComment');
    expect(attempts).toHaveLength(2);
    expect(new Set(attempts.map((a) => a.params.guid))).toEqual(new Set(['incident-7/reply-1']));
    expect(fake.state.created.filter((c) => c.text.startsWith('Здравствуйте! Заявка'))).toHaveLength(1);
    const created = fake.state.created.at(-1)!;
    expect(created).toMatchObject({ from_id: -99, reply_to_comment: 1 });
    expect(res).toEqual({ externalId: `-4001_1_c${created.id}`, url: `https://vk.com/wall-4001_1?reply=${created.id}` });
    expect(attempts[0]!.params.access_token).toBe('group-token');
  });

  it('messages.send: first attempt times out, the retry reuses random_id', async () => {
    const { fake, adapter } = env;
    fake.failNext('messages.send', { delayMs: 3000 });
    const res = await adapter.reply!({ type: 'message', peer_id: 777 }, 'Ваше обращение принято.', 'incident-8/reply-1');
    const attempts = fake.calls.filter((c) => c.method === 'messages.send');
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.params.random_id).toBe(attempts[1]!.params.random_id);
    expect(fake.state.sent.filter((m) => m.peer_id === 777)).toHaveLength(1);
    expect(res.externalId).toBe(`m99_777_${fake.state.sent.at(-1)!.id}`);
  });
});
