import { describe, expect, it } from 'vitest';
import { decodeOkCursor, pruneSeen, trackRecentTopics } from '../../adapters/ok/cursor.js';
import { mapTopic, parseOkDate, readTopicsPage, topicText } from '../../adapters/ok/map.js';

describe('OK mappers', () => {
  it('reads comment dates as Moscow time', () => {
    expect(parseOkDate('2026-01-31 12:00:00')).toEqual(new Date('2026-01-31T09:00:00Z'));
    expect(Number.isNaN(parseOkDate('вчера').getTime())).toBe(true);
  });

  it('accepts both shapes of mediatopic.getTopics', () => {
    const topic = { id: '1', created_ms: 1, media: [{ type: 'text', text: 'а' }] };
    expect(readTopicsPage([topic])).toEqual({ topics: [topic], anchor: null, hasMore: false });
    expect(readTopicsPage({ media_topics: [topic], anchor: 'A', has_more: true })).toEqual({ topics: [topic], anchor: 'A', hasMore: true });
    expect(readTopicsPage({})).toEqual({ topics: [], anchor: null, hasMore: false });
  });

  it('joins only the text items of a topic', () => {
    const media = [{ type: 'text', text: 'Во дворе яма.' }, { type: 'photo' }, { type: 'text', text: 'Просим засыпать.' }];
    expect(topicText({ id: 1, media })).toBe('Во дворе яма.\n\nПросим засыпать.');
    expect(mapTopic({ id: 9, created_ms: 5, author_ref: 'user:42', media }, '77')).toMatchObject({
      externalId: 'topic:9',
      authorId: '42',
      url: 'https://ok.ru/group/77/topic/9',
      publishedAt: new Date(5),
    });
  });

  it('cursor helpers keep the window and the depth', () => {
    expect(decodeOkCursor('not json', '1')).toBeNull();
    expect(decodeOkCursor(JSON.stringify({ v: 1, gid: '2', newestMs: 0, seen: [], topics: [] }), '1')).toBeNull();
    expect(pruneSeen([['a', 100], ['b', 50], ['a', 100]], 100, 30)).toEqual([['a', 100]]);
    const known = [{ id: 'x', ms: 10, anchor: 'A', ids: ['c1'] }];
    expect(trackRecentTopics(known, [{ id: 'y', ms: 20 }, { id: 'x', ms: 10 }], 1)).toEqual([{ id: 'y', ms: 20, anchor: null, ids: [] }]);
    expect(trackRecentTopics(known, [{ id: 'y', ms: 20 }], 2)[1]).toBe(known[0]);
  });
});
