/**
 * Scheduled jobs on several instances of one Postgres run once per due time: two apps (two
 * connection pools, as two `otklik start` have) run the same schedules for a few seconds, and
 * every due second of a job ran on one of them only; polling runs on both. Postgres only:
 * on PGlite there is one process, and its jobs are not coordinated.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.js';
import { systemClock } from '../../src/clock.js';
import { openDb, type DbHandle } from '../../src/db/client.js';
import { startSchedules } from '../../src/jobs/schedule.js';
import { createTestApp, testInstallation } from '../helpers/app.js';
import { openTestDb } from '../helpers/db.js';

describe.skipIf(!process.env.TEST_DATABASE_URL)('scheduled jobs on two instances of one Postgres', () => {
  let h: Awaited<ReturnType<typeof openTestDb>>;
  let second: DbHandle;
  beforeAll(async () => {
    h = await openTestDb();
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${((await h.db.execute(sql`select current_database() as d`)) as unknown as Array<{ d: string }>)[0]!.d}`;
    second = await openDb({ url: url.toString() });
  });
  afterAll(async () => {
    await second?.close();
    await h?.close();
  });

  it('each due second of a job runs on one instance; polling on both', { timeout: 60_000 }, async () => {
    const base = testInstallation([]);
    const installation = { ...base, schedule: { ...base.schedule, poll: '* * * * * *', deadlines: '* * * * * *', digest: '* * * * * *' } };
    const runs: Array<{ instance: string; job: string }> = [];
    const apps = await Promise.all(
      (['a', 'b'] as const).map((instance, i) => createTestApp(i ? second : h, { installation, clock: systemClock as never, env: readEnv({ OTKLIK_INSTANCE: instance }) })),
    );
    const schedules = apps.map((app, i) => {
      const instance = i ? 'b' : 'a';
      // The jobs' bodies as the instances run them, seen through the event hub each run reports to.
      app.events.on('job', (e: { job: string; outcome: string }) => void (e.outcome === 'ok' && runs.push({ instance, job: e.job })));
      return startSchedules(app);
    });
    try {
      await expect.poll(() => runs.filter((r) => r.job === 'deadlines').length, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(4);
    } finally {
      schedules.forEach((s) => s.stop());
    }
    const count = async (job: string) => Number(((await h.db.execute(sql`select count(*)::int as n from job_runs where key like ${`${job}:%`}`)) as unknown as Array<{ n: number }>)[0]!.n);
    for (const job of ['deadlines', 'digest']) {
      // Every run claimed its due second first, and no second was claimed twice (the key).
      const ran = runs.filter((r) => r.job === job).length;
      expect(ran).toBeLessThanOrEqual(await count(job));
      expect(await count(job)).toBeLessThanOrEqual(ran + 2); // a claim whose run the stop cut short
    }
    expect(new Set(runs.filter((r) => r.job === 'poll').map((r) => r.instance))).toEqual(new Set(['a', 'b']));
    expect(await count('poll')).toBe(0);
  });
});
