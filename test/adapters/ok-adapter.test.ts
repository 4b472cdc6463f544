import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOkAdapter } from '../../adapters/ok/index.js';
import { ManualClock } from '../../src/clock.js';
import { SourceError, type SourceRef } from '../../src/domain/source.js';
import { startOkFake, type OkFake } from '../fakes/ok-server.js';

const keys = { applicationKey: 'CBAFAKEAPP', applicationSecretKey: 'FAKESECRET0123', accessToken: 'tkn.fake-access-token' };
const T0 = Date.parse('2026-03-01T09:00:00Z');
let fake: OkFake;
let t = T0;

beforeAll(async () => {
  fake = await startOkFake(keys, { now: () => t });
});
afterAll(() => fake.close());

const adapter = (over: Partial<Parameters<typeof createOkAdapter>[0]> = {}) =>
  createOkAdapter({ ...keys, baseUrl: fake.baseUrl, clock: new ManualClock(new Date(T0)), timeoutMs: 2000, ...over });
const source = (reference: string, options: Record<string, unknown> = {}): SourceRef => ({ id: 1, channel: 'ok', kind: 'group', reference, options });

describe('OK adapter: polling a group', () => {
  it('picks up new topics and comments across polls without repeats', async () => {
    fake.addGroup({ id: '810001', name: 'Наш город', shortname: 'nash_gorod' });
    const old = fake.addTopic('810001', { text: 'Когда починят свет на улице Садовой?', createdMs: T0 - 3600_000 });
    fake.addComment(old.id, { text: 'У нас тоже темно', atMs: T0 - 1800_000 });
    const ok = adapter();
    const first = await ok.poll(source('nash_gorod'), null);
    expect(first.posts.map((p) => p.kind)).toEqual(['post', 'comment']);
    const [topic, comment] = first.posts;
    expect(topic).toMatchObject({
      externalId: `topic:${old.id}`,
      url: `https://ok.ru/group/810001/topic/${old.id}`,
      text: 'Когда починят свет на улице Садовой?',
      publishedAt: new Date(T0 - 3600_000),
      replyTarget: { type: 'topic', topic_id: old.id, group_id: '810001' },
    });
    expect(comment).toMatchObject({
      parentExternalId: `topic:${old.id}`,
      authorName: 'Пользователь 5002',
      publishedAt: new Date(T0 - 1800_000),
      replyTarget: { reply_to_comment_id: fake.state.comments.at(-1)!.id },
    });
    expect(comment!.externalId).toMatch(new RegExp(`^topic:${old.id}:c`));

    t = T0 + 600_000;
    const fresh = fake.addTopic('810001', { text: 'Во дворе дома 5 не вывозят мусор' });
    fake.addComment(old.id, { text: 'Прошла неделя, всё так же' });
    fake.addComment(fresh.id, { text: 'Подтверждаю, контейнеры полные' });
    const second = await ok.poll(source('nash_gorod'), first.cursor);
    expect(second.posts.map((p) => p.text).sort()).toEqual(
      ['Во дворе дома 5 не вывозят мусор', 'Подтверждаю, контейнеры полные', 'Прошла неделя, всё так же'].sort(),
    );
    const third = await ok.poll(source('nash_gorod'), second.cursor);
    expect(third.posts).toEqual([]);
  });

  it('pages the feed back to the cursor and reads comments only of the recent topics', async () => {
    fake.addGroup({ id: '820002', name: 'Район' });
    fake.addTopic('820002', { text: 'Первая тема', createdMs: T0 });
    const ok = adapter();
    const first = await ok.poll(source('820002', { topics_depth: 3 }), null);
    expect(first.posts).toHaveLength(1);
    const many = Array.from({ length: 45 }, (_, i) => fake.addTopic('820002', { text: `Тема ${i}`, createdMs: T0 + (i + 1) * 60_000 }));
    for (const topic of many) fake.addComment(topic.id, { text: `Ответ под ${topic.text}` });
    const before = fake.requests.length;
    const second = await ok.poll(source('820002', { topics_depth: 3 }), first.cursor);
    const posts = second.posts.filter((p) => p.kind === 'post');
    expect(posts.map((p) => p.text)).toEqual(many.map((x) => x.text));
    expect(second.posts.filter((p) => p.kind === 'comment').map((p) => p.text)).toEqual(
      ['Ответ под Тема 44', 'Ответ под Тема 43', 'Ответ под Тема 42'],
    );
    // 3 feed pages of 20 + 3 comment reads; no url.getInfo for a numeric id.
    expect(fake.requests.slice(before).map((r) => r.method)).toEqual([
      ...Array(3).fill('mediatopic.getTopics'),
      ...Array(3).fill('discussions.getComments'),
    ]);
  });

  it('picks up a late-indexed topic inside the overlap window once', async () => {
    fake.addGroup({ id: '825002', name: 'Микрорайон' });
    fake.addTopic('825002', { text: 'Свежая тема', createdMs: T0 });
    const ok = adapter({ overlapMs: 30 * 60_000 });
    const first = await ok.poll(source('825002'), null);
    fake.addTopic('825002', { text: 'Поздно проиндексированная', createdMs: T0 - 10 * 60_000 });
    fake.addTopic('825002', { text: 'Слишком старая', createdMs: T0 - 3 * 3600_000 });
    const second = await ok.poll(source('825002'), first.cursor);
    expect(second.posts.map((p) => p.text)).toEqual(['Поздно проиндексированная']);
    expect((await ok.poll(source('825002'), second.cursor)).posts).toEqual([]);
  });

  it('keeps polling a group when one tracked topic was deleted', async () => {
    fake.addGroup({ id: '830003', name: 'Посёлок' });
    const gone = fake.addTopic('830003', { text: 'Тема, которую удалят', createdMs: T0 });
    const ok = adapter();
    const first = await ok.poll(source('830003'), null);
    fake.state.topics.splice(fake.state.topics.indexOf(gone), 1);
    const kept = fake.addTopic('830003', { text: 'Новая тема', createdMs: T0 + 60_000 });
    fake.addComment(kept.id, { text: 'Комментарий' });
    const second = await ok.poll(source('830003'), first.cursor);
    expect(second.posts.map((p) => p.text)).toEqual(['Новая тема', 'Комментарий']);
  });

  it.each([
    ['an expired token', () => (fake.state.tokenExpired = true), 'broken', /token expired/i],
    ['an unknown short name', () => undefined, 'broken', /NOT_FOUND/],
  ])('reports %s as a SourceError', async (_name, arrange, kind, message) => {
    arrange();
    try {
      const e = await adapter().poll(source('no_such_group'), null).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SourceError);
      expect((e as SourceError).kind).toBe(kind);
      expect((e as SourceError).message).toMatch(message);
    } finally {
      fake.state.tokenExpired = false;
    }
  });
});

