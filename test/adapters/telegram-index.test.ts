import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../adapters/telegram/index.js';
import type { SourceRef } from '../../src/domain/source.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-server.js';

const TOKEN = '111:staff-token';
const CITY_CHAT = { id: -1001000000003, type: 'supergroup', title: 'Соседи' };
const source: SourceRef = { id: 1, channel: 'telegram', kind: 'bot', reference: 'staff', options: { chats: [String(CITY_CHAT.id)] } };

describe('createTelegramAdapter', () => {
  let fake: TelegramFake;
  beforeAll(async () => {
    fake = await startTelegramFake();
  });
  afterAll(() => fake.close());

  it('routes bot kinds to the Bot API and rejects unknown kinds', async () => {
    const adapter = createTelegramAdapter({ bot: { token: TOKEN, apiRoot: fake.apiRoot } });
    expect([...adapter.kinds].sort()).toEqual(['bot', 'citizen_bot', 'tme']);
    const start = await adapter.poll(source, null);
    const message = { message_id: 3, date: 1_760_000_000, chat: CITY_CHAT, from: { id: 5, is_bot: false, first_name: 'Пётр' }, text: 'Скользко на остановке' };
    fake.pushUpdate(TOKEN, { message });
    expect((await adapter.poll(source, start.cursor)).posts.map((p) => p.text)).toEqual(['Скользко на остановке']);
    await expect(adapter.poll({ ...source, kind: 'mtproto' }, null)).rejects.toMatchObject({ kind: 'broken' });
  });
});
