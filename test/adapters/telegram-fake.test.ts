import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Input, Telegraf, Telegram } from 'telegraf';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-server.js';

const TOKEN = '444:workflow-token';
const PERSON = { id: 9001, is_bot: false, first_name: 'Анна' };

/** Resolves once `check` holds, polling the fake's state (no timing assertions, just waiting). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('fake Telegram Bot API', () => {
  let fake: TelegramFake;
  beforeAll(async () => {
    fake = await startTelegramFake();
  });
  afterAll(() => fake.close());

  it('drives a real Telegraf bot: long-poll, callback_query, ctx.reply, stop', async () => {
    const bot = new Telegraf(TOKEN, { telegram: { apiRoot: fake.apiRoot } });
    bot.on('callback_query', async (ctx) => {
      await ctx.answerCbQuery('Принято');
      await ctx.reply('Карточка взята в работу');
    });
    const launched = bot.launch({ dropPendingUpdates: false }); // resolves only when polling stops
    await until(() => fake.calls.some((c) => c.token === TOKEN && c.method === 'getUpdates'), 'the first getUpdates');

    fake.pushUpdate(TOKEN, {
      callback_query: {
        id: 'cb-1',
        from: PERSON,
        chat_instance: 'ci',
        data: 'take:42',
        message: { message_id: 5, date: 1_760_000_000, chat: { id: -1001000000009, type: 'supergroup', title: 'Модераторы' }, text: 'Карточка' },
      },
    });
    await until(() => fake.sent(-1001000000009).length === 1, 'ctx.reply');
    const methods = fake.calls.filter((c) => c.token === TOKEN).map((c) => c.method);
    expect(methods.slice(0, 2)).toEqual(['getMe', 'deleteWebhook']);
    expect(methods).toContain('answerCallbackQuery');
    expect(fake.sent(-1001000000009)[0]).toMatchObject({ text: 'Карточка взята в работу' });

    bot.stop('test');
    await launched;
    expect(fake.pending(TOKEN)).toBe(0); // stop() confirmed the handled update
  });

  it('holds getUpdates until an update arrives, and honours offset', async () => {
    const tg = new Telegram('555:poller', { apiRoot: fake.apiRoot });
    const held = tg.getUpdates(30, 100, 0, undefined);
    await until(() => fake.calls.filter((c) => c.token === '555:poller').length === 1, 'the held request');
    const id = fake.pushUpdate('555:poller', { message: { message_id: 1, date: 0, chat: { id: 1, type: 'private' }, text: 'привет' } });
    expect((await held).map((u) => u.update_id)).toEqual([id]);
    expect(await tg.getUpdates(0, 100, id, undefined)).toHaveLength(1); // not confirmed yet
    expect(await tg.getUpdates(0, 100, id + 1, undefined)).toEqual([]);
    expect(fake.pending('555:poller')).toBe(0);
  });

  it('ends the older of two concurrent getUpdates with 409', async () => {
    const tg = new Telegram('666:twice', { apiRoot: fake.apiRoot });
    const first = tg.getUpdates(30, 100, 0, undefined).catch((e: unknown) => e);
    await until(() => fake.calls.filter((c) => c.token === '666:twice').length === 1, 'the first request');
    const second = tg.getUpdates(30, 100, 0, undefined);
    expect(await first).toMatchObject({ code: 409, description: expect.stringContaining('terminated by other getUpdates') });
    fake.pushUpdate('666:twice', { message: { message_id: 2, date: 0, chat: { id: 2, type: 'private' }, text: 'x' } });
    expect(await second).toHaveLength(1);
  });

  it('answers unknown methods with 404 and accepts multipart uploads', async () => {
    const tg = new Telegram(TOKEN, { apiRoot: fake.apiRoot });
    await expect(tg.callApi('noSuchMethod' as never, {} as never)).rejects.toMatchObject({ code: 404, description: 'Not Found' });
    const photo = await tg.sendPhoto(-100500, Input.fromBuffer(Buffer.from('fake-png-bytes'), 'pit.png'), { caption: 'Фото ямы' });
    expect(photo.photo.length).toBeGreaterThan(0);
    expect(fake.calls.at(-1)).toMatchObject({ method: 'sendPhoto', payload: { chat_id: '-100500', caption: 'Фото ямы', photo: { filename: 'pit.png' } } });
  });
});
