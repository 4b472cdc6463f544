/**
 * Hostile input corpus, part 2: malformed API answers from each channel. The real clients
 * (vk-io, our OK client, telegraf, the t.me/s reader) talk to the local fakes, which answer
 * one call with a broken body (HTTP 200). Each case asserts that the poll ends at once with
 * a one-line reason that carries no token (or with well-formed posts), and that the next
 * poll from the same cursor brings every post: nothing hangs, crashes or is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOkAdapter } from '../../adapters/ok/index.js';
import { createTelegramAdapter } from '../../adapters/telegram/index.js';
import { createVkAdapter } from '../../adapters/vk/index.js';
import { ManualClock } from '../../src/clock.js';
import type { ChannelAdapter, SourceRef } from '../../src/domain/source.js';
import { redactSecretShapes } from '../../src/log.js';
import { startOkFake, type OkFake } from '../fakes/ok-server.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-server.js';
import { startTmeFake, type TmeFake } from '../fakes/tme-server.js';
import { startVkFake, type VkFake } from '../fakes/vk-server.js';

const VK_TOKEN = 'vk1.a.hostile-corpus-token';
const OK_KEYS = { applicationKey: 'CBAHOSTILE', applicationSecretKey: 'HOSTILESECRET01', accessToken: 'tkn.hostile-ok-access' };
const BOT_TOKEN = '7001234567:AAHostileCorpusBotTokenAAAAAAAAAAA';
const CHAT = { id: -1001000000099, type: 'supergroup', title: 'Городской чат' };
const clock = new ManualClock('2026-11-16T09:00:00+03:00');

let vk: VkFake, ok: OkFake, tg: TelegramFake, tme: TmeFake;
beforeAll(async () => {
  [vk, ok, tg, tme] = await Promise.all([
    startVkFake({ now: () => Math.floor(clock.now().getTime() / 1000) }),
    startOkFake(OK_KEYS, { now: () => clock.now().getTime() }),
    startTelegramFake(),
    startTmeFake(),
  ]);
});
afterAll(async () => Promise.all([vk?.close(), ok?.close(), tg?.close(), tme?.close()]));

interface Channel {
  adapter(): ChannelAdapter;
  source: SourceRef;
  /** Adds posts for a case; returns the texts a full poll must bring. */
  seed(tag: string): string[];
  fail(body: string): void;
}

let seq = 0;
const ref = (channel: SourceRef['channel'], kind: string, reference: string, options: Record<string, unknown> = {}): SourceRef => ({ id: ++seq, channel, kind, reference, options });

const channels: Record<'vk' | 'ok' | 'telegram' | 'tme', () => Channel> = {
  vk: () => {
    const group = 700_000 + ++seq;
    vk.addCommunity({ id: group });
    return {
      adapter: () => createVkAdapter({ token: VK_TOKEN, apiBaseUrl: vk.apiBaseUrl, rps: 1000, retryDelayMs: 1, clock, timeoutMs: 2000 }),
      source: ref('vk', 'wall', `-${group}`),
      seed: (tag) => [1, 2].map((n) => vk.addPost(group, { text: `${tag} пост ${n}` }).text),
      fail: (body) => vk.failNext('wall.get', { body }),
    };
  },
  ok: () => {
    const gid = String(880_000 + ++seq);
    ok.addGroup({ id: gid, name: `Группа ${gid}` });
    return {
      adapter: () => createOkAdapter({ ...OK_KEYS, baseUrl: ok.baseUrl, clock, timeoutMs: 2000, retryDelayMs: 1 }),
      source: ref('ok', 'group', gid),
      seed: (tag) => [1, 2].map((n) => ok.addTopic(gid, { text: `${tag} тема ${n}` }).text),
      fail: (body) => ok.failNext('mediatopic.getTopics', { body }),
    };
  },
  telegram: () => {
    let messageId = 1;
    return {
      adapter: () => createTelegramAdapter({ bot: { token: BOT_TOKEN, apiRoot: tg.apiRoot, clock } }),
      source: ref('telegram', 'bot', 'staff', { chats: [String(CHAT.id)] }),
      seed: (tag) =>
        [1, 2].map((n) => {
          const text = `${tag} сообщение ${n}`;
          tg.pushUpdate(BOT_TOKEN, { message: { message_id: messageId++, date: Math.floor(clock.now().getTime() / 1000), chat: CHAT, from: { id: 5, is_bot: false, first_name: 'Ира' }, text } });
          return text;
        }),
      fail: (body) => tg.failNext('getUpdates', { body }),
    };
  },
  tme: () => {
    const name = `chan${++seq}`;
    tme.addChannel(name, { title: name });
    return {
      adapter: () => createTelegramAdapter({ tme: { baseUrl: tme.baseUrl, timeoutMs: 2000 } }),
      source: ref('telegram', 'tme', name),
      seed: (tag) => [1, 2].map((n) => tme.addPost(name, { text: `${tag} запись ${n}`, date: clock.now() }).text),
      fail: (body) => tme.failNext({ body }),
    };
  },
};

