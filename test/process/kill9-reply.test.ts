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
import type { Installation } from '../../src/config/installation.js';
import { BOT_TOKEN, CHATS, GROUP_ID, startBotWorld, VK_GROUP, VK_USER, worldInstallation, type BotWorld, type Person } from '../bot/world.js';
import type { FakeMessage } from '../fakes/telegram-server.js';
import { eventually, spawnOtklik, writeConfig, type OtklikProcess } from '../helpers/otklik-process.js';
import { processDb, type ProcessDb } from '../helpers/process-db.js';

/** The in-process workflow plus two `otklik start` runs: generous on a loaded 2-core CI machine. */
const CASE_TIMEOUT_MS = 240_000;
const ADMIN: Person = { id: 11, first_name: 'Анна', last_name: 'Админова', is_bot: false };
const MODERATOR: Person = { id: 12, first_name: 'Марк', last_name: 'Модеров', is_bot: false };
const ROADS: Person = { id: 13, first_name: 'Дмитрий', last_name: 'Дорогин', is_bot: false };
const PRESS: Person = { id: 14, first_name: 'Полина', last_name: 'Прессова', is_bot: false };
/** A citizens' group the staff bot monitors (the Telegram case). */
const CITIZENS = '-100777';
const ANSWER = 'Яму на ул. Ленина заделали 17 ноября, бригада выезжала утром';

const running: OtklikProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  running.splice(0).forEach((p) => p.child.exitCode === null && p.kill('SIGKILL'));
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

const codeOf = (text: string | undefined) => /start=([\w-]+)/.exec(text ?? '')?.[1] ?? '';

/** Invites, a VK complaint, the moderator confirms, roads take it and answer: the press card waits. Then the in-process app lets go of the database. */
async function playToPressCard(w: BotWorld, channel: 'vk' | 'telegram'): Promise<FakeMessage> {
  const first = await createInvite(w.app.db, { role: 'admin', createdBy: 'cli', now: w.clock.now() });
  await w.say(ADMIN, ADMIN.id, `/start ${first.code}`);
  for (const [who, args] of [[MODERATOR, 'moderator'], [ROADS, 'department roads'], [PRESS, 'press']] as const) {
    await w.say(ADMIN, ADMIN.id, `/invite ${args}`);
    await w.say(who, who.id, `/start ${codeOf(w.last(ADMIN.id).text)}`);
  }
  const complaint = 'На улице Ленина огромная яма на дороге, вчера пробил колесо. Когда отремонтируют?';
  if (channel === 'vk') w.vk.addPost(GROUP_ID, { text: complaint, from_id: 777 });
  else w.tg.pushUpdate(BOT_TOKEN, { message: { message_id: 55, date: Math.floor(w.clock.now().getTime() / 1000), chat: { id: Number(CITIZENS), type: 'supergroup', title: 'Жители' }, from: { id: 999, is_bot: false, first_name: 'Житель' }, text: complaint } });
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
    sources: [{ channel: 'vk', kind: 'wall', ref: `-${GROUP_ID}`, interval: 60 }, { channel: 'telegram', kind: 'bot', ref: 'staff', interval: 1, options: { chats: [Number(CITIZENS)] } }],
    chats: { moderators: CHATS.moderators, press: CHATS.press, admins: CHATS.admins },
  });
  const config = parse(readFileSync(written.path, 'utf8')) as { departments: Array<{ code: string; chat?: string }> };
  for (const d of config.departments) if (d.code === 'roads') d.chat = CHATS.roads;
  else if (d.code === 'housing') d.chat = CHATS.housing;
  writeFileSync(written.path, stringify(config));
  return written;
}

function worldWithCitizens(): Installation {
  const base = worldInstallation();
  return { ...base, sources: base.sources.map((src) => (src.channel === 'telegram' ? { ...src, options: { chats: [Number(CITIZENS)] } } : src)) };
}

function pressButton(w: BotWorld, who: Person, msg: FakeMessage, label: string): void {
  const markup = msg.replyMarkup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> } | undefined;
  const button = markup?.inline_keyboard?.flat().find((b) => b.text.startsWith(label));
  if (!button?.callback_data) throw new Error(`no button "${label}"`);
  w.tg.pushUpdate(BOT_TOKEN, { callback_query: { id: `cq-kill9-${Date.now()}`, from: who, chat_instance: 'ci', data: button.callback_data, message: { message_id: msg.messageId, date: 0, chat: { id: Number(msg.chatId), type: 'supergroup', title: 'Пресс-служба' }, text: msg.text } } });
}

interface Killed {
  w: BotWorld;
  pdb: ProcessDb;
  env: Record<string, string>;
}

