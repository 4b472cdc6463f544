/**
 * The staff bot's world for tests, the demo-like runs and the benchmark: the Telegram
 * Bot API fake and the VK fake on one manual clock, an App whose real adapters point at
 * them, the staff runtime (real telegraf bot + outbox sender), and helpers that act as
 * people: send a command, press a button by its label, reply to the bot's question.
 */
import { createTelegramAdapter } from '../../adapters/telegram/index.js';
import { createVkAdapter } from '../../adapters/vk/index.js';
import type { App } from '../../src/app/app.js';
import { createOutboxNotifier } from '../../src/bot/notifier.js';
import { createStaffRuntime, type StaffRuntime } from '../../src/bot/runtime.js';
import { createLogger } from '../../src/log.js';
import { ManualClock } from '../../src/clock.js';
import type { Installation } from '../../src/config/installation.js';
import type { DbHandle } from '../../src/db/client.js';
import { startTelegramFake, type FakeMessage, type TelegramFake } from '../fakes/telegram-server.js';
import { startVkFake, type VkFake } from '../fakes/vk-server.js';
import { createTestApp, testInstallation } from '../helpers/app.js';

export const BOT_TOKEN = '4242:staff-bot-token';
export const VK_USER = 'world-vk-user-token';
export const VK_GROUP = 'world-vk-group-token';
export const GROUP_ID = 100;
export const CHATS = { moderators: '-1001', roads: '-1002', press: '-1003', admins: '-1009', housing: '-1004' };

export interface Person {
  id: number;
  first_name: string;
  last_name?: string;
  is_bot: false;
}

export interface BotWorld {
  clock: ManualClock;
  tg: TelegramFake;
  vk: VkFake;
  app: App;
  rt: StaffRuntime;
  /** Delivers queued updates to the bot and drains the outbox (all on the manual clock). */
  settle(): Promise<void>;
  /** A person writes in a chat (a private chat is the person's id). */
  say(who: Person, chatId: string | number, text: string, extra?: Record<string, unknown>): Promise<void>;
  /** A person presses the button labelled `label` (prefix match) on message `msg`. */
  press(who: Person, msg: FakeMessage, label: string): Promise<string>;
  /** The last message of a chat. */
  last(chatId: string | number): FakeMessage;
  /** Button labels of a message. */
  buttons(msg: FakeMessage): string[];
  close(): Promise<void>;
}

export function worldInstallation(): Installation {
  const base = testInstallation([
    { channel: 'vk', kind: 'wall', ref: `-${GROUP_ID}`, enabled: true, interval: 300, options: {} },
    { channel: 'telegram', kind: 'bot', ref: 'staff', enabled: true, interval: 60, options: { chats: [] } },
  ]);
  return {
    ...base,
    chats: { moderators: CHATS.moderators, press: CHATS.press, admins: CHATS.admins },
    departments: base.departments.map((d) => (d.code === 'roads' ? { ...d, chat: CHATS.roads } : d.code === 'housing' ? { ...d, chat: CHATS.housing } : d)),
  };
}

let updateSeq = 0;

export async function startBotWorld(handle: DbHandle, opts: { installation?: Installation; clock?: ManualClock; enforceLimits?: boolean } = {}): Promise<BotWorld> {
  const clock = opts.clock ?? new ManualClock('2026-11-16T09:00:00+03:00');
  const tg = await startTelegramFake({ now: () => clock.now().getTime(), ...(opts.enforceLimits ? { enforceLimits: true } : {}) });
  const vk = await startVkFake({ now: () => Math.floor(clock.now().getTime() / 1000), tokens: [VK_USER, VK_GROUP], groupTokens: { [VK_GROUP]: GROUP_ID } });
  vk.addCommunity({ id: GROUP_ID });
  const installation = opts.installation ?? worldInstallation();
  const app = await createTestApp(handle, {
    clock,
    installation,
    // As with TELEGRAM_BOT_TOKEN set: notices to staff go through the outbox.
    notifier: createOutboxNotifier({ db: handle.db, installation, clock, log: createLogger({ level: 'silent' }) }),
    createAdapters: (deps) =>
      new Map([
        ['vk', createVkAdapter({ token: VK_USER, groupToken: VK_GROUP, groupId: GROUP_ID, apiBaseUrl: vk.apiBaseUrl, rps: 1000, groupRps: 1000, retryDelayMs: 1, clock })],
        ['telegram', createTelegramAdapter({ bot: { token: BOT_TOKEN, apiRoot: tg.apiRoot, onUpdate: deps.onTelegramUpdate, pushed: deps.telegramPushed, clock } })],
      ] as const),
  });
  const rt = await createStaffRuntime(app, { token: BOT_TOKEN, apiRoot: tg.apiRoot, instance: 'test' });
  const chatOf = (chatId: string | number, who: Person) =>
    Number(chatId) > 0 ? { id: Number(chatId), type: 'private', first_name: who.first_name } : { id: Number(chatId), type: 'supergroup', title: `Чат ${chatId}` };
  const world: BotWorld = {
    clock,
    tg,
    vk,
    app,
    rt,
    async settle() {
      await rt.intakeOnce();
      await rt.sender.drainAll();
    },
    async say(who, chatId, text, extra = {}) {
      const entities = text.startsWith('/') ? [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] : undefined;
      tg.pushUpdate(BOT_TOKEN, { message: { message_id: 5000 + ++updateSeq, date: Math.floor(clock.now().getTime() / 1000), chat: chatOf(chatId, who), from: who, text, ...(entities ? { entities } : {}), ...extra } });
      await world.settle();
    },
    async press(who, msg, label) {
      const markup = msg.replyMarkup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> } | undefined;
      const button = markup?.inline_keyboard?.flat().find((b) => b.text.startsWith(label));
      if (!button?.callback_data) throw new Error(`no button "${label}" on message ${msg.messageId}: ${world.buttons(msg).join(' | ')}`);
      const before = tg.callbackAnswers.length;
      tg.pushUpdate(BOT_TOKEN, {
        callback_query: { id: `cq${++updateSeq}`, from: who, chat_instance: 'ci', data: button.callback_data, message: { message_id: msg.messageId, date: 0, chat: chatOf(msg.chatId, who), text: msg.text } },
      });
      await world.settle();
      return String(tg.callbackAnswers[before]?.text ?? '');
    },
    last: (chatId) => tg.messages(chatId).at(-1)!,
    buttons: (msg) => ((msg.replyMarkup as { inline_keyboard?: Array<Array<{ text: string }>> } | undefined)?.inline_keyboard ?? []).flat().map((b) => b.text),
    async close() {
      rt.stop();
      await tg.close();
      await vk.close();
    },
  };
  return world;
}