const CASES: Array<[string, keyof typeof channels, string]> = [
  ['VK: JSON cut in the middle', 'vk', '{"response":{"count":2,"items":[{"id":1,'],
  ['VK: an HTML page with status 200', 'vk', '<html><body>502 Bad Gateway</body></html>'],
  ['VK: items is not a list', 'vk', '{"response":{"count":1,"items":"oops"}}'],
  ['VK: items of the wrong types', 'vk', '{"response":{"count":1,"items":[{"id":"x","text":{"a":1},"date":"вчера","owner_id":null}]}}'],
  ['VK: null', 'vk', 'null'],
  ['OK: JSON cut in the middle', 'ok', '{"media_topics":[{"id":"1",'],
  ['OK: a list instead of an object', 'ok', '[1,2,3]'],
  ['OK: topics of the wrong type', 'ok', '{"media_topics":"x","has_more":"maybe"}'],
  ['Telegram: JSON cut in the middle', 'telegram', '{"ok":true,"result":[{"update_id":'],
  ['Telegram: result is not a list', 'telegram', '{"ok":true,"result":{}}'],
  ['Telegram: an update of the wrong types', 'telegram', '{"ok":true,"result":[{"update_id":"a","message":{"chat":null,"text":5}}]}'],
  ['t.me/s: an empty page', 'tme', '<html><body></body></html>'],
  ['t.me/s: a changed layout with junk posts', 'tme', '<div class="tgme_widget_message" data-post="x/abc"><div class="tgme_widget_message_text">без даты</div></div><time datetime="не дата"></time>'],
];

describe(`malformed API answers (${CASES.length} cases)`, () => {
  it.each(CASES)('%s: refused in one line without secrets, then every post arrives', async (name, key, body) => {
    const ch = channels[key]();
    const adapter = ch.adapter();
    const expected = ch.seed(name.replace(/\W+/g, '-'));
    ch.fail(body);
    let first: { posts: number; error?: string };
    let cursor: string | null = null;
    try {
      const res = await adapter.poll(ch.source, null);
      // A body the adapter could read must still give well-formed posts.
      for (const p of res.posts) {
        expect(typeof p.externalId).toBe('string');
        expect(p.externalId.length).toBeGreaterThan(0);
        expect(typeof p.text).toBe('string');
      }
      first = { posts: res.posts.length };
      cursor = res.cursor; // what the poller would store
      expected.splice(0, expected.length, ...expected.filter((t) => !res.posts.some((p) => p.text === t)));
    } catch (err) {
      first = { posts: 0, error: String((err as Error).message) };
      expect(first.error).not.toContain('\n');
    }
    if (first.error) {
      const shown = redactSecretShapes(first.error);
      for (const secret of [VK_TOKEN, OK_KEYS.accessToken, OK_KEYS.applicationSecretKey, BOT_TOKEN.split(':')[1]!]) expect(shown).not.toContain(secret);
    }
    // The next poll from the cursor the poller would have stored brings everything not yet read.
    const again = await adapter.poll(ch.source, cursor);
    expect(again.posts.map((p) => p.text).sort()).toEqual(expect.arrayContaining(expected.sort()));
  });
});
