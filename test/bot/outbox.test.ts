import { eq, sql } from 'drizzle-orm';
import { Telegram } from 'telegraf';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOutboxNotifier } from '../../src/bot/notifier.js';
import { enqueueMessage, showCard } from '../../src/bot/outbox.js';
import { createOutboxSender } from '../../src/bot/sender.js';
import { ManualClock } from '../../src/clock.js';
import { outbox } from '../../src/db/schema.js';
import { createLogger } from '../../src/log.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-server.js';
import { openTestDb } from '../helpers/db.js';
import { testInstallation } from '../helpers/app.js';

const TOKEN = '222:outbox-token';
const log = createLogger({ level: 'silent' });
let db: Awaited<ReturnType<typeof openTestDb>>;
let fake: TelegramFake;
let clock: ManualClock;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await fake?.close();
  await db.close();
});
beforeEach(async () => {
  await db.db.execute(sql`truncate outbox, cards restart identity`);
  await fake?.close();
  clock = new ManualClock('2026-11-16T09:00:00+03:00');
  fake = await startTelegramFake({ now: () => clock.now().getTime() });
});

const sender = (instance = 'a') => createOutboxSender({ db: db.db, telegram: new Telegram(TOKEN, { apiRoot: fake.apiRoot }), clock, log, instance });

describe('outbox sender', () => {
  it('sends 500 cards to one group chat in order without breaking the per-chat and per-group limits', { timeout: 180_000 }, async () => {
    // 500 queued cards in one statement (the sender, not the queueing, is under test).
    const now = clock.now();
    await db.db.insert(outbox).values(Array.from({ length: 500 }, (_, i) => ({ chatId: '-1001', kind: 'send' as const, payload: { text: `Карточка ${i + 1}`, parse_mode: 'HTML' }, notBefore: now, createdAt: now })));
    const start = clock.now().getTime();
    const r = await sender().drainAll();
    expect(r.sent).toBe(500);
    const texts = fake.messages(-1001).map((m) => m.text);
    expect(texts).toEqual(Array.from({ length: 500 }, (_, i) => `Карточка ${i + 1}`));
    expect(fake.limitViolations()).toEqual([]);
    // 20 a minute to one group: 500 cards take at least 24 minutes of (simulated) time.
    expect(clock.now().getTime() - start).toBeGreaterThanOrEqual(24 * 60_000);
  });

  it('a 429 storm loses and duplicates nothing', async () => {
    for (let i = 0; i < 60; i++) await enqueueMessage(db.db, { chatId: String(1000 + (i % 6)), html: `сообщение ${i}` }, clock.now());
    const s = sender();
    await s.drainOnce();
    fake.failNext('*', { code: 429, retryAfter: 3 }, 25);
    await s.drainAll();
    const texts = fake.sent().map((p) => p.text).sort();
    expect(texts).toEqual(Array.from({ length: 60 }, (_, i) => `сообщение ${i}`).sort());
    const rows = await db.db.select().from(outbox);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(fake.calls.filter((c) => c.method === 'sendMessage').length).toBe(60 + 25);
  });

  it('keeps each chat in order even when a 429 pauses it', async () => {
    for (let i = 0; i < 5; i++) await enqueueMessage(db.db, { chatId: '77', html: `шаг ${i}` }, clock.now());
    fake.failNext('sendMessage', { code: 429, retryAfter: 5 }, 2);
    await sender().drainAll();
    expect(fake.messages(77).map((m) => m.text)).toEqual(['шаг 0', 'шаг 1', 'шаг 2', 'шаг 3', 'шаг 4']);
  });

  it('coalesces edits of one card to its latest state', async () => {
    const card = (html: string) => showCard(db.db, { incidentId: 1, chatId: '-1002', kind: 'moderator', html, keyboard: [[{ text: 'ok', data: 'c:x' }]] }, clock.now());
    await card('v1');
    await card('v2');
    await card('v3');
    const s = sender();
    await s.drainAll();
    expect(fake.messages(-1002).map((m) => m.text)).toEqual(['v3']);
    for (let i = 4; i <= 9; i++) await card(`v${i}`);
    await card('v9'); // unchanged: no edit at all
    await s.drainAll();
    const [msg] = fake.messages(-1002);
    expect(msg).toMatchObject({ text: 'v9', edits: 1 });
    expect(fake.calls.filter((c) => c.method === 'editMessageText')).toHaveLength(1);
  });

  it('a send claimed by a drainer that died is not sent again once its claim expires: unconfirmed, and the chat is told (at most once)', async () => {
    await enqueueMessage(db.db, { chatId: '5', html: 'Отчёт <b>после</b> перезапуска' }, clock.now());
    // The process died after claiming the row: Telegram may or may not have the message.
    await db.db.update(outbox).set({ status: 'sending', claimedBy: 'dead', claimedUntil: new Date(clock.now().getTime() + 60_000) });
    const r = await sender('b').drainAll();
    expect(r.sent).toBe(1); // the notice only
    expect(fake.sent(5).map((m) => m.text)).toEqual(['⚠️ Бот перезапустился во время отправки сообщения «Отчёт после перезапуска»: оно могло не дойти и повторно не отправляется.']);
    const rows = await db.db.select().from(outbox).orderBy(outbox.id);
    expect(rows.map((x) => [x.status, x.key])).toEqual([['unconfirmed', null], ['sent', `unconfirmed:${rows[0]!.id}`]]);
    await sender('c').drainAll(); // a later round tells nobody twice
    expect(fake.sent(5)).toHaveLength(1);
  });

  it('a send whose connection breaks mid-call (delivered, answer lost) is not sent again: unconfirmed, the chat told once', async () => {
    await enqueueMessage(db.db, { chatId: '6', html: 'Сводка <b>за день</b>' }, clock.now());
    fake.failNext('sendMessage', { drop: 'after' });
    await sender().drainAll();
    expect(fake.sent(6).map((m) => m.text)).toEqual(['Сводка <b>за день</b>', '⚠️ Связь с Telegram оборвалась во время отправки сообщения «Сводка за день»: оно могло не дойти и повторно не отправляется.']);
    const rows = await db.db.select().from(outbox).orderBy(outbox.id);
    expect(rows.map((x) => x.status)).toEqual(['unconfirmed', 'sent']);
    await sender('b').drainAll();
    expect(fake.sent(6)).toHaveLength(2);
  });

  it('an edit whose connection breaks mid-call is simply done again; a refused connection is retried (nothing reached Telegram)', async () => {
    const card = (html: string) => showCard(db.db, { incidentId: 1, chatId: '-1003', kind: 'moderator', html, keyboard: [[{ text: 'ok', data: 'c:x' }]] }, clock.now());
    await card('v1');
    await sender().drainAll();
    await card('v2');
    fake.failNext('editMessageText', { drop: 'before' });
    await sender().drainAll();
    expect(fake.messages(-1003)).toHaveLength(1);
    expect(fake.messages(-1003)[0]).toMatchObject({ text: 'v2' });
    // Nothing listens on the port: the row waits and goes out once Telegram is reachable.
    await enqueueMessage(db.db, { chatId: '7', html: 'после обрыва' }, clock.now());
    const closed = await startTelegramFake();
    const nowhere = closed.apiRoot;
    await closed.close();
    const r = await createOutboxSender({ db: db.db, telegram: new Telegram(TOKEN, { apiRoot: nowhere }), clock, log, instance: 'a' }).drainOnce();
    expect(r.deferred).toBe(1);
    const [row] = await db.db.select().from(outbox).where(eq(outbox.chatId, '7'));
    expect(row).toMatchObject({ status: 'pending', lastError: expect.stringContaining('ECONNREFUSED') });
    await sender().drainAll();
    expect(fake.sent(7).map((m) => m.text)).toEqual(['после обрыва']);
  });

  it('an edit claimed by a drainer that died is simply done again (editing is idempotent)', async () => {
    const card = (html: string) => showCard(db.db, { incidentId: 1, chatId: '-1002', kind: 'moderator', html, keyboard: [[{ text: 'ok', data: 'c:x' }]] }, clock.now());
    await card('v1');
    await sender('a').drainAll();
    await card('v2');
    await db.db.update(outbox).set({ status: 'sending', claimedBy: 'dead', claimedUntil: new Date(clock.now().getTime() + 60_000) }).where(eq(outbox.kind, 'edit'));
    await sender('b').drainAll();
    expect(fake.messages(-1002)).toHaveLength(1);
    expect(fake.messages(-1002)[0]).toMatchObject({ text: 'v2', edits: 1 });
  });

  it('two drainers on one database never send a row twice', async () => {
    for (let i = 0; i < 40; i++) await enqueueMessage(db.db, { chatId: String(2000 + i), html: `m${i}` }, clock.now());
    const a = sender('a');
    const b = sender('b');
    // Both drain at once, round by round (one shared manual clock: neither may sleep past the other's claims).
    for (let round = 0; round < 100; round++) {
      const [ra, rb] = await Promise.all([a.drainOnce(), b.drainOnce()]);
      if (ra.nextAt === null && rb.nextAt === null) break;
      clock.advance(1000);
    }
    expect(fake.sent()).toHaveLength(40);
    expect(new Set(fake.sent().map((p) => p.text)).size).toBe(40);
  });

  it('a definite "no" (chat not found) is kept as failed, not retried', async () => {
    await enqueueMessage(db.db, { chatId: '9', html: 'в никуда' }, clock.now());
    fake.failNext('sendMessage', { code: 400 });
    const r = await sender().drainAll();
    expect(r.failed).toBe(1);
    const [row] = await db.db.select().from(outbox).where(eq(outbox.chatId, '9'));
    expect(row).toMatchObject({ status: 'failed', lastError: expect.stringContaining('chat not found') });
  });
});

