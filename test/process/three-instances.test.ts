/**
 * Three real `otklik start` processes on one Postgres, the fakes shared (a VK wall, the Bot
 * API). They start at once on an empty database (one migrates, the others wait for it), all
 * poll, decide and run every schedule each second. Checked: every post stored once, near-
 * duplicates in one incident, every incident's card sent once, one instance sends to Telegram
 * (no limit broken, no concurrent getUpdates), the weekly report queued once per due time and
 * sent once; then the sending instance is killed (SIGKILL) and another takes over: every
 * reminder and escalation sent once. Postgres only: one PGlite directory refuses a second process.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { incidents, posts } from '../../src/db/schema.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-server.js';
import { startVkFake, type VkFake } from '../fakes/vk-server.js';
import { eventually, spawnOtklik, writeConfig, type OtklikProcess } from '../helpers/otklik-process.js';
import { processDb, type ProcessDb } from '../helpers/process-db.js';

/** Alone it takes about 45 s; three processes on a loaded 2-core machine, much longer. */
const TIMEOUT_MS = 300_000;
const BOT_TOKEN = '4545:three-instances-bot';
const VK_TOKEN = 'three-instances-vk-user';
const GROUP_ID = 45;
const MODERATORS = '-1001';
const MANAGERS = '-1005';
const STREETS = ['Ленина', 'Дзержинского', 'Радищева'];
const PROBLEMS = ['не вывозят мусор', 'нет горячей воды'];
const OPENINGS = ['Опять', 'Снова', 'Третий день'];
/** 6 problems (problem × street), each reported three times in other words (18 posts: one page of the wall). */
const TEXTS = OPENINGS.flatMap((o) => STREETS.flatMap((s, i) => PROBLEMS.map((p) => `${o} ${p} на улице ${s}, дом ${i + 1}`)));
const PROBLEM_COUNT = STREETS.length * PROBLEMS.length;

const running: OtklikProcess[] = [];
let tg: TelegramFake | undefined;
let vk: VkFake | undefined;
let db: ProcessDb | undefined;
afterAll(async () => {
  running.forEach((p) => p.child.exitCode === null && p.kill('SIGKILL'));
  await Promise.all(running.map((p) => p.exited));
  await tg?.close();
  await vk?.close();
  await db?.drop();
});

async function inDb<T>(f: (d: Awaited<ReturnType<ProcessDb['open']>>['db']) => Promise<T>): Promise<T> {
  const h = await db!.open();
  try {
    return await f(h.db);
  } finally {
    await h.close();
  }
}

const texts = (chat: string) => tg!.messages(chat).map((m) => m.text ?? m.caption ?? '');
const sending = (p: OtklikProcess) => p.logs.some((l) => l.msg === 'outbox: this instance sends to Telegram; others stand by');

