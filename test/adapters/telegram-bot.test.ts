import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramBotAdapter } from '../../adapters/telegram/bot/index.js';
import { createChatMatcher, createThreadMemory, mapBotUpdate } from '../../adapters/telegram/bot/map-bot-update.js';
import type { TgUpdate } from '../../adapters/telegram/bot/types.js';
import { SourceError, type SourceRef } from '../../src/domain/source.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-server.js';

const TOKEN = '111:staff-token';
const CHANNEL = { id: -1001000000001, type: 'channel', title: 'Город', username: 'citychan' } as const;
const GROUP = { id: -1001000000002, type: 'supergroup', title: 'Обсуждение', username: 'citychat' } as const;
const CITY_CHAT = { id: -1001000000003, type: 'supergroup', title: 'Соседи' } as const;
const STAFF_CHAT = { id: -1001000000009, type: 'supergroup', title: 'Модераторы' } as const;
const PERSON = { id: 501, is_bot: false, first_name: 'Мария', last_name: 'Ивановна' };
const DATE = 1_760_000_000;

const source: SourceRef = { id: 1, channel: 'telegram', kind: 'bot', reference: 'staff', options: { chats: ['@citychan', '@CityChat', String(CITY_CHAT.id)] } };

let nextId = 1;
const msg = (chat: object, extra: object = {}) => ({ message_id: nextId++, date: DATE, chat, ...extra });
const copyOf = (postId: number) =>
  msg(GROUP, {
    from: { id: 777000, is_bot: false, first_name: 'Telegram' },
    sender_chat: CHANNEL,
    is_automatic_forward: true,
    forward_origin: { type: 'channel', chat: CHANNEL, message_id: postId, date: DATE },
    text: 'Плановое отключение воды',
  });

describe('mapBotUpdate', () => {
  const ctx = { isMonitored: createChatMatcher(source.options.chats as unknown[]), threads: createThreadMemory() };
  const map = (u: object) => mapBotUpdate({ update_id: nextId++, ...u } as TgUpdate, ctx);

  it('maps a channel post with its public link', () => {
    const a = map({ channel_post: msg(CHANNEL, { message_id: 7, sender_chat: CHANNEL, text: 'Яма у школы №5' }) });
    expect(a.type === 'post' && a.post).toMatchObject({
      kind: 'post',
      externalId: `${CHANNEL.id}/7`,
      url: 'https://t.me/citychan/7',
      text: 'Яма у школы №5',
      authorName: 'Город',
      replyTarget: { type: 'chat', chat_id: CHANNEL.id, message_id: 7, bot: 'bot' },
      publishedAt: new Date(DATE * 1000),
    });
  });

  it('skips the discussion-group copy and makes replies to it comments of the channel post', () => {
    const copy = copyOf(7);
    expect(map({ message: copy })).toEqual({ type: 'skip', reason: 'channel post copy' });
    const comment = msg(GROUP, { from: PERSON, reply_to_message: copy, message_thread_id: copy.message_id, text: 'А когда включат?' });
    const a = map({ message: comment });
    expect(a.type === 'post' && a.post).toMatchObject({ kind: 'comment', parentExternalId: `${CHANNEL.id}/7`, authorName: 'Мария Ивановна' });
    // A reply to that comment, deeper in the same thread, still finds the channel post.
    const deeper = msg(GROUP, { from: PERSON, reply_to_message: comment, message_thread_id: copy.message_id, text: 'Тоже жду' });
    const b = map({ message: deeper });
    expect(b.type === 'post' && b.post).toMatchObject({ kind: 'comment', parentExternalId: `${CHANNEL.id}/7` });
  });

  it('uses the legacy forward_from_chat fields when forward_origin is absent', () => {
    const copy = { ...copyOf(9), forward_origin: undefined, forward_from_chat: CHANNEL, forward_from_message_id: 9 };
    const a = map({ message: msg(GROUP, { from: PERSON, reply_to_message: copy, text: 'Спасибо' }) });
    expect(a.type === 'post' && a.post.parentExternalId).toBe(`${CHANNEL.id}/9`);
  });

  it('maps a city chat message to a post with a t.me/c link', () => {
    const a = map({ message: msg(CITY_CHAT, { message_id: 40, from: PERSON, text: 'Во дворе не вывозят мусор' }) });
    expect(a.type === 'post' && a.post).toMatchObject({ kind: 'post', externalId: `${CITY_CHAT.id}/40`, url: 'https://t.me/c/1000000003/40', authorId: '501' });
  });

  it('keeps the caption of a photo and the location', () => {
    const photo = [
      { file_id: 'small', width: 90, height: 60 },
      { file_id: 'large', width: 1280, height: 853 },
    ];
    const a = map({ message: msg(CITY_CHAT, { from: PERSON, photo, caption: 'Упало дерево' }) });
    expect(a.type === 'post' && a.post.text).toBe('Упало дерево');
    const b = map({ message: msg(CITY_CHAT, { from: PERSON, location: { latitude: 51.73, longitude: 36.19 } }) });
    expect(b.type === 'post' && b.post.geo).toEqual({ lat: 51.73, lon: 36.19 });
  });

  it.each([
    ['a bot message', { message: msg(CITY_CHAT, { from: { id: 111, is_bot: true, first_name: 'otklik' }, text: 'Ответ' }) }, 'skip'],
    ['a service message', { message: msg(CITY_CHAT, { from: PERSON, new_chat_members: [PERSON] }) }, 'skip'],
    ['an edit of a monitored post', { edited_message: msg(CITY_CHAT, { from: PERSON, text: 'исправлено' }) }, 'skip'],
    ['a message in the staff chat', { message: msg(STAFF_CHAT, { from: PERSON, text: 'беру в работу' }) }, 'forward'],
    ['a private message to the staff bot', { message: msg({ id: 501, type: 'private' }, { from: PERSON, text: '/start' }) }, 'forward'],
    ['a callback_query', { callback_query: { id: 'cb1', from: PERSON, data: 'take:12', chat_instance: 'x' } }, 'forward'],
    ['a post of a channel not monitored', { channel_post: msg({ id: -1009, type: 'channel', title: 'Чужой' }, { text: 'x' }) }, 'forward'],
  ])('%s → %s', (_name, update, expected) => {
    expect(map(update).type).toBe(expected);
  });
});

