import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceRef } from '../../src/domain/source.js';
import { setupVk, source } from './vk-helpers.js';

let env: Awaited<ReturnType<typeof setupVk>>;
beforeAll(async () => {
  env = await setupVk();
});
afterAll(() => env.fake.close());

describe('VK pollBatch through execute (acceptance numbers)', () => {
  it('1,000 walls × 20 new posts: ≤ 45 requests, 20,000 distinct posts', async () => {
    const { fake, adapter } = env;
    const sources: SourceRef[] = [];
    for (let g = 1; g <= 1000; g++) {
      fake.addCommunity({ id: 10_000 + g });
      for (let i = 0; i < 20; i++) fake.addPost(10_000 + g, { text: `Жалоба ${i} из сообщества ${g}` });
      sources.push(source('wall', String(10_000 + g)));
    }
    const before = fake.requests.length;
    const out = await adapter.pollBatch!(sources.map((s) => ({ source: s, cursor: null })));
    const requests = fake.requests.length - before;
    expect(out.every((o) => o.ok)).toBe(true);
    const ids = new Set(out.flatMap((o) => (o.ok ? o.posts.map((p) => p.externalId) : [])));
    expect(ids.size).toBe(20_000);
    expect(requests).toBeLessThanOrEqual(45);
    expect(requests).toBe(40);
    expect(fake.requests.slice(before).every((r) => r.method === 'execute')).toBe(true);
  });

  it('comments under 10 posts of 100 communities: ≤ 45 requests, then unchanged threads are skipped', async () => {
    const { fake, adapter } = env;
    const sources: SourceRef[] = [];
    for (let g = 1; g <= 100; g++) {
      const gid = 20_000 + g;
      fake.addCommunity({ id: gid });
      for (let i = 0; i < 10; i++) {
        const post = fake.addPost(gid, { text: `Новость администрации ${i}` });
        fake.addComment(gid, post.id, { text: `Вопрос жителя к посту ${i}`, from_id: 700 + i });
      }
      sources.push(source('comments', String(gid)));
    }
    let before = fake.requests.length;
    const first = await adapter.pollBatch!(sources.map((s) => ({ source: s, cursor: null })));
    const firstRequests = fake.requests.length - before;
    expect(first.every((o) => o.ok)).toBe(true);
    expect(first.reduce((n, o) => n + (o.ok ? o.posts.length : 0), 0)).toBe(1000);
    expect(firstRequests).toBeLessThanOrEqual(45);
    expect(firstRequests).toBe(44); // 4 executes of wall.get + 40 of getComments

    // Next cycle: one new comment in one community; only that thread is read again.
    fake.addComment(20_001, 3, { text: 'Новый вопрос', from_id: 900 });
    before = fake.requests.length;
    const calls = fake.calls.length;
    const second = await adapter.pollBatch!(first.map((o, i) => ({ source: sources[i]!, cursor: o.ok ? o.cursor : null })));
    expect(second.flatMap((o) => (o.ok ? o.posts.map((p) => p.externalId) : []))).toEqual(['-20001_3_c11']);
    expect(fake.calls.slice(calls).filter((c) => c.method === 'wall.getComments')).toHaveLength(1);
    expect(fake.requests.length - before).toBeLessThanOrEqual(5);
  });

  it('one broken community and one flooded call do not stop the others; error 6 inside execute is retried', async () => {
    const { fake, adapter } = env;
    fake.addCommunity({ id: 30_001 });
    fake.addCommunity({ id: 30_002, errorCode: 15 });
    fake.addCommunity({ id: 30_003 });
    fake.addCommunity({ id: 30_004 });
    for (const g of [30_001, 30_003, 30_004]) fake.addPost(g, { text: 'Сломана лавочка' });
    const srcs = [30_001, 30_002, 30_003, 30_004].map((g) => source('wall', String(g)));
    // 30_001's wall.get inside the execute hits 6 and is retried; 30_002 is closed (15).
    fake.failNext('wall.get', { error_code: 6 });
    const out = await adapter.pollBatch!([...srcs, source('messages', '99')].map((s) => ({ source: s, cursor: null })));
    expect(out.map((o) => o.ok)).toEqual([true, false, true, true, true]);
    const failed = out[1]!;
    expect(!failed.ok && failed.error.kind).toBe('broken');
    expect(out[0]!.ok && out[0]!.posts).toHaveLength(1);

    fake.failNext('wall.get', { error_code: 29 });
    const again = await adapter.pollBatch!(srcs.map((s) => ({ source: s, cursor: null })));
    expect(again.map((o) => (o.ok ? 'ok' : o.error.kind))).toEqual(['backoff', 'broken', 'ok', 'ok']);
  });
});