/** Plays to the press card, starts `otklik start`, presses «Опубликовать» with the request held, SIGKILLs it. */
async function killDuringPublish(channel: 'vk' | 'telegram', hold: 'before' | 'after', inFlight: (w: BotWorld) => boolean): Promise<Killed> {
  const { dir, path } = writeWorldConfig();
  const pdb: ProcessDb = await processDb(dir);
  cleanups.push(() => pdb.drop());
  const handle = await pdb.open();
  const w = await startBotWorld(handle, { installation: worldWithCitizens() });
  cleanups.push(() => w.close());
  let card: FakeMessage;
  try {
    card = await playToPressCard(w, channel);
  } finally {
    await handle.close();
  }
  const env = {
    OTKLIK_CONFIG: path, ...pdb.env, OTKLIK_INSTANCE: `kill9-reply-${channel}-${hold}`,
    VK_TOKEN: VK_USER, VK_GROUP_TOKEN: VK_GROUP, VK_GROUP_ID: String(GROUP_ID), VK_API_BASE_URL: w.vk.apiBaseUrl,
    TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_ROOT: w.tg.apiRoot, TELEGRAM_LONG_POLL_SEC: '1', OTKLIK_SHUTDOWN_SEC: '10',
  };
  const first = spawnOtklik(['start'], env);
  running.push(first);
  await first.waitForLog((l) => l.msg === 'staff bot started');
  if (channel === 'vk') w.vk.failNext('wall.createComment', { hold });
  else w.tg.failNext('sendMessage', { hold });
  pressButton(w, PRESS, card, '📤 Опубликовать');
  await eventually(() => (inFlight(w) ? true : undefined), 90_000, 'the reply in flight');
  first.kill('SIGKILL');
  expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
  const atKill = await pdb.open();
  try {
    expect((await atKill.db.select({ status: replies.status }).from(replies)).map((r) => r.status)).toEqual(['sending']);
  } finally {
    await atKill.close();
  }
  return { w, pdb, env };
}

function restart(env: Record<string, string>): OtklikProcess {
  const p = spawnOtklik(['start'], env);
  running.push(p);
  return p;
}

async function stop(p: OtklikProcess): Promise<void> {
  p.kill('SIGTERM');
  expect((await p.exited).code, p.stderr.slice(-10).join('\n')).toBe(0);
}

describe('kill -9 during a reply publication (VK: re-sent with the same guid, one comment)', () => {
  for (const hold of ['before', 'after'] as const) {
    const what = hold === 'before' ? 'VK has wall.createComment but has not created the comment' : 'VK created the comment but the answer never reached the process';
    it(`SIGKILL while ${what}: the restart publishes it once (one comment, one published reply, incident answered, card redrawn)`, async () => {
      const { w, pdb, env } = await killDuringPublish('vk', hold, (x) => x.vk.requests.some((r) => r.method === 'wall.createComment'));
      expect(w.vk.state.created).toHaveLength(hold === 'after' ? 1 : 0);

      const second = restart(env);
      expect(await second.waitForLog((l) => l.msg === 'replies interrupted by the last stop')).toMatchObject({ resent: 1, unconfirmed: 0 });
      await eventually(() => (w.tg.messages(CHATS.press)[0]?.text?.includes('Ответ опубликован') ? true : undefined), 90_000, 'press card redrawn as published');
      // Telegram delivers the press again (its update was never confirmed by the killed process): refused, not a second answer.
      await eventually(() => (w.tg.callbackAnswers.some((a) => a.text === 'Не получилось: ответ уже опубликован или отправляется') ? true : undefined), 60_000, 'the replayed press refused');
      await stop(second);

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

describe('kill -9 during a reply publication (Telegram: no idempotency key, so never resent by itself)', () => {
  const toCitizens = (w: BotWorld) => w.tg.calls.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === CITIZENS);
  for (const hold of ['before', 'after'] as const) {
    const what = hold === 'before' ? 'the Bot API has the reply but has not delivered it' : 'the reply was delivered but the answer never reached the process';
    it(`SIGKILL while ${what}: the restart marks it unconfirmed for the press service and sends nothing${hold === 'before' ? '; «Отправить снова» pressed by a person delivers it once' : ''}`, async () => {
      const { w, pdb, env } = await killDuringPublish('telegram', hold, (x) => toCitizens(x).length > 0);
      expect(w.tg.messages(CITIZENS)).toHaveLength(hold === 'after' ? 1 : 0);

      const second = restart(env);
      expect(await second.waitForLog((l) => l.msg === 'replies interrupted by the last stop')).toMatchObject({ resent: 0, unconfirmed: 1 });
      const card = await eventually(() => {
        const c = w.tg.messages(CHATS.press)[0]!;
        return w.buttons(c).includes('🔁 Отправить снова') ? c : undefined;
      }, 90_000, 'press card asks a person');
      expect(w.buttons(card)).toEqual(['🔗 Опубликовано — дать ссылку', '🔁 Отправить снова']);
      await eventually(() => (w.tg.callbackAnswers.some((a) => a.text === 'Не получилось: ответ уже опубликован или отправляется') ? true : undefined), 60_000, 'the replayed press refused');
      if (hold === 'before') {
        pressButton(w, PRESS, card, '🔁 Отправить снова');
        await eventually(() => (w.tg.messages(CITIZENS).length === 1 ? true : undefined), 60_000, 'the reply sent again by a person\'s decision');
      }
      // More intake rounds and sender rounds: nothing else reaches the citizens' chat.
      const rounds = w.tg.calls.length;
      await eventually(() => (w.tg.calls.length >= rounds + 3 ? true : undefined), 60_000, 'three more Bot API calls');
      await stop(second);

      expect(w.tg.messages(CITIZENS)).toHaveLength(1);
      expect(w.tg.messages(CITIZENS)[0]!.text).toContain('Здравствуйте');
      const db = await pdb.open();
      try {
        const rows = await db.db.select().from(replies);
        expect(rows.map((r) => r.status)).toEqual([hold === 'before' ? 'published' : 'unconfirmed']);
      } finally {
        await db.close();
      }
    }, CASE_TIMEOUT_MS);
  }
});
