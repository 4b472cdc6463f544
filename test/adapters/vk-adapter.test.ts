import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/domain/source.js';
import { createVkAdapter } from '../../adapters/vk/index.js';
import { setupVk, source } from './vk-helpers.js';

let env: Awaited<ReturnType<typeof setupVk>>;
beforeAll(async () => {
  env = await setupVk();
});
afterAll(() => env.fake.close());

describe('VK wall source', () => {
  it('reads new posts, then only posts beyond the cursor and inside the overlap', async () => {
    const { fake, adapter, clock } = env;
    fake.addCommunity({ id: 1001, screen_name: 'dvor_kursk' });
    fake.addPost(1001, { text: 'Старое закреплённое объявление', date: Math.floor(clock.now().getTime() / 1000) - 30 * 86400, pinned: true });
    const now = Math.floor(clock.now().getTime() / 1000);
    for (let i = 0; i < 5; i++) fake.addPost(1001, { text: `Пост номер ${i}`, date: now - (5 - i) * 1000 });
    const src = source('wall', 'dvor_kursk');
    const first = await adapter.poll(src, null);
    expect(first.posts.map((p) => p.externalId)).toEqual(['-1001_1', '-1001_6', '-1001_5', '-1001_4', '-1001_3', '-1001_2']);

    // Later: posts older than the cursor minus the 10-minute overlap are not returned again;
    // the newest one (at the cursor) is, and the db's unique key absorbs it. The old pinned post stays out.
    clock.advance(3600_000);
    fake.addPost(1001, { text: 'Новый пост про яму' });
    const second = await adapter.poll(src, first.cursor);
    expect(second.posts.map((p) => p.externalId)).toEqual(['-1001_7', '-1001_6']);
    expect(second.posts[0]).toMatchObject({ kind: 'post', url: 'https://vk.com/wall-1001_7', replyTarget: { type: 'wall', owner_id: -1001, post_id: 7 } });

    clock.advance(60_000);
    const third = await adapter.poll(src, second.cursor);
    expect(third.posts.map((p) => p.externalId)).toEqual(['-1001_7']);
  });

  it('pages back when a whole page is new', async () => {
    const { fake, adapter, clock } = env;
    fake.addCommunity({ id: 1002 });
    fake.addPost(1002, { text: 'первый', date: Math.floor(clock.now().getTime() / 1000) - 7200 });
    const src = source('wall', '-1002', { count: 10 });
    const first = await adapter.poll(src, null);
    clock.advance(3600_000);
    for (let i = 0; i < 25; i++) fake.addPost(1002, { text: `пачка ${i}` });
    const second = await adapter.poll(src, first.cursor);
    // 25 new posts over three pages of 10, plus the post at the cursor (overlap re-read).
    expect(second.posts).toHaveLength(26);
    expect(fake.requests.slice(-3).map((r) => r.params.offset)).toEqual(['0', '10', '20']);
  });
});

describe('VK comments source', () => {
  it('reads comments and thread items, skips unchanged threads on the next cycle', async () => {
    const { fake, adapter } = env;
    fake.addCommunity({ id: 2001 });
    const p1 = fake.addPost(2001, { text: 'Администрация: график вывоза мусора' });
    const p2 = fake.addPost(2001, { text: 'Администрация: ремонт дорог' });
    const c1 = fake.addComment(2001, p1.id, { text: 'У нас мусор не вывозят неделю', from_id: 11 });
    fake.addComment(2001, p1.id, { text: 'Подтверждаю', from_id: 12, reply_to_comment: c1.id });
    fake.addComment(2001, p2.id, { text: 'Яма на перекрёстке', from_id: 13 });
    const src = source('comments', '2001');
    const first = await adapter.poll(src, null);
    expect(first.posts.map((p) => p.externalId).sort()).toEqual(['-2001_1_c1', '-2001_1_c2', '-2001_2_c3']);
    expect(first.posts.find((p) => p.externalId === '-2001_1_c2')).toMatchObject({ parentExternalId: '-2001_1', replyTarget: { reply_to_comment: 2 } });

    const before = fake.calls.length;
    const quiet = await adapter.poll(src, first.cursor);
    expect(quiet.posts).toEqual([]);
    expect(fake.calls.slice(before).map((c) => c.method)).toEqual(['wall.get']);

    fake.addComment(2001, p2.id, { text: 'И ещё одна яма рядом', from_id: 14 });
    const third = await adapter.poll(src, quiet.cursor);
    expect(third.posts.map((p) => p.externalId)).toEqual(['-2001_2_c4']);
  });
});

