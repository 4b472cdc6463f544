/**
 * kill -9 for real during the sends of a running `otklik start` (spawned CLI; PGlite in a temp
 * directory, or a fresh database on TEST_DATABASE_URL), then a restart with the same instance
 * name. The fakes hold the request so the kill lands at the moment under test:
 * - `hold: 'before'`: the fake has received the request and not carried it out (lost on the way in);
 * - `hold: 'after'`: the fake carried it out (message delivered, comment created) and the answer
 *   never reaches the process (the process cannot have recorded it).
 *
 * What "once" means here. VK comments carry an idempotency `guid`: an interrupted reply is sent
 * again with the same guid and VK keeps one comment. The Bot API has no such key, so a Telegram
 * card or report whose fate is unknown is never resent by itself: it is marked `unconfirmed`
 * and its chat gets a notice (a card's notice has a button a person presses when the card is
 * missing). At most once, and a possible loss is visible to people; never a duplicate.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { parse, stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { incidents, outbox, posts, users } from '../../src/db/schema.js';
import { startTelegramFake, type FakeMessage, type TelegramFake } from '../fakes/telegram-server.js';
import { startVkFake, type VkFake } from '../fakes/vk-server.js';
import { eventually, spawnOtklik, writeConfig, type OtklikProcess } from '../helpers/otklik-process.js';
import { processDb, type ProcessDb } from '../helpers/process-db.js';

/** Each case starts `otklik start` twice: generous on a loaded 2-core CI machine. */
const CASE_TIMEOUT_MS = 240_000;
const BOT_TOKEN = '4343:kill9-bot-token';
const VK_USER = 'kill9-vk-user-token';
const VK_GROUP = 'kill9-vk-group-token';
const GROUP_ID = 41;
const MODERATORS = '-1001';
const MODERATOR = { id: 12, first_name: 'Марк', last_name: 'Модеров', is_bot: false };

const running: OtklikProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  running.splice(0).forEach((p) => p.child.exitCode === null && p.kill('SIGKILL'));
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

interface World {
  tg: TelegramFake;
  vk: VkFake;
  db: ProcessDb;
  env: Record<string, string>;
  start(): OtklikProcess;
}

/** The fakes, a config (VK wall, the staff bot, chats) and the process environment. */
async function world(name: string, over: { schedule?: Record<string, string>; chats?: Record<string, string>; vkSource?: boolean } = {}): Promise<World> {
  const tg = await startTelegramFake();
  const vk = await startVkFake({ tokens: [VK_USER, VK_GROUP], groupTokens: { [VK_GROUP]: GROUP_ID } });
  vk.addCommunity({ id: GROUP_ID });
  cleanups.push(() => tg.close(), () => vk.close());
  const sources = [...(over.vkSource === false ? [] : [{ channel: 'vk', kind: 'wall', ref: `-${GROUP_ID}`, interval: 1 }]), { channel: 'telegram', kind: 'bot', ref: 'staff', interval: 1, options: { chats: [] } }];
  const { dir, path } = writeConfig({ sources, chats: over.chats ?? { moderators: MODERATORS }, ...(over.schedule ? { schedule: over.schedule } : {}) });
  const db = await processDb(dir);
  cleanups.push(() => db.drop());
  const env = {
    OTKLIK_CONFIG: path,
    ...db.env,
    OTKLIK_INSTANCE: name,
    VK_TOKEN: VK_USER,
    VK_GROUP_TOKEN: VK_GROUP,
    VK_GROUP_ID: String(GROUP_ID),
    VK_API_BASE_URL: vk.apiBaseUrl,
    VK_RPS: '100',
    VK_GROUP_RPS: '100',
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_LONG_POLL_SEC: '1',
    OTKLIK_SHUTDOWN_SEC: '10',
  };
  return {
    tg, vk, db, env,
    start() {
      const p = spawnOtklik(['start'], env);
      running.push(p);
      return p;
    },
  };
}

/** Sets a department's chat in a config written by writeConfig. */
export function setDepartmentChats(path: string, chats: Record<string, string>): void {
  const config = parse(readFileSync(path, 'utf8')) as { departments: Array<{ code: string; chat?: string }> };
  for (const d of config.departments) if (chats[d.code]) d.chat = chats[d.code];
  writeFileSync(path, stringify(config));
}

async function sigkill(p: OtklikProcess): Promise<void> {
  p.kill('SIGKILL');
  expect(await p.exited).toEqual({ code: null, signal: 'SIGKILL' });
}

async function sigterm(p: OtklikProcess): Promise<void> {
  p.kill('SIGTERM');
  expect((await p.exited).code, p.stderr.slice(-10).join('\n')).toBe(0);
}