describe('OK adapter: replies', () => {
  it('posts a group comment in reply to a comment', async () => {
    fake.addGroup({ id: '840004', name: 'Город' });
    const topic = fake.addTopic('840004', { text: 'Яма на дороге у школы' });
    const c = fake.addComment(topic.id, { text: 'Колесо пробил' });
    const res = await adapter().reply!({ type: 'topic', topic_id: topic.id, group_id: '840004', reply_to_comment_id: c.id }, 'Передали в дорожную службу', 'inc-1');
    const mine = fake.state.comments.filter((x) => x.text === 'Передали в дорожную службу');
    expect(mine).toEqual([expect.objectContaining({ author_type: 'GROUP', reply_to_comment_id: c.id })]);
    expect(res).toEqual({ externalId: `topic:${topic.id}:c${mine[0]!.id}`, url: `https://ok.ru/group/840004/topic/${topic.id}` });
  });

  it('arrives exactly once when the first attempt times out', async () => {
    fake.addGroup({ id: '850005', name: 'Город' });
    const topic = fake.addTopic('850005', { text: 'Не работает фонтан' });
    fake.failNext('discussions.addDiscussionComment', { delayMs: 3000 });
    const text = 'Здравствуйте! Фонтан включат после ремонта насосов.';
    const res = await adapter({ timeoutMs: 1000 }).reply!({ type: 'topic', topic_id: topic.id, group_id: '850005' }, text, 'inc-2');
    const mine = fake.state.comments.filter((x) => x.text === text);
    expect(mine).toHaveLength(1);
    expect(res.externalId).toBe(`topic:${topic.id}:c${mine[0]!.id}`);
    expect(fake.requests.filter((r) => r.method === 'discussions.addDiscussionComment' && r.params.entityId === topic.id)).toHaveLength(1);
  });

  it('posts again when the timed-out attempt did not land', async () => {
    fake.addGroup({ id: '860006', name: 'Город' });
    const topic = fake.addTopic('860006', { text: 'Нет воды' });
    fake.failNext('discussions.addDiscussionComment', { http: 503 });
    const text = 'Воду дадут к вечеру.';
    await adapter().reply!({ type: 'topic', topic_id: topic.id, group_id: '860006' }, text, 'inc-3');
    expect(fake.state.comments.filter((x) => x.text === text)).toHaveLength(1);
  });
});
