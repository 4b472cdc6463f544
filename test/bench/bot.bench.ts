/**
 * `npm run bench:bot`: the staff bot against the local fake Bot API, on the real clock.
 * 1. Cards per second through the outbox (600 cards over 60 private chats, Telegram's limits on),
 *    beside a raw baseline: the same sendMessage calls made directly, one after another.
 * 2. Press → edited card latency over 200 presses ("take in work" on department cards in 20
 *    group chats, spaced so no chat breaks its limits): from the update reaching the fake to
 *    the fake receiving editMessageText, through the long-poll intake, the telegraf bot, the
 *    database, the outbox and the sender.
 * Prints a table: throughput, ratio to the baseline, p50/p95, CPU seconds, RSS.
 */
import { Telegram } from 'telegraf';
import { createTelegramAdapter } from '../../adapters/telegram/index.js';
import { createApp } from '../../src/app/app.js';
import { syncCards } from '../../src/bot/card-sync.js';
import { createInvite } from '../../src/bot/invites.js';
import { enqueueMessage } from '../../src/bot/outbox.js';
import { createStaffRuntime } from '../../src/bot/runtime.js';
import { systemClock } from '../../src/clock.js';
import { readEnv } from '../../src/config/env.js';
import { openDb } from '../../src/db/client.js';
import { incidents, outbox } from '../../src/db/schema.js';
import { createLogger } from '../../src/log.js';
import { startTelegramFake } from '../fakes/telegram-server.js';
import { testInstallation } from '../helpers/app.js';

const TOKEN = '777:bench-token';
const CHATS = 20;
const PRESSES = 200;
const CARDS = 600;