async function inDb<T>(w: World, f: (db: Awaited<ReturnType<ProcessDb['open']>>['db']) => Promise<T>): Promise<T> {
  const h = await w.db.open();
  try {
    return await f(h.db);
  } finally {
    await h.close();
  }
}

/**
 * Postgres: locks the claimed card row (the fake answers 5 s late), waits until the process's
 * backend waits on that lock — it has Telegram's answer and is recording it — and SIGKILLs it.
 */
async function killWhileRecording(w: World, p: OtklikProcess): Promise<void> {
  const { default: postgres } = await import('postgres');
  const client = postgres(w.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
  try {
    const holder = await client.reserve();
    try {
      await holder`begin`;
      expect(await holder`select id from outbox where status = 'sending' and card_id is not null for update`).toHaveLength(1);
      await eventually(async () => {
        const [r] = await client`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
        return r!.n > 0 ? true : undefined;
      }, 30_000, 'the process waiting to record the answer');
      await sigkill(p);
      await holder`rollback`;
    } finally {
      holder.release();
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

const isNotice = (m: { text?: string }) => (m.text ?? '').startsWith('⚠️');
const calledAt = (tg: TelegramFake, method: string, chatId: string) => tg.calls.filter((c) => c.method === method && String(c.payload.chat_id) === chatId).length;

/** A person presses the button labelled `label` on a message the fake holds. */
function press(tg: TelegramFake, who: typeof MODERATOR, msg: FakeMessage, label: string): void {
  const markup = msg.replyMarkup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> } | undefined;
  const button = markup?.inline_keyboard?.flat().find((b) => b.text.startsWith(label));
  if (!button?.callback_data) throw new Error(`no button "${label}" on ${JSON.stringify(msg)}`);
  tg.pushUpdate(BOT_TOKEN, { callback_query: { id: `cq-${Date.now()}`, from: who, chat_instance: 'ci', data: button.callback_data, message: { message_id: msg.messageId, date: 0, chat: { id: Number(msg.chatId), type: 'supergroup', title: 'Модераторы' }, text: msg.text } } });
}

describe('kill -9 during a card send (Telegram: at most once, a possible loss is shown to people)', () => {
  const WHAT = {
    before: 'the Bot API has the sendMessage but has not delivered it',
    after: 'the card was delivered but the answer never reached the process',
    // Postgres only: the test holds the outbox row locked, so the process, answer in hand, waits to record it.
    answered: 'the process has Telegram\'s answer and waits to record it (the row held locked by the test; Postgres only)',
  };
  for (const hold of ['before', 'after', 'answered'] as const) {
    it.skipIf(hold === 'answered' && !process.env.TEST_DATABASE_URL)(`SIGKILL while ${WHAT[hold]}: restart sends no second card; the chat gets a notice${hold === 'before' ? ', and the button on it sends the card once' : ''}`, async () => {
      const w = await world(`kill9-card-${hold}`);
      await inDb(w, (db) => db.insert(users).values({ telegramId: MODERATOR.id, name: 'Марк Модеров', role: 'moderator' }));
      w.vk.addPost(GROUP_ID, { text: 'На улице Ленина огромная яма на дороге, вчера пробил колесо', from_id: 777 });
      w.tg.failNext('sendMessage', hold === 'answered' ? { delayMs: 5_000 } : { hold });
      const first = w.start();
      await eventually(() => (calledAt(w.tg, 'sendMessage', MODERATORS) ? true : undefined), 150_000, 'card sendMessage in flight');
      if (hold === 'answered') await killWhileRecording(w, first);
      else await sigkill(first);
      const atKill = await inDb(w, async (db) => ({
        incidents: (await db.select().from(incidents)).length,
        outbox: (await db.select({ status: outbox.status, cardId: outbox.cardId }).from(outbox)).map((r) => `${r.status}:${r.cardId === null ? 'msg' : 'card'}`),
      }));
      expect(atKill).toEqual({ incidents: 1, outbox: ['sending:card'] });
      expect(w.tg.messages(MODERATORS)).toHaveLength(hold === 'before' ? 0 : 1);

      const second = w.start();
      const notice = await eventually(() => w.tg.messages(MODERATORS).find(isNotice), 150_000, 'notice in the moderators chat');
      expect(notice.text).toBe('⚠️ Бот перезапустился во время отправки карточки инцидента № 1: она могла не дойти. Если карточки № 1 выше нет, нажмите кнопку.');
      if (hold === 'before') {
        expect(w.tg.messages(MODERATORS)).toEqual([notice]);
        press(w.tg, MODERATOR, notice, '📨');
        await eventually(() => (w.tg.messages(MODERATORS).length === 2 ? true : undefined), 60_000, 'card sent again after the press');
      }
      // Several more poll cycles and sender rounds: nothing else arrives.
      const polls = w.vk.requests.length;
      await eventually(() => (w.vk.requests.length >= polls + 3 ? true : undefined), 60_000, 'three more polls');
      await sigterm(second);

      const chat = w.tg.messages(MODERATORS);
      const cards = chat.filter((m) => !isNotice(m));
      expect(cards).toHaveLength(1);
      expect(cards[0]!.text).toContain('№ 1');
      expect(chat.filter(isNotice)).toHaveLength(1);
      const after = await inDb(w, async (db) => ({
        posts: (await db.select().from(posts)).length,
        incidents: (await db.select().from(incidents)).length,
        card: (await db.select({ status: outbox.status }).from(outbox).where(sql`card_id is not null and kind = 'send'`)).map((r) => r.status),
        notice: (await db.select({ status: outbox.status }).from(outbox).where(sql`key like 'unconfirmed:%'`)).map((r) => r.status),
      }));
      expect(after).toEqual({ posts: 1, incidents: 1, card: [hold === 'before' ? 'sent' : 'unconfirmed'], notice: ['sent'] });
    }, CASE_TIMEOUT_MS);
  }
});

const MANAGERS = '-1005';

describe('kill -9 during a report send (the weekly report job, keyed once per week)', () => {
  for (const [method, hold] of [['sendMessage', 'after'], ['sendPhoto', 'before']] as const) {
    const what = method === 'sendMessage' ? 'the report text was delivered but the answer never reached the process' : 'the Bot API has the chart (sendPhoto) but has not delivered it';
    it(`SIGKILL while ${what}: the job runs again every second after the restart, yet nothing of the report is sent twice; the chat is told what may be missing`, async () => {
      const w = await world(`kill9-report-${method}`, { vkSource: false, chats: { managers: MANAGERS }, schedule: { weekly_report: '* * * * * *' } });
      w.tg.failNext(method, { hold });
      const first = w.start();
      await eventually(() => (calledAt(w.tg, method, MANAGERS) ? true : undefined), 150_000, `report ${method} in flight`);
      await sigkill(first);
      const keyed = sql`key like 'weekly_report:%'`;
      const atKill = await inDb(w, async (db) => (await db.select({ kind: outbox.kind, status: outbox.status }).from(outbox).where(keyed).orderBy(outbox.id)).map((r) => `${r.kind}:${r.status}`));
      expect(atKill).toEqual(method === 'sendMessage' ? ['send:sending', 'photo:pending'] : ['send:sent', 'photo:sending']);

      const second = w.start();
      await eventually(() => w.tg.messages(MANAGERS).find(isNotice), 150_000, 'notice in the managers chat');
      if (method === 'sendMessage') await eventually(() => w.tg.messages(MANAGERS).find((m) => m.photo), 60_000, 'the chart after the interrupted text');
      // The job keeps running (every second) after the restart: its key stops it from queueing again.
      const runs = () => second.logs.filter((l) => l.msg === 'weekly report queued for the managers').length;
      await eventually(() => (runs() >= 3 ? true : undefined), 60_000, 'three more runs of the weekly job');
      await sigterm(second);

      const chat = w.tg.messages(MANAGERS);
      const texts = chat.filter((m) => !m.photo && !isNotice(m));
      expect(texts).toHaveLength(1);
      expect(texts[0]!.text).toContain('Новых инцидентов:');
      expect(chat.filter((m) => m.photo)).toHaveLength(method === 'sendMessage' ? 1 : 0);
      expect(chat.filter(isNotice).map((m) => m.text)).toEqual([
        method === 'sendMessage'
          ? expect.stringMatching(/^⚠️ Бот перезапустился во время отправки сообщения «.+»: оно могло не дойти и повторно не отправляется\.$/)
          : expect.stringMatching(/^⚠️ Бот перезапустился во время отправки файла «otklik-\d{4}-\d{2}-\d{2}\.png»: оно могло не дойти и повторно не отправляется\.$/),
      ]);
      const after = await inDb(w, async (db) => (await db.select({ kind: outbox.kind, status: outbox.status }).from(outbox).where(keyed).orderBy(outbox.id)).map((r) => `${r.kind}:${r.status}`));
      expect(after).toEqual(method === 'sendMessage' ? ['send:unconfirmed', 'photo:sent'] : ['send:sent', 'photo:unconfirmed']);
    }, CASE_TIMEOUT_MS);
  }
});
