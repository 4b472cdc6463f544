import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmbiguousDeliveryError, CITIZEN_WELCOME, createTelegramBotAdapter, escapeHtml } from '../../adapters/telegram/bot/index.js';
import { ManualClock } from '../../src/clock.js';
import type { SourceRef } from '../../src/domain/source.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-server.js';

const STAFF = '111:staff-token';
const CITIZEN = '333:citizen-token';
const PERSON = { id: 7001, is_bot: false, first_name: 'Олег' };
const CHAT = { id: 7001, type: 'private', first_name: 'Олег' };
const DATE = 1_760_000_000;
const source: SourceRef = { id: 2, channel: 'telegram', kind: 'citizen_bot', reference: 'citizens', options: {} };

let nextId = 1;
const privateMsg = (extra: object, date = DATE) => ({ message_id: nextId++, date, chat: CHAT, from: PERSON, ...extra });

describe('citizens\' "report a problem" bot', () => {
  let fake: TelegramFake;
  let clock: ManualClock;
  beforeAll(async () => {
    fake = await startTelegramFake();
  });
  afterAll(() => fake.close());

  const adapter = (sendTimeoutMs = 5_000) => {
    clock = new ManualClock('2026-10-01T09:00:00Z');
    return createTelegramBotAdapter({ token: STAFF, citizenToken: CITIZEN, apiRoot: fake.apiRoot, clock, sendTimeoutMs });
  };

  it('answers /start with the welcome and makes no post of it', async () => {
    const a = adapter();
    fake.pushUpdate(CITIZEN, { message: privateMsg({ text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] }) });
    const res = await a.poll(source, null);
    expect(res.posts).toEqual([]);
    expect(fake.sent(CHAT.id)).toEqual([expect.objectContaining({ text: CITIZEN_WELCOME })]);
    expect(fake.calls.filter((c) => c.method === 'sendMessage').every((c) => c.token === CITIZEN)).toBe(true);
  });

  it('turns text, a photo and the location sent together into one post', async () => {
    const a = adapter();
    const first = await a.poll(source, null);
    const photo = [
      { file_id: 'p-small', width: 320, height: 240 },
      { file_id: 'p-large', width: 1280, height: 960 },
    ];
    const textMsg = privateMsg({ text: 'Открытый люк во дворе дома 12 на ул. Мира' });
    fake.pushUpdate(CITIZEN, { message: textMsg });
    fake.pushUpdate(CITIZEN, { message: privateMsg({ photo, caption: 'Вот фото' }, DATE + 20) });
    fake.pushUpdate(CITIZEN, { message: privateMsg({ location: { latitude: 51.7304, longitude: 36.1926 } }, DATE + 40) });
    fake.pushUpdate(CITIZEN, { message: privateMsg({ text: 'И ещё: не горят фонари' }, DATE + 3600) });

    const res = await a.poll(source, first.cursor);
    expect(res.posts).toHaveLength(2);
    expect(res.posts[0]).toMatchObject({
      kind: 'message',
      externalId: `citizen:${CHAT.id}/${textMsg.message_id}`,
      text: 'Открытый люк во дворе дома 12 на ул. Мира\nВот фото',
      geo: { lat: 51.7304, lon: 36.1926 },
      authorId: String(PERSON.id),
      replyTarget: { type: 'chat', chat_id: CHAT.id, message_id: textMsg.message_id, bot: 'citizen_bot' },
    });
    expect(JSON.stringify(res.posts[0]!.raw)).toContain('p-large');
    expect(res.posts[1]!.text).toBe('И ещё: не горят фонари');
  });

  it('delivers the answer in the same chat exactly once, even when the first attempt times out', async () => {
    const a = adapter(300);
    const target = { type: 'chat', chat_id: CHAT.id, message_id: 55, bot: 'citizen_bot' };
    const before = fake.sent(CHAT.id).length;
    fake.failNext('sendMessage', { delayMs: 1_000 });
    const first = await a.reply!(target, 'Люк закрыт, спасибо за обращение', 'incident-1:reply').catch((e: unknown) => e);
    expect(first).toBeInstanceOf(AmbiguousDeliveryError);
    // The caller retries with the same key: no blind resend.
    await expect(a.reply!(target, 'Люк закрыт, спасибо за обращение', 'incident-1:reply')).rejects.toBeInstanceOf(AmbiguousDeliveryError);
    const arrived = fake.sent(CHAT.id).slice(before);
    expect(arrived).toHaveLength(1);
    expect(arrived[0]).toMatchObject({ chat_id: CHAT.id, parse_mode: 'HTML', reply_parameters: { message_id: 55 } });
    const sends = fake.calls.filter((c) => c.method === 'sendMessage' && c.payload.text === 'Люк закрыт, спасибо за обращение');
    expect(sends.map((c) => c.token)).toEqual([CITIZEN]);
  });

  it('sits out a 429 on the injected clock and sends once; a repeated key returns the same message', async () => {
    const a = adapter();
    const target = { type: 'chat', chat_id: CHAT.id, message_id: 56, bot: 'citizen_bot' };
    const before = fake.sent(CHAT.id).length;
    fake.failNext('sendMessage', { code: 429, retryAfter: 4 });
    const t0 = clock.now().getTime();
    const res = await a.reply!(target, 'Передано в управление ЖКХ', 'incident-2:reply');
    expect(clock.now().getTime() - t0).toBe(4_000);
    expect(res.externalId).toMatch(new RegExp(`^citizen:${CHAT.id}/\\d+$`));
    expect(await a.reply!(target, 'Передано в управление ЖКХ', 'incident-2:reply')).toEqual(res);
    expect(fake.sent(CHAT.id).length - before).toBe(1);
  });

  it('replies in a group through the staff bot and escapes the text for HTML', async () => {
    const a = adapter();
    const group = -1001000000003;
    const res = await a.reply!({ type: 'chat', chat_id: group, message_id: 40, bot: 'bot' }, 'Ответ <b>администрации</b> & ЖКХ', 'k3');
    expect(res.externalId).toMatch(/^-1001000000003\/\d+$/);
    expect(res.url).toMatch(/^https:\/\/t\.me\/c\/1000000003\/\d+$/);
    expect(fake.sent(group).at(-1)!.text).toBe('Ответ &lt;b&gt;администрации&lt;/b&gt; &amp; ЖКХ');
    expect(fake.calls.at(-1)!.token).toBe(STAFF);
  });

  it('a permanent refusal (403) is thrown as is, not as ambiguous', async () => {
    const a = adapter();
    fake.failNext('sendMessage', { code: 403, description: 'Forbidden: bot was blocked by the user' });
    const err = await a.reply!({ type: 'chat', chat_id: CHAT.id, message_id: 1, bot: 'citizen_bot' }, 'текст', 'k4').catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(AmbiguousDeliveryError);
    expect(err).toMatchObject({ code: 403 });
  });
});

describe('escapeHtml', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['Уже &amp; экранировано', 'Уже &amp;amp; экранировано'],
    ['a < b && c > d', 'a &lt; b &amp;&amp; c &gt; d'],
    ['Спасибо 🙏 «кавычки» "и" \'апострофы\'', 'Спасибо 🙏 «кавычки» "и" \'апострофы\''],
  ])('%s', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});