describe('outbox notifier', () => {
  it('splits a notice longer than Telegram allows at line breaks, every part once', async () => {
    const installation = { ...testInstallation(), chats: { admins: '-1004' } };
    const notifier = createOutboxNotifier({ db: db.db, installation, clock, log });
    const html = Array.from({ length: 300 }, (_, i) => `строка отчёта номер ${i} — <b>${i}</b>`).join('\n');
    await notifier.send('admins', { html, key: 'long:1' });
    await notifier.send('admins', { html, key: 'long:1' });
    await sender().drainAll();
    const texts = fake.messages(-1004).map((m) => m.text ?? '');
    expect(texts.length).toBeGreaterThan(2);
    expect(texts.every((t) => t.length <= 4000)).toBe(true);
    expect(texts.join('\n')).toBe(html);
  });

  it('sends a keyed message once, with its photo, across notifier instances (restart)', async () => {
    const installation = { ...testInstallation(), chats: { managers: '-1003' } };
    const make = () => createOutboxNotifier({ db: db.db, installation, clock, log });
    const msg = { html: '<b>Отчёт</b>', photo: { filename: 'chart.png', data: new Uint8Array([1, 2, 3]) }, key: 'weekly_report:2026-11-16' };
    await make().send('managers', msg);
    await make().send('managers', msg);
    await sender().drainAll();
    expect(fake.messages(-1003).map((m) => m.text ?? (m.photo ? 'photo' : ''))).toEqual(['<b>Отчёт</b>', 'photo']);
    expect(fake.uploads).toEqual([{ chatId: '-1003', method: 'sendPhoto', filename: 'chart.png', size: 3 }]);
  });
});
