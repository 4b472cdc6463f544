/**
 * kill -9 for real during a reply publication: the workflow up to the press service's card is
 * played in-process on the database a spawned `otklik start` then uses (PGlite directory, or a
 * fresh database on TEST_DATABASE_URL); the press presses «Опубликовать» through the fake Bot
 * API, the VK fake holds wall.createComment, and the process is SIGKILLed:
 * - `hold: 'before'`: VK has the request and has not created the comment;
 * - `hold: 'after'`: VK created the comment and the answer never reached the process.
 * The restart re-sends the reply with the same `guid` (VK keeps one comment per guid): one
 * comment in both cases, the reply row published with that comment's id, the incident answered
 * and the press card redrawn as published. Telegram delivers the killed process's press again
 * (its update was never confirmed): that replay is refused instead of publishing a second answer
 * (before this test it made two more comments).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { createInvite } from '../../src/bot/invites.js';
import { incidents, replies } from '../../src/db/schema.js';
import { BOT_TOKEN, CHATS, GROUP_ID, startBotWorld, VK_GROUP, VK_USER, type BotWorld, type Person } from '../bot/world.js';
import type { FakeMessage } from '../fakes/telegram-server.js';
import { eventually, spawnOtklik, writeConfig, type OtklikProcess } from '../helpers/otklik-process.js';
import { processDb, type ProcessDb } from '../helpers/process-db.js';

/** The in-process workflow plus two `otklik start` runs: generous on a loaded 2-core CI machine. */
const CASE_TIMEOUT_MS = 240_000;
const ADMIN: Person = { id: 11, first_name: 'Анна', last_name: 'Админова', is_bot: false };
const MODERATOR: Person = { id: 12, first_name: 'Марк', last_name: 'Модеров', is_bot: false };
const ROADS: Person = { id: 13, first_name: 'Дмитрий', last_name: 'Дорогин', is_bot: false };
const PRESS: Person = { id: 14, first_name: 'Полина', last_name: 'Прессова', is_bot: false };
const ANSWER = 'Яму на ул. Ленина заделали 17 ноября, бригада выезжала утром';

const running: OtklikProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  running.splice(0).forEach((p) => p.child.exitCode === null && p.kill('SIGKILL'));
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

const codeOf = (text: string | undefined) => /start=([\w-]+)/.exec(text ?? '')?.[1] ?? '';

/** Invites, a VK complaint, the moderator confirms, roads take it and answer: the press card waits. Then the in-process app lets go of the database. */
async function playToPressCard(w: BotWorld): Promise<FakeMessage> {
  const first = await createInvite(w.app.db, { role: 'admin', createdBy: 'cli', now: w.clock.now() });
  await w.say(ADMIN, ADMIN.id, `/start ${first.code}`);
  for (const [who, args] of [[MODERATOR, 'moderator'], [ROADS, 'department roads'], [PRESS, 'press']] as const) {
    await w.say(ADMIN, ADMIN.id, `/invite ${args}`);
    await w.say(who, who.id, `/start ${codeOf(w.last(ADMIN.id).text)}`);
  }
  w.vk.addPost(GROUP_ID, { text: 'На улице Ленина огромная яма на дороге, вчера пробил колесо. Когда отремонтируют?', from_id: 777 });
  await w.app.poller.pollOnce({ force: true });
  await w.settle();
  expect(await w.press(MODERATOR, w.last(CHATS.moderators), '✅ Подтвердить')).toBe('Назначено отделу');
  expect(await w.press(ROADS, w.last(CHATS.roads), '🛠 Взять')).toBe('Взято в работу');
  await w.press(ROADS, w.tg.messages(CHATS.roads)[0]!, '✍ Ответить');
  const question = w.last(CHATS.roads);
  await w.say(ROADS, CHATS.roads, ANSWER, { reply_to_message: { message_id: question.messageId, date: 0, chat: { id: Number(CHATS.roads), type: 'supergroup' } } });
  const card = w.tg.messages(CHATS.press)[0]!;
  expect(w.buttons(card)).toContain('📤 Опубликовать');
  w.rt.stop();
  return card;
}

/** The world's installation as a config file for the spawned process. */
function writeWorldConfig(): { dir: string; path: string } {
  const written = writeConfig({
    sources: [{ channel: 'vk', kind: 'wall', ref: `-${GROUP_ID}`, interval: 60 }, { channel: 'telegram', kind: 'bot', ref: 'staff', interval: 1, options: { chats: [] } }],
    chats: { moderators: CHATS.moderators, press: CHATS.press, admins: CHATS.admins },
  });
  const config = parse(readFileSync(written.path, 'utf8')) as { departments: Array<{ code: string; chat?: string }> };
  for (const d of config.departments) if (d.code === 'roads') d.chat = CHATS.roads;
  else if (d.code === 'housing') d.chat = CHATS.housing;
  writeFileSync(written.path, stringify(config));
  return written;
}

