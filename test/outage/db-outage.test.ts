/**
 * A database outage under a running `otklik start`: the test owns a throwaway Postgres cluster,
 * stops it for 30 s mid-run and starts it again. When it stops, a card is in flight (Telegram
 * delivers it and answers 10 s late, during the outage) and another waits behind it in the outbox;
 * during the outage a VK complaint arrives and a moderator sends a command and presses a button.
 * Checked: the process stays up (no crash loop), failed job runs log one line, /healthz says 503
 * while the database is down and 200 after, the command and the press get a short Russian
 * «временно недоступна» answer instead of silence; after the restart the pollers resume (no source
 * left broken), the late answer is recorded (no second send, no "may be lost" notice), the waiting
 * card and the new complaint's card are sent once each, and the command and the press are carried
 * out (their updates were only peeked at, never confirmed).
 * Skips when the Postgres server binaries are absent (CI installs Debian's postgresql).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cards as cardsTable, incidents, outbox, posts, sources, users } from '../../src/db/schema.js';
import { openDb } from '../../src/db/client.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-server.js';
import { startVkFake, type VkFake } from '../fakes/vk-server.js';
import { eventually, freePort, spawnOtklik, writeConfig, type OtklikProcess } from '../helpers/otklik-process.js';
import { postgresBinariesPresent, startOwnCluster, type OwnCluster } from '../helpers/pg-own-cluster.js';

const TIMEOUT_MS = 300_000;
const OUTAGE_MS = 30_000;
const BOT_TOKEN = '4444:outage-bot-token';
const GROUP_ID = 51;
const MODERATORS = '-1001';
const MODERATOR = { id: 12, first_name: 'Марк', last_name: 'Модеров', is_bot: false };
const COMPLAINTS = ['На улице Ленина огромная яма на дороге', 'Во дворе дома 5 на Сумской не вывозят мусор', 'В доме 12 на Дзержинского нет горячей воды', 'На Радищева третий день не горит фонарь'];

let cluster: OwnCluster | undefined;
let tg: TelegramFake | undefined;
let vk: VkFake | undefined;
let proc: OtklikProcess | undefined;

beforeAll(async () => {
  if (postgresBinariesPresent()) cluster = await startOwnCluster();
}, 120_000);
afterAll(async () => {
  if (proc?.child.exitCode === null) proc.kill('SIGKILL');
  await tg?.close();
  await vk?.close();
  await cluster?.remove();
}, 120_000);

const cardsIn = (chat: string) => tg!.messages(chat).filter((m) => m.text?.includes('№ '));
async function health(port: number): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(10_000) })).status;
  } catch {
    return 0;
  }
}

describe.skipIf(!postgresBinariesPresent())('database outage (a real Postgres stopped for 30 s under `otklik start`)', () => {
  it('pauses and resumes: the bot says it is degraded, the outbox keeps and sends, nothing is lost or doubled, no crash', async () => {
    const url = cluster!.url;
    const seed = await openDb({ url });
    await seed.db.insert(users).values({ telegramId: MODERATOR.id, name: 'Марк Модеров', role: 'moderator' });
    await seed.close();
    tg = await startTelegramFake();
    vk = await startVkFake();
    vk.addCommunity({ id: GROUP_ID });
    const { path } = writeConfig({
      sources: [{ channel: 'vk', kind: 'wall', ref: `-${GROUP_ID}`, interval: 1 }, { channel: 'telegram', kind: 'bot', ref: 'staff', interval: 1, options: { chats: [] } }],
      chats: { moderators: MODERATORS },
    });
    const port = await freePort();
    proc = spawnOtklik(['start'], {
      OTKLIK_CONFIG: path, DATABASE_URL: url, OTKLIK_INSTANCE: 'outage', OTKLIK_HTTP_PORT: String(port),
      VK_TOKEN: 'outage-vk-token', VK_API_BASE_URL: vk.apiBaseUrl, VK_RPS: '100',
      TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_ROOT: tg.apiRoot, TELEGRAM_LONG_POLL_SEC: '1',
    });
    vk.addPost(GROUP_ID, { text: COMPLAINTS[0]!, from_id: 701 });
    await eventually(() => (cardsIn(MODERATORS).length === 1 ? true : undefined), 150_000, 'first card');
    expect(await health(port)).toBe(200);

    // Two complaints at once: Telegram delivers the first card but answers 10 s late (the database
    // is gone by then: the answer must be recorded once it is back, not sent again nor reported as
    // lost); the second card waits behind it in the outbox (one message at a time per chat).
    tg.failNext('sendMessage', { delayMs: 10_000 });
    vk.addPost(GROUP_ID, { text: COMPLAINTS[1]!, from_id: 702 });
    vk.addPost(GROUP_ID, { text: COMPLAINTS[2]!, from_id: 703 });
    await eventually(() => (tg!.calls.filter((c) => c.method === 'sendMessage').length >= 2 ? true : undefined), 60_000, 'second card in flight');
    await new Promise((r) => setTimeout(r, 1_500)); // the third card is queued meanwhile
    await cluster!.stop();
    const downAt = Date.now();
    expect(cardsIn(MODERATORS)).toHaveLength(2);

    vk.addPost(GROUP_ID, { text: COMPLAINTS[3]!, from_id: 704 });
    // A moderator writes /my and presses «Подтвердить» on the first card while the database is down.
    tg.pushUpdate(BOT_TOKEN, { message: { message_id: 900, date: Math.floor(Date.now() / 1000), chat: { id: MODERATOR.id, type: 'private', first_name: 'Марк' }, from: MODERATOR, text: '/my', entities: [{ type: 'bot_command', offset: 0, length: 3 }] } });
    const card1 = cardsIn(MODERATORS)[0]!;
    const confirm = (card1.replyMarkup as { inline_keyboard: Array<Array<{ text: string; callback_data?: string }>> }).inline_keyboard.flat().find((b) => b.text.startsWith('✅'))!;
    tg.pushUpdate(BOT_TOKEN, { callback_query: { id: 'cq-outage', from: MODERATOR, chat_instance: 'ci', data: confirm.callback_data, message: { message_id: card1.messageId, date: 0, chat: { id: Number(MODERATORS), type: 'supergroup', title: 'Модераторы' }, text: card1.text } } });
    const degraded = await eventually(() => tg!.sent(MODERATOR.id).find((m) => /временно недоступн/.test(String(m.text))), OUTAGE_MS - 5_000, 'a degraded answer to /my');
    expect(String(degraded.text)).toMatch(/^⚠️ /);
    expect(String(degraded.text)).not.toMatch(/Error|at \/|ECONN/);
    const alert = await eventually(() => tg!.callbackAnswers.find((a) => a.callback_query_id === 'cq-outage'), 20_000, 'a degraded answer to the press');
    expect(alert).toMatchObject({ show_alert: true, text: expect.stringMatching(/^Система временно недоступна/) });
    expect(await health(port)).toBe(503);
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - downAt))));
    expect(proc.child.exitCode).toBeNull();
    await cluster!.start();

    await eventually(() => (cardsIn(MODERATORS).length === 4 ? true : undefined), 120_000, 'the waiting card and the new complaint\'s card after the outage');
    await eventually(() => (tg!.sent(MODERATOR.id).some((m) => String(m.text).includes('Открытые инциденты') || String(m.text).includes('Открытых инцидентов нет')) ? true : undefined), 60_000, '/my carried out after the outage');
    await eventually(() => (tg!.messages(MODERATORS)[0]!.text!.includes('Назначен') ? true : undefined), 60_000, 'the press made during the outage carried out');
    await eventually(async () => ((await health(port)) === 200 ? true : undefined), 60_000, '/healthz 200 again');
    // A few more poll cycles: nothing more arrives.
    const polls = vk.requests.length;
    await eventually(() => (vk!.requests.length >= polls + 3 ? true : undefined), 60_000, 'three more polls');
    expect(proc.child.exitCode).toBeNull();
    // The operator's log says what happened in one line per failed job run (no SQL dumps).
    const failedRuns = proc.logs.filter((l) => String(l.msg).startsWith('задание poll не выполнено'));
    expect(failedRuns.length).toBeGreaterThan(0);
    for (const l of failedRuns) expect(String(l.msg)).not.toContain('\n');
    proc.kill('SIGTERM');
    expect((await proc.exited).code, proc.stderr.slice(-10).join('\n')).toBe(0);

    const cards = cardsIn(MODERATORS);
    expect(cards).toHaveLength(4);
    expect(tg.messages(MODERATORS).filter((m) => m.text?.startsWith('⚠️'))).toEqual([]); // no "may not have arrived" notice
    for (const text of COMPLAINTS) expect(cards.filter((c) => c.text!.includes(text.slice(0, 30)))).toHaveLength(1);
    expect(tg.sent(MODERATOR.id).filter((m) => /временно недоступн/.test(String(m.text)))).toHaveLength(1);
    const db = await openDb({ url });
    try {
      expect(await db.db.select().from(posts)).toHaveLength(4);
      expect(await db.db.select().from(incidents)).toHaveLength(4);
      // Every card recorded as sent with its message id (so it can be edited), the late answer included.
      expect((await db.db.select({ status: outbox.status }).from(outbox)).every((r) => r.status === 'sent')).toBe(true);
      expect((await db.db.select({ m: cardsTable.messageId }).from(cardsTable)).map((r) => r.m === null)).toEqual([false, false, false, false]);
      const srcs = await db.db.select({ status: sources.status, kind: sources.kind }).from(sources);
      expect(srcs.every((s) => s.status === 'ok'), JSON.stringify(srcs)).toBe(true);
    } finally {
      await db.close();
    }
  }, TIMEOUT_MS);
});