describe('Telegram bot adapter against the fake Bot API', () => {
  let fake: TelegramFake;
  beforeAll(async () => {
    fake = await startTelegramFake();
  });
  afterAll(() => fake.close());

  const adapterWith = (forwarded: unknown[] = []) =>
    createTelegramBotAdapter({ token: TOKEN, apiRoot: fake.apiRoot, onUpdate: (u, which) => void forwarded.push([which, u]) });

  it('reads posts, hands other updates to onUpdate, and moves the offset cursor', async () => {
    const forwarded: unknown[] = [];
    const adapter = adapterWith(forwarded);
    fake.pushUpdate(TOKEN, { channel_post: msg(CHANNEL, { message_id: 70, sender_chat: CHANNEL, text: 'Ремонт моста' }) });
    fake.pushUpdate(TOKEN, { callback_query: { id: 'cb2', from: PERSON, data: 'take:1', chat_instance: 'x' } });
    const id = fake.pushUpdate(TOKEN, { message: msg(CITY_CHAT, { from: PERSON, text: 'Нет света на Садовой' }) });

    const first = await adapter.poll(source, null);
    expect(first.posts.map((p) => p.externalId)).toEqual([`${CHANNEL.id}/70`, expect.stringMatching(/^-1001000000003\//)]);
    expect(forwarded).toEqual([['bot', expect.objectContaining({ callback_query: expect.objectContaining({ data: 'take:1' }) })]]);
    expect(first.cursor).toBe(String(id + 1));

    fake.pushUpdate(TOKEN, { message: msg(CITY_CHAT, { from: PERSON, text: 'Опять нет света' }) });
    const second = await adapter.poll(source, first.cursor);
    expect(second.posts.map((p) => p.text)).toEqual(['Опять нет света']);
    expect(fake.pending(TOKEN)).toBe(1); // confirmed only by the next offset

    const empty = await adapter.poll(source, second.cursor);
    expect(empty).toEqual({ posts: [], cursor: second.cursor });
    expect(fake.pending(TOKEN)).toBe(0);
  });

  it('re-reads unconfirmed updates after a crash before the cursor was stored', async () => {
    const adapter = adapterWith();
    const start = await adapter.poll(source, null);
    fake.pushUpdate(TOKEN, { message: msg(CITY_CHAT, { from: PERSON, text: 'Прорыв трубы' }) });
    const lost = await adapter.poll(source, start.cursor);
    const again = await adapter.poll(source, start.cursor);
    expect(again.posts.map((p) => p.externalId)).toEqual(lost.posts.map((p) => p.externalId));
  });

  it.each([
    ['429', { code: 429 as const, retryAfter: 7 }, { kind: 'backoff', details: { retryAfterMs: 7000, code: 429 } }],
    ['401', { code: 401 as const }, { kind: 'broken', details: { code: 401 } }],
    ['409', { code: 409 as const }, { kind: 'broken', message: expect.stringMatching(/runs elsewhere in polling mode or has a webhook/) }],
    ['502', { http: 502 }, { kind: 'retry', details: { code: 502 } }],
  ])('getUpdates %s → SourceError', async (_code, failure, expected) => {
    fake.failNext('getUpdates', failure);
    const err = await adapterWith().poll(source, null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect(err).toMatchObject(expected);
  });

  it('a webhook left on the token is reported as broken with the fix', async () => {
    const hook = '222:hooked';
    await fetch(`${fake.apiRoot}/bot${hook}/setWebhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"url":"https://example.org/h"}' });
    const adapter = createTelegramBotAdapter({ token: hook, apiRoot: fake.apiRoot });
    await expect(adapter.poll(source, null)).rejects.toMatchObject({ kind: 'broken', message: expect.stringContaining('webhook') });
  });

  it('a network failure is retryable, a missing token is broken', async () => {
    const dead = createTelegramBotAdapter({ token: TOKEN, apiRoot: 'http://127.0.0.1:1' });
    await expect(dead.poll(source, null)).rejects.toMatchObject({ kind: 'retry' });
    const none = createTelegramBotAdapter({ apiRoot: fake.apiRoot });
    await expect(none.poll(source, null)).rejects.toMatchObject({ kind: 'broken', message: expect.stringContaining('TELEGRAM_BOT_TOKEN') });
  });
});