function pressButton(w: BotWorld, who: Person, msg: FakeMessage, label: string): void {
  const markup = msg.replyMarkup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> } | undefined;
  const button = markup?.inline_keyboard?.flat().find((b) => b.text.startsWith(label));
  if (!button?.callback_data) throw new Error(`no button "${label}"`);
  w.tg.pushUpdate(BOT_TOKEN, { callback_query: { id: `cq-kill9-${Date.now()}`, from: who, chat_instance: 'ci', data: button.callback_data, message: { message_id: msg.messageId, date: 0, chat: { id: Number(msg.chatId), type: 'supergroup', title: 'Пресс-служба' }, text: msg.text } } });
}

describe('kill -9 during a reply publication (VK: re-sent with the same guid, one comment)', () => {
  for (const hold of ['before', 'after'] as const) {
    const what = hold === 'before' ? 'VK has wall.createComment but has not created the comment' : 'VK created the comment but the answer never reached the process';
    it(`SIGKILL while ${what}: the restart publishes it once (one comment, one published reply, incident answered, card redrawn)`, async () => {
      const { dir, path } = writeWorldConfig();
      const pdb: ProcessDb = await processDb(dir);
      cleanups.push(() => pdb.drop());
      const handle = await pdb.open();
      const w = await startBotWorld(handle);
      cleanups.push(() => w.close());
      let card: FakeMessage;
      try {
        card = await playToPressCard(w);
      } finally {
        await handle.close();
      }
      const env = {
        OTKLIK_CONFIG: path, ...pdb.env, OTKLIK_INSTANCE: `kill9-reply-${hold}`,
        VK_TOKEN: VK_USER, VK_GROUP_TOKEN: VK_GROUP, VK_GROUP_ID: String(GROUP_ID), VK_API_BASE_URL: w.vk.apiBaseUrl,
        TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_ROOT: w.tg.apiRoot, TELEGRAM_LONG_POLL_SEC: '1', OTKLIK_SHUTDOWN_SEC: '10',
      };
      const first = spawnOtklik(['start'], env);
      running.push(first);
      await first.waitForLog((l) => l.msg === 'staff bot started');
      w.vk.failNext('wall.createComment', { hold });
      pressButton(w, PRESS, card, '📤 Опубликовать');
      await eventually(() => (w.vk.requests.some((r) => r.method === 'wall.createComment') ? true : undefined), 90_000, 'wall.createComment in flight');
      first.kill('SIGKILL');
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
      expect(w.vk.state.created).toHaveLength(hold === 'after' ? 1 : 0);
      const atKill = await pdb.open();
      try {
        expect((await atKill.db.select({ status: replies.status }).from(replies)).map((r) => r.status)).toEqual(['sending']);
      } finally {
        await atKill.close();
      }

      const second = spawnOtklik(['start'], env);
      running.push(second);
      expect(await second.waitForLog((l) => l.msg === 'replies interrupted by the last stop')).toMatchObject({ resent: 1, unconfirmed: 0 });
      await eventually(() => (w.tg.messages(CHATS.press)[0]?.text?.includes('Ответ опубликован') ? true : undefined), 90_000, 'press card redrawn as published');
      // Telegram delivers the press again (its update was never confirmed by the killed process): refused, not a second answer.
      await eventually(() => (w.tg.callbackAnswers.some((a) => a.text === 'Не получилось: ответ уже опубликован или отправляется') ? true : undefined), 60_000, 'the replayed press refused');
      second.kill('SIGTERM');
      expect((await second.exited).code, second.stderr.slice(-10).join('\n')).toBe(0);

      const created = w.vk.state.created;
      expect(created).toHaveLength(1);
      const guids = w.vk.requests.filter((r) => r.method === 'wall.createComment').map((r) => r.params.guid);
      expect(guids).toHaveLength(2);
      expect(new Set(guids).size).toBe(1);
      const db = await pdb.open();
      try {
        const rows = await db.db.select().from(replies);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ status: 'published', idempotencyKey: guids[0] });
        expect(rows[0]!.externalId).toMatch(new RegExp(`_c${created[0]!.id}$`));
        const [inc] = await db.db.select().from(incidents);
        expect(inc!.status).toBe('answered');
      } finally {
        await db.close();
      }
    }, CASE_TIMEOUT_MS);
  }
});
