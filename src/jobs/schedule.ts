import cron, { type ScheduledTask } from 'node-cron';
import type { App } from '../app/app.js';
import { retrain } from '../classify/labels.js';
import { sendWeeklyReport } from '../reports/weekly-job.js';
import { markOverdue } from './overdue.js';

/** A job body; errors are logged, never thrown into cron. */
type Job = () => Promise<void>;

/**
 * Starts the cron schedules of the installation: polling, deadlines, the weekly
 * report, retraining. A job still running when its next tick comes is skipped.
 */
export function startSchedules(app: App, extra: Record<string, { cron: string; run: Job }> = {}): { stop(): void } {
  const s = app.installation.schedule;
  const tz = app.installation.timezone;
  const jobs: Record<string, { cron: string; run: Job }> = {
    poll: { cron: s.poll, run: async () => void (await app.poller.pollOnce(), await app.processPending()) },
    deadlines: {
      cron: s.deadlines,
      run: async () => {
        const ids = await markOverdue(app.db, app.clock.now());
        if (ids.length) app.log.info({ count: ids.length }, 'incidents became overdue');
      },
    },
    weekly_report: {
      cron: s.weekly_report,
      run: async () => {
        const key = await sendWeeklyReport(app);
        app.log.info({ job: 'weekly_report', key }, 'weekly report queued for the managers');
      },
    },
    retrain: {
      cron: s.retrain,
      run: async () => {
        const model = await retrain({ db: app.db, clock: app.clock, log: app.log });
        if (model) await app.classifier.reload?.();
      },
    },
    ...extra,
  };
  const tasks: ScheduledTask[] = [];
  for (const [name, job] of Object.entries(jobs)) {
    let running = false;
    const task = cron.schedule(
      job.cron,
      async () => {
        if (running) return app.log.warn({ job: name }, 'previous run still going; tick skipped');
        running = true;
        try {
          await job.run();
        } catch (err) {
          app.log.error({ err, job: name }, 'job failed');
        } finally {
          running = false;
        }
      },
      { timezone: tz, name },
    );
    tasks.push(task);
  }
  return { stop: () => tasks.forEach((t) => t.stop()) };
}
