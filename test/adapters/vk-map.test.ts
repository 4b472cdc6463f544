import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/domain/source.js';
import { toSourceError, vkCodeToSourceError } from '../../adapters/vk/errors.js';
import { buildExecuteCode } from '../../adapters/vk/execute.js';
import { flattenComments, mapComment, mapMessage, mapWallPost, parseGeo } from '../../adapters/vk/map.js';
import { parseCommunityRef, parseGroupId } from '../../adapters/vk/ref.js';
import { randomIdFor } from '../../adapters/vk/reply.js';
import { keepSearchHit } from '../../adapters/vk/search.js';
import { isNewPost } from '../../adapters/vk/wall.js';
import { parseExecuteCode } from '../fakes/vk-server.js';

describe('VK mappers', () => {
  const post = { id: 5, owner_id: -123, from_id: 456, date: 1_700_000_000, text: 'Во дворе не горит фонарь', geo: { coordinates: '51.73 36.19' } };

  it.each([
    ['wall post', mapWallPost(post), { externalId: '-123_5', kind: 'post', url: 'https://vk.com/wall-123_5', authorId: '456', geo: { lat: 51.73, lon: 36.19 }, replyTarget: { type: 'wall', owner_id: -123, post_id: 5 }, repostOfExternalId: null }],
    ['repost', mapWallPost({ ...post, geo: undefined, copy_history: [{ id: 9, owner_id: -77 }] }), { repostOfExternalId: '-77_9', geo: null }],
    ['suggested post', mapWallPost(post, 'suggested'), { kind: 'suggested', url: null, replyTarget: { type: 'message', peer_id: 456 } }],
    ['comment', mapComment({ id: 77, from_id: 8, date: 1_700_000_100, text: 'Когда починят?' }, -123, 5), { externalId: '-123_5_c77', kind: 'comment', parentExternalId: '-123_5', url: 'https://vk.com/wall-123_5?reply=77', replyTarget: { type: 'wall', owner_id: -123, post_id: 5, reply_to_comment: 77 } }],
    ['message', mapMessage({ id: 3, peer_id: 42, from_id: 42, date: 1_700_000_200, text: 'Нет воды', geo: { coordinates: { latitude: 51.7, longitude: 36.1 } } }, 99), { externalId: 'm99_42_3', kind: 'message', url: 'https://vk.com/gim99?sel=42', replyTarget: { type: 'message', peer_id: 42 }, geo: { lat: 51.7, lon: 36.1 } }],
  ])('%s', (_name, got, expected) => {
    expect(got).toMatchObject(expected);
  });

  it('keeps the date, text and raw item', () => {
    const p = mapWallPost(post);
    expect(p.publishedAt.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(p.text).toBe(post.text);
    expect(p.raw).toBe(post);
  });

  it.each([['55.75 37.61', { lat: 55.75, lon: 37.61 }], ['garbage', null], [undefined, null], [{ latitude: 1, longitude: 2 }, { lat: 1, lon: 2 }]])('parseGeo(%j)', (input, out) => {
    expect(parseGeo(input)).toEqual(out);
  });

  it('flattens thread items and drops deleted comments', () => {
    const items = [
      { id: 1, date: 1, thread: { items: [{ id: 2, date: 2 }, { id: 3, date: 3, deleted: true }] } },
      { id: 4, date: 4, deleted: true },
    ];
    expect(flattenComments(items).map((c) => c.id)).toEqual([1, 2]);
  });
});

describe('VK error codes → SourceError', () => {
  it.each([
    [6, 'retry', undefined], [10, 'retry', undefined], [1, 'retry', undefined],
    [9, 'backoff', 600_000], [29, 'backoff', 3_600_000], [14, 'backoff', 600_000],
    [5, 'broken', undefined], [15, 'broken', undefined], [18, 'broken', undefined], [30, 'broken', undefined],
    [27, 'broken', undefined], [203, 'broken', undefined], [212, 'broken', undefined], [7, 'broken', undefined],
  ])('code %i → %s', (code, kind, retryAfterMs) => {
    const e = vkCodeToSourceError(code, 'msg', 'wall.get');
    expect(e).toBeInstanceOf(SourceError);
    expect(e.kind).toBe(kind);
    expect(e.details.code).toBe(code);
    expect(e.details.retryAfterMs).toBe(retryAfterMs);
  });

  it('sorts vk-io errors, timeouts and network failures', () => {
    expect(toSourceError(Object.assign(new Error('Code №30 - This profile is private'), { code: 30 })).kind).toBe('broken');
    expect(toSourceError(Object.assign(new Error('The user aborted a request.'), { name: 'AbortError' })).message).toMatch(/timed out/);
    expect(toSourceError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).kind).toBe('retry');
    expect(toSourceError(new SyntaxError('Unexpected token < in JSON')).kind).toBe('retry');
  });
});

