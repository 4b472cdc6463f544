import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramBotAdapter } from '../../adapters/telegram/bot/index.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-server.js';

const TOKEN = '888:reply-photo';
let fake: TelegramFake;
beforeAll(async () => {
  fake = await startTelegramFake();
});
afterAll(() => fake.close());

describe('Telegram reply with a photo', () => {
  it('goes out as one sendPhoto with the answer as its caption, as a reply to the post', async () => {
    const adapter = createTelegramBotAdapter({ token: TOKEN, apiRoot: fake.apiRoot });
    const res = await adapter.reply!({ type: 'chat', chat_id: -100500, message_id: 77, bot: 'bot' }, 'Яму заделали <сегодня> & навсегда', 'key-1', [{ filename: 'fix.jpg', data: new Uint8Array(1500) }]);
    expect(res.externalId).toBe('-100500/101');
    expect(fake.uploads).toEqual([{ chatId: '-100500', method: 'sendPhoto', filename: 'fix.jpg', size: 1500 }]);
    const call = fake.calls.find((c) => c.method === 'sendPhoto')!;
    expect(call.payload).toMatchObject({ caption: 'Яму заделали &lt;сегодня&gt; &amp; навсегда', parse_mode: 'HTML', reply_parameters: { message_id: 77 } });
  });
});
