import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileAdapter } from '../adapters/file/index.js';
import { systemClock } from '../src/clock.js';
import { startSchedules } from '../src/jobs/schedule.js';
import { createLogger } from '../src/log.js';
import { createTestApp, testInstallation } from './helpers/app.js';
import { openTestDb } from './helpers/db.js';

let h: Awaited<ReturnType<typeof openTestDb>>;
beforeAll(async () => void (h = await openTestDb()));
afterAll(async () => h?.close());

describe('start runs visibly', () => {
  it('logs one line per poll cycle (sources, new posts, incidents, errors, next run in the installation zone) and one per job run', async () => {
    const feed = join(mkdtempSync(join(tmpdir(), 'otklik-jobs-')), 'feed.jsonl');
    writeFileSync(feed, `${JSON.stringify({ channel: 'vk', external_id: '-5_1', text: 'Нет отопления в доме на Ленина 5, батареи холодные', published_at: new Date().toISOString() })}\n`);
    const lines: Array<Record<string, any>> = [];
    const destination = new Writable({ write: (chunk, _e, cb) => (lines.push(JSON.parse(String(chunk))), cb()) });
    const base = testInstallation([{ channel: 'file', kind: 'jsonl', ref: feed, name: 'Лента', enabled: true, interval: 300, options: {} }]);
    // Every second (node-cron's six-field form), so the test sees a few runs quickly.
    const installation = { ...base, timezone: 'Asia/Vladivostok', schedule: { ...base.schedule, poll: '* * * * * *', deadlines: '* * * * * *' } };
    const app = await createTestApp(h, { installation, clock: systemClock as never, log: createLogger({ level: 'info', destination: destination as never }), createAdapters: () => new Map([['file', createFileAdapter()]]) });
    const schedules = startSchedules(app);
    // Poll runs (a loaded machine may also log a skipped tick, a warning with job 'poll').
    const polls = () => lines.filter((l) => l.job === 'poll' && 'polled' in l);
    try {
      await expect.poll(() => polls().length >= 2 && lines.some((l) => l.job === 'deadlines'), { timeout: 20_000, interval: 100 }).toBe(true);
    } finally {
      schedules.stop();
    }
    const [first, second] = polls();
    expect(first).toMatchObject({ level: 30, polled: 1, newPosts: 1, incidents: 1, failed: 0 });
    expect(first!.msg).toMatch(/^опрос: источников 1, новых публикаций 1, новых инцидентов 1, присоединено 0, ошибок источников 0; следующий запуск \d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d \(Asia\/Vladivostok\)$/);
    expect(second).toMatchObject({ polled: 0, newPosts: 0 }); // the source is not due again for 300 s
    expect(lines.find((l) => l.job === 'deadlines')!.msg).toMatch(/^задание deadlines выполнено; следующий запуск .* \(Asia\/Vladivostok\)$/);
  }, 60_000);
});