describe('VK references, ids and execute code', () => {
  it.each([
    ['-123', { owner_id: -123 }], ['123', { owner_id: -123 }], ['club55', { owner_id: -55 }], ['public7', { owner_id: -7 }],
    ['kursk_news', { domain: 'kursk_news' }], ['https://vk.com/kursk_news', { domain: 'kursk_news' }], ['https://vk.ru/club9/', { owner_id: -9 }],
  ])('parseCommunityRef(%s)', (ref, owner) => {
    expect(parseCommunityRef(ref)).toEqual(owner);
  });

  it('rejects nonsense references as broken', () => {
    expect(() => parseCommunityRef('что это')).toThrow(SourceError);
    expect(() => parseGroupId('screen_name')).toThrow(/numeric community id/);
    expect(parseGroupId('', 42)).toBe(42);
  });

  it('randomIdFor is stable, 31-bit and differs by key', () => {
    const a = randomIdFor('incident-1/reply-1');
    expect(randomIdFor('incident-1/reply-1')).toBe(a);
    expect(a).toBeGreaterThan(0);
    expect(a).toBeLessThan(2 ** 31);
    expect(randomIdFor('incident-1/reply-2')).not.toBe(a);
  });

  it('builds execute code the fake (and VK) parse back', () => {
    const calls: Array<{ method: string; params: Record<string, string | number> }> = [
      { method: 'wall.get', params: { owner_id: -1, count: 20 } },
      { method: 'newsfeed.search', params: { q: 'яма "Ленина"), {x}' } },
    ];
    const code = buildExecuteCode(calls);
    expect(code).toBe('return [API.wall.get({"owner_id":-1,"count":20}),API.newsfeed.search({"q":"яма \\"Ленина\\"), {x}"})];');
    expect(parseExecuteCode(code)).toEqual([
      { method: 'wall.get', params: { owner_id: '-1', count: '20' } },
      { method: 'newsfeed.search', params: { q: 'яма "Ленина"), {x}' } },
    ]);
  });

  it('keepSearchHit drops stop words and excluded owners', () => {
    const hit = { id: 1, owner_id: -10, date: 0, text: 'Продам гараж у реки' };
    expect(keepSearchHit(hit, ['продам'], [])).toBe(false);
    expect(keepSearchHit(hit, [], [10])).toBe(false);
    expect(keepSearchHit(hit, ['куплю'], [-11])).toBe(true);
  });

  it('isNewPost: higher id or inside the overlap window', () => {
    const prev = { id: 10, date: 1000 };
    expect(isNewPost({ id: 11, owner_id: -1, date: 10 }, prev, 60)).toBe(true);
    expect(isNewPost({ id: 9, owner_id: -1, date: 950 }, prev, 60)).toBe(true);
    expect(isNewPost({ id: 9, owner_id: -1, date: 900 }, prev, 60)).toBe(false);
    expect(isNewPost({ id: 1, owner_id: -1, date: 0 }, null, 60)).toBe(true);
  });
});