describe.skipIf(!process.env.TEST_DATABASE_URL)('three `otklik start` on one Postgres', () => {
  it('posts stored once, cards, the weekly report, reminders and escalations sent once, one sender at a time, taken over after kill -9', async () => {
    tg = await startTelegramFake();
    vk = await startVkFake({ tokens: [VK_TOKEN] });
    vk.addCommunity({ id: GROUP_ID });
    for (const text of TEXTS) vk.addPost(GROUP_ID, { text, from_id: 700 });
    const { dir, path } = writeConfig({
      sources: [{ channel: 'vk', kind: 'wall', ref: `-${GROUP_ID}`, interval: 1 }, { channel: 'telegram', kind: 'bot', ref: 'staff', interval: 1, options: { chats: [] } }],
      chats: { moderators: MODERATORS, managers: MANAGERS },
      // Every job every second on every instance: each due time must still run once.
      schedule: { deadlines: '* * * * * *', weekly_report: '* * * * * *', retrain: '* * * * * *', digest: '* * * * * *' },
    });
    db = await processDb(dir);
    const env = (name: string) => ({
      OTKLIK_CONFIG: path, ...db!.env, OTKLIK_INSTANCE: name,
      VK_TOKEN, VK_API_BASE_URL: vk!.apiBaseUrl, VK_RPS: '100',
      TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_ROOT: tg!.apiRoot, TELEGRAM_LONG_POLL_SEC: '1', OTKLIK_SHUTDOWN_SEC: '10',
    });
    const procs = ['a', 'b', 'c'].map((n) => spawnOtklik(['start'], env(`three-${n}`)));
    running.push(...procs);
    await Promise.all(procs.map((p) => p.waitForLog((l) => l.msg === 'otklik started', 120_000)));

    // Cards: one per incident, and the weekly report (its job runs every second on all three).
    const cardsSent = () => texts(MODERATORS).filter((t) => /№ \d+/.test(t) && !t.startsWith('⏳')).length;
    const stored = await eventually(async () => {
      const n = await inDb((d) => d.$count(incidents));
      return n >= PROBLEM_COUNT && cardsSent() >= n ? n : undefined;
    }, 90_000, 'incidents and their cards');
    await eventually(() => (tg!.messages(MANAGERS).some((m) => m.photo) ? true : undefined), 60_000, 'the weekly report with its chart');
    expect(stored).toBe(PROBLEM_COUNT);
    expect(procs.filter(sending)).toHaveLength(1);

    // The sender dies; a standing-by instance takes over and sends the reminders and escalations.
    const leader = procs.find(sending)!;
    leader.kill('SIGKILL');
    await leader.exited;
    const alive = procs.filter((p) => p !== leader);
    await inDb((d) =>
      d.execute(sql`update incidents i set deadline_at = case when r.n % 2 = 0 then now() + interval '30 minutes' else now() - interval '1 minute' end
        from (select id, row_number() over (order by id) as n from incidents) r where r.id = i.id`),
    );
    const reminders = () => texts(MODERATORS).filter((t) => t.startsWith('⏳'));
    const escalations = () => texts(MANAGERS).filter((t) => t.startsWith('⏰'));
    await eventually(() => (reminders().length >= PROBLEM_COUNT / 2 && escalations().length >= PROBLEM_COUNT / 2 ? true : undefined), 120_000, 'reminders and escalations').catch((err: Error) => {
      const errors = alive.flatMap((p) => p.logs.filter((l) => Number(l.level) >= 50).map((l) => l.msg));
      throw new Error(`${err.message}: ${reminders().length} reminders, ${escalations().length} escalations; error lines: ${errors.slice(-5).join(' | ')}`);
    });
    expect(alive.filter(sending)).toHaveLength(1);
    // A few more seconds of every job on both: nothing more arrives.
    const runs = () => alive.flatMap((p) => p.logs.filter((l) => l.job === 'deadlines')).length;
    const before = runs();
    await eventually(() => (runs() >= before + 3 ? true : undefined), 30_000, 'three more deadline runs');
    for (const p of alive) p.kill('SIGTERM');
    for (const p of alive) expect((await p.exited).code, p.stderr.slice(-10).join('\n')).toBe(0);

    const after = await inDb(async (d) => ({
      posts: await d.$count(posts),
      decided: await d.$count(posts, sql`processed_at is not null and incident_id is not null`),
      incidents: await d.$count(incidents),
      postsInIncidents: Number((await d.execute(sql`select coalesce(sum(posts_count), 0)::int as n from incidents`) as unknown as Array<{ n: number }>)[0]!.n),
      weeklyRuns: Number((await d.execute(sql`select count(*)::int as n from job_runs where key like 'weekly_report:%'`) as unknown as Array<{ n: number }>)[0]!.n),
    }));
    expect(after).toMatchObject({ posts: TEXTS.length, decided: TEXTS.length, incidents: PROBLEM_COUNT, postsInIncidents: TEXTS.length });
    // Each due second of the weekly job ran on one instance only.
    const queued = procs.flatMap((p) => p.logs.filter((l) => l.msg === 'weekly report queued for the managers'));
    expect(queued.length).toBeGreaterThan(1);
    expect(queued.length).toBeLessThanOrEqual(after.weeklyRuns);

    const numbers = (list: string[]) => list.map((t) => /№ (\d+)/.exec(t)?.[1]).sort();
    const all = (await inDb((d) => d.select({ n: incidents.number }).from(incidents))).map((r) => String(r.n)).sort();
    const cards = texts(MODERATORS).filter((t) => /№ \d+/.test(t) && !t.startsWith('⏳') && !t.startsWith('⚠️'));
    expect(numbers(cards)).toEqual(all);
    expect(reminders()).toHaveLength(PROBLEM_COUNT / 2);
    expect(new Set(numbers(reminders())).size).toBe(PROBLEM_COUNT / 2);
    expect(escalations()).toHaveLength(PROBLEM_COUNT / 2);
    expect(new Set(numbers(escalations())).size).toBe(PROBLEM_COUNT / 2);
    const report = tg!.messages(MANAGERS).filter((m) => (m.text ?? '').includes('Новых инцидентов:'));
    expect(report).toHaveLength(1);
    expect(tg!.messages(MANAGERS).filter((m) => m.photo)).toHaveLength(1);
    expect(tg!.limitViolations()).toEqual([]);
    // One update reader at a time: Telegram would have ended a second getUpdates with 409.
    expect(procs.flatMap((p) => p.stderr).filter((l) => /terminated by other getUpdates/.test(l))).toEqual([]);
  }, TIMEOUT_MS);
});