describe('VK search, suggests and messages', () => {
  it('search: window from the cursor, stop words, excluded owners, next_from paging', async () => {
    const { fake, adapter, clock } = env;
    fake.addCommunity({ id: 3001 });
    fake.addCommunity({ id: 3002 });
    const now = Math.floor(clock.now().getTime() / 1000);
    fake.addPost(3001, { text: 'Курск: продам трубу б/у', date: now - 9000 });
    fake.addPost(3002, { text: 'Курск: трубу прорвало, новости', date: now - 9000 });
    for (let i = 0; i < 5; i++) fake.addPost(3001, { text: `Курск: прорвало трубу, дом ${i}`, date: now - (5 - i) * 1000 });
    const src = source('search', 'трубу', { stop_words: ['продам'], exclude_owners: [3002], count: 2 });
    const first = await adapter.poll(src, null);
    expect(first.posts).toHaveLength(5);
    expect(fake.requests.filter((r) => r.method === 'newsfeed.search').length).toBeGreaterThanOrEqual(3);
    clock.advance(3600_000);
    fake.addPost(3001, { text: 'Опять прорвало трубу' });
    const second = await adapter.poll(src, first.cursor);
    // Hits older than the cursor minus the overlap are not asked for again.
    expect(second.posts.map((p) => p.text)).toEqual(['Опять прорвало трубу', 'Курск: прорвало трубу, дом 4']);
  });

  it('suggests: posts suggested to the administration community, group token', async () => {
    const { fake, adapter } = env;
    fake.addPost(99, { text: 'Предлагаю починить лавочки', suggested: true, from_id: 501 });
    const res = await adapter.poll(source('suggests', ''), null);
    expect(res.posts).toHaveLength(1);
    expect(res.posts[0]).toMatchObject({ kind: 'suggested', authorId: '501', replyTarget: { type: 'message', peer_id: 501 } });
    expect(fake.requests.at(-1)?.params.access_token).toBe('group-token');
  });

  it('messages: incoming messages of conversations with news only', async () => {
    const { fake, adapter, clock } = env;
    fake.addMessage(99, { peer_id: 601, text: 'Здравствуйте, не работает светофор' });
    fake.addMessage(99, { peer_id: 601, text: 'Спасибо, передали', out: 1 });
    fake.addMessage(99, { peer_id: 602, text: 'Когда дадут отопление?' });
    const src = source('messages', '99');
    const first = await adapter.poll(src, null);
    expect(first.posts.map((p) => p.externalId).sort()).toEqual(['m99_601_1', 'm99_602_3']);
    clock.advance(60_000);
    fake.addMessage(99, { peer_id: 602, text: 'Прошу ответить' });
    const before = fake.requests.length;
    const second = await adapter.poll(src, first.cursor);
    expect(second.posts.map((p) => p.externalId)).toEqual(['m99_602_4']);
    expect(fake.requests.slice(before).map((r) => r.method)).toEqual(['messages.getConversations', 'messages.getHistory']);
  });

  it('a missing token is a broken source naming the env var', async () => {
    const bare = createVkAdapter({ apiBaseUrl: env.fake.apiBaseUrl });
    await expect(bare.poll(source('wall', '1'), null)).rejects.toMatchObject({ kind: 'broken', message: expect.stringContaining('VK_TOKEN') });
    await expect(bare.poll(source('messages', '99'), null)).rejects.toMatchObject({ kind: 'broken', message: expect.stringContaining('VK_GROUP_TOKEN') });
    await expect(bare.poll(source('wall', '1'), null)).rejects.toBeInstanceOf(SourceError);
  });
});

describe('VK fake wire details', () => {
  it('answers without access_token with error 5 and groups.getById in the 5.199 shape', async () => {
    const res = await fetch(`${env.fake.apiBaseUrl}/wall.get`, { method: 'POST', body: new URLSearchParams({ v: '5.199', owner_id: '-99' }) });
    expect(await res.json()).toMatchObject({ error: { error_code: 5, request_params: expect.arrayContaining([{ key: 'method', value: 'wall.get' }]) } });
    const own = await fetch(`${env.fake.apiBaseUrl}/groups.getById`, { method: 'POST', body: new URLSearchParams({ v: '5.199', access_token: 'group-token' }) });
    expect(await own.json()).toMatchObject({ response: { groups: [{ id: 99 }], profiles: [] } });
  });

  it('an unknown source kind is broken', async () => {
    await expect(env.adapter.poll(source('stories', '1'), null)).rejects.toMatchObject({ kind: 'broken' });
  });
});
