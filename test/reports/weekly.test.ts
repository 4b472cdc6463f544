import { Telegram } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/app.js';
import { createOutboxSender } from '../../src/bot/sender.js';
import { ManualClock } from '../../src/clock.js';
import { readEnv } from '../../src/config/env.js';
import { incidents, posts } from '../../src/db/schema.js';
import { createLogger } from '../../src/log.js';
import { buildWeeklyReport, isNotable } from '../../src/reports/weekly.js';
import { renderWeeklyHtml } from '../../src/reports/weekly-html.js';
import { sendWeeklyReport } from '../../src/reports/weekly-job.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-server.js';
import { createTestApp, testInstallation } from '../helpers/app.js';
import { openTestDb } from '../helpers/db.js';

const TOKEN = '333:weekly-token';
const MANAGERS = '-100500';
const H = 3_600_000;
const WEEK = new Date('2026-11-16T00:00:00+03:00');
const at = (h: number, base = WEEK) => new Date(base.getTime() + h * H);

/** Seeds a week: `n` incidents per group and department, every third answered late, one merged problem. */
async function seed(app: App, base: Date, prefix: string, plan: Array<{ dept: string; group: string; n: number }>): Promise<void> {
  let i = 0;
  for (const p of plan) {
    for (let k = 0; k < p.n; k++, i++) {
      const [post] = await app.db.insert(posts).values({ channel: i % 2 ? 'vk' : 'ok', externalId: `${prefix}${i}`, text: `текст ${prefix}${i}`, publishedAt: at(10 + i, base), fetchedAt: at(10 + i, base), decidedKind: 'complaint', processedAt: at(10 + i, base) }).returning();
      const answered = k % 3 === 0 ? at(30 + i, base) : at(11 + i, base);
      await app.db.insert(incidents).values({
        status: 'answered', kind: 'complaint', topic: 'Тема', topicGroup: p.group, departmentCode: p.dept, channel: i % 2 ? 'vk' : 'ok', firstPostId: post!.id,
        postsCount: i === 0 ? 4 : 1, summary: `Проблема <${prefix}${i}>`, detectedAt: at(10 + i, base), deadlineAt: at(18 + i, base), firstResponseAt: answered, answeredAt: answered, updatedAt: answered,
        address: { settlement: 'Курск', street: 'улица Ленина', house: String(i % 2) },
      });
    }
  }
}

describe('weekly report', () => {
  let h: Awaited<ReturnType<typeof openTestDb>>;
  let fake: TelegramFake;
  const clock = new ManualClock('2026-11-23T09:00:00+03:00');
  const apps: App[] = [];
  beforeAll(async () => {
    h = await openTestDb();
    fake = await startTelegramFake({ now: () => clock.now().getTime() });
    const installation = { ...testInstallation(), chats: { managers: MANAGERS }, reports: { min_incidents: 3 } };
    const env = readEnv({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.apiRoot });
    for (let i = 0; i < 2; i++) apps.push(await createTestApp(h, { env, installation, clock }));
    await seed(apps[0]!, new Date(WEEK.getTime() - 7 * 24 * H), 'p', [{ dept: 'housing', group: 'ЖКХ', n: 3 }, { dept: 'roads', group: 'Дороги', n: 3 }]);
    await seed(apps[0]!, WEEK, 'w', [{ dept: 'housing', group: 'ЖКХ', n: 9 }, { dept: 'roads', group: 'Дороги', n: 4 }, { dept: 'culture', group: 'Культура', n: 1 }]);
  });
  afterAll(async () => {
    await fake?.close();
    await h?.close();
  });

  it('ranks departments with enough incidents by on-time share and flags notable week-over-week shifts', async () => {
    const w = await buildWeeklyReport({ db: h.db, calendar: apps[0]!.calendar, minIncidents: 3 }, WEEK, clock.now());
    expect(w.week.incidents).toBe(14);
    expect(w.ranking.map((d) => d.key)).toEqual(['housing', 'roads']); // 6 of 9 on time, then 2 of 4; culture has 1 < 3
    expect(w.ranking[1]!.onTimeShare).toBe(0.5);
    expect(w.shifts).toContainEqual({ what: 'группа тем', label: 'ЖКХ', now: 9, before: 3 });
    expect(w.shifts.find((s) => s.label === 'Дороги')).toBeUndefined(); // 4 vs 3: under the threshold
    expect(w.largest[0]).toMatchObject({ posts: 4 });
    expect(w.addresses[0]).toMatchObject({ address: 'Курск, улица Ленина, 0' });
    expect(w.chart.weekly.map((x) => x.week)).toEqual(['09.11', '09.11', '16.11', '16.11', '16.11']);
    const html = renderWeeklyHtml(w, 'Europe/Moscow', 'Курск');
    expect(html).toContain('Проблема &lt;w0&gt;'); // user text escaped
    expect(html).toContain('Новых инцидентов: <b>14</b> (прошлая неделя – 6; +8 (+133,3%))');
    expect(isNotable(4, 3)).toBe(false);
    expect(isNotable(6, 3)).toBe(true);
  });

  it('reaches the managers\' chat of the fake Bot API exactly once with two instances running the job', async () => {
    const keys = await Promise.all(apps.map((a) => sendWeeklyReport(a)));
    expect(keys).toEqual(['weekly_report:2026-11-16', 'weekly_report:2026-11-16']);
    await sendWeeklyReport(apps[1]!); // a restart running the job again
    const log = createLogger({ level: 'silent' });
    // Both instances drain the outbox at the same time, round by round: each round both claim
    // and send concurrently, then the simulated clock moves 1 s. (Not drainAll() per sender: a
    // drainer that finds the other's claim sleeps until it expires, which on a manual clock is
    // instant — the claim "expires" while the other's send is still in flight and the row is
    // settled as interrupted. In real time a 60 s claim outlives a send; see src/bot/sender.ts.)
    const senders = ['a', 'b'].map((instance) => createOutboxSender({ db: h.db, telegram: new Telegram(TOKEN, { apiRoot: fake.apiRoot }), clock, log, instance }));
    const sentBy = { a: 0, b: 0 };
    for (let round = 0; round < 120; round++) {
      const results = await Promise.all(senders.map((s) => s.drainOnce()));
      results.forEach((r, i) => (sentBy[i ? 'b' : 'a'] += r.sent));
      if (results.every((r) => r.nextAt === null)) break;
      clock.advance(1000);
    }
    expect(sentBy.a + sentBy.b).toBe(2); // the text and the chart, once, by whichever instance claimed each
    const got = fake.messages(MANAGERS);
    expect(got.filter((m) => m.text !== undefined)).toHaveLength(1);
    expect(got.filter((m) => m.photo)).toHaveLength(1);
    expect(got[0]!.text).toContain('Неделя 16.11.2026 – 22.11.2026');
    expect(fake.uploads.filter((u) => u.chatId === MANAGERS && u.method === 'sendPhoto')).toHaveLength(1);
  });
});
