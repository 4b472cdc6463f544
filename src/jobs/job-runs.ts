import { lt, sql } from 'drizzle-orm';
import type { RunCoordinator } from 'node-cron';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { jobRuns } from '../db/schema.js';

/** Claims older than this are forgotten (a due time is claimed within seconds of it). */
const KEEP_MS = 14 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

/**
 * Once per due time across instances (node-cron's distributed mode): node-cron asks
 * `shouldRun` with the key `<job>:<due time>` at each tick, and the first instance to
 * insert that key into `job_runs` runs the job; the others skip that tick. The key is
 * the scheduled time, not the moment the tick fired, so instances whose ticks fire a
 * little apart still agree. A run that crashes is not retried until its next due time
 * (every job catches up then: keyed messages, state-based reminders, the week's report key).
 */
export function createJobRunCoordinator(deps: { db: Db; clock: Clock; instance: string }): RunCoordinator {
  let prunedAt = -Infinity;
  return {
    async shouldRun(key) {
      const now = deps.clock.now();
      const won = await deps.db.insert(jobRuns).values({ key, instance: deps.instance, startedAt: now }).onConflictDoNothing().returning({ key: jobRuns.key });
      return won.length > 0;
    },
    async onComplete(key) {
      const now = deps.clock.now();
      await deps.db.update(jobRuns).set({ finishedAt: now }).where(sql`${jobRuns.key} = ${key}`);
      if (now.getTime() - prunedAt < PRUNE_EVERY_MS) return;
      prunedAt = now.getTime();
      await deps.db.delete(jobRuns).where(lt(jobRuns.startedAt, new Date(now.getTime() - KEEP_MS)));
    },
  };
}