const cpu = () => process.cpuUsage();
const cpuSec = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function main() {
  const tg = await startTelegramFake({ enforceLimits: true });
  const base = testInstallation([{ channel: 'telegram', kind: 'bot', ref: 'staff', enabled: true, interval: 60, options: { chats: [] } }]);
  const departments = Array.from({ length: CHATS }, (_, i) => ({ code: `d${i}`, name: `Отдел ${i}`, chat: String(-3000 - i) }));
  const installation = { ...base, departments: [...base.departments, ...departments], chats: {} };
  const handle = await openDb({ dataDir: 'memory://' });
  const app = await createApp({
    env: readEnv({ LOG_LEVEL: 'silent' }),
    installation,
    clock: systemClock,
    log: createLogger({ level: 'silent' }),
    db: handle,
    createAdapters: (deps) => new Map([['telegram', createTelegramAdapter({ bot: { token: TOKEN, apiRoot: tg.apiRoot, onUpdate: deps.onTelegramUpdate, longPollSec: deps.telegramLongPollSec } })]]),
  });
  const rt = await createStaffRuntime(app, { token: TOKEN, apiRoot: tg.apiRoot, instance: 'bench' });
  app.staffIntake.longPollSec = 25;
  const abort = new AbortController();
  const senderDone = rt.sender.run(abort.signal, 50);

  // 1. Raw baseline and the outbox.
  const raw = new Telegram(TOKEN, { apiRoot: tg.apiRoot });
  const rawFake = await startTelegramFake();
  const rawTg = new Telegram(TOKEN, { apiRoot: rawFake.apiRoot });
  let t = performance.now();
  let c = cpu();
  for (let i = 0; i < CARDS; i++) await rawTg.sendMessage(10_000 + (i % 60), `карточка ${i}`);
  const rawRate = CARDS / ((performance.now() - t) / 1000);
  const rawCpu = cpuSec(c);
  await rawFake.close();
  void raw;

  t = performance.now();
  c = cpu();
  const now = new Date();
  for (let i = 0; i < CARDS; i++) await enqueueMessage(app.db, { chatId: String(20_000 + (i % 60)), html: `карточка ${i}` }, now);
  rt.sender.wake();
  while (tg.sent().length < CARDS) await new Promise((r) => setTimeout(r, 20));
  const outboxRate = CARDS / ((performance.now() - t) / 1000);
  const outboxCpu = cpuSec(c);

  // 2. Press → edited card.
  const admin = { id: 99, is_bot: false, first_name: 'Админ' };
  const inv = await createInvite(app.db, { role: 'admin', createdBy: 'bench', now: new Date() });
  const { redeemInvite } = await import('../../src/bot/invites.js');
  await redeemInvite(app.db, inv.code, { telegramId: admin.id, name: 'Админ' }, new Date());
  const ids: number[] = [];
  for (let i = 0; i < PRESSES; i++) {
    const [row] = await app.db
      .insert(incidents)
      .values({ status: 'assigned', kind: 'complaint', channel: 'vk', firstPostId: 1, summary: `Инцидент ${i}`, departmentCode: `d${i % CHATS}`, detectedAt: new Date(), deadlineAt: new Date(Date.now() + 86_400_000), updatedAt: new Date() })
      .returning({ id: incidents.id });
    ids.push(row!.id);
    await syncCards(rt.deps, row!.id);
  }
  const sentBefore = tg.sent().length;
  while (tg.sent().length < sentBefore + PRESSES) await new Promise((r) => setTimeout(r, 50));
  // The cards just used up part of each group's 20-a-minute budget: start the presses on a fresh window.
  await new Promise((r) => setTimeout(r, 61_000));
  const intake = (async () => {
    while (!abort.signal.aborted) await rt.intakeOnce().catch(() => undefined);
  })();
  const latencies: number[] = [];
  c = cpu();
  t = performance.now();
  for (let i = 0; i < PRESSES; i++) {
    const chatId = String(-3000 - (i % CHATS));
    const msg = tg.messages(chatId)[Math.floor(i / CHATS)]!;
    const markup = msg.replyMarkup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
    const take = markup.inline_keyboard.flat().find((b) => b.text.startsWith('🛠'))!;
    const edited = new Promise<number>((resolve) => {
      const check = () => (msg.edits > 0 ? resolve(performance.now()) : setTimeout(check, 1));
      check();
    });
    const start = performance.now();
    tg.pushUpdate(TOKEN, { callback_query: { id: `b${i}`, from: admin, chat_instance: 'c', data: take.callback_data, message: { message_id: msg.messageId, date: 0, chat: { id: Number(chatId), type: 'supergroup', title: 'x' } } } });
    latencies.push((await edited) - start);
    // 20 chats in turn, ≥ 3 s apart per chat: within 1/s per chat and 20/min per group.
    const next = start + 3_100 / CHATS;
    const wait = next - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const pressCpu = cpuSec(c);
  const pressWall = (performance.now() - t) / 1000;
  abort.abort();
  await Promise.race([intake, new Promise((r) => setTimeout(r, 100))]);
  await senderDone;
  const failed = (await app.db.select().from(outbox)).filter((r) => r.status === 'failed').length;

  const rss = Math.round(process.memoryUsage().rss / 1024 / 1024);
  const rows = [
    ['raw sendMessage, sequential (baseline)', `${rawRate.toFixed(1)} msg/s`, '1.00', `${rawCpu.toFixed(2)}`, ''],
    ['outbox → sender (limits on)', `${outboxRate.toFixed(1)} cards/s`, (outboxRate / rawRate).toFixed(2), `${outboxCpu.toFixed(2)}`, ''],
    [`press → edited card (${PRESSES} presses)`, `p50 ${pct(latencies, 50).toFixed(0)} ms, p95 ${pct(latencies, 95).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`, '', `${pressCpu.toFixed(2)} (${pressWall.toFixed(0)} s wall)`, ''],
  ];
  console.log('| measure | result | ratio to baseline | CPU s | ');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.slice(0, 4).join(' | ')} |`);
  console.log(`\nRSS ${rss} MB; limit violations seen by the fake: ${tg.limitViolations().length}; failed outbox rows: ${failed}. Machine shared with other work: re-measure on a quiet one.`);
  await tg.close();
  await handle.close();
  process.exit(0);
}

await main();
