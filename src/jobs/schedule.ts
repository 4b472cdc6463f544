import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import { DateTime } from 'luxon';
import type { App } from '../app/app.js';
import { retrain } from '../classify/labels.js';
import { describeError } from '../cli/errors.js';
import { sendWeeklyReport } from '../reports/weekly-job.js';
import { createJobRunCoordinator } from './job-runs.js';
import { markOverdue } from './overdue.js';
import { runDeadlineAlerts, runMorningDigest, type DeadlineJobDeps } from './deadline-alerts.js';

const jobDeps = (app: App): DeadlineJobDeps => ({ db: app.db, installation: app.installation, calendar: app.calendar, clock: app.clock, notifier: app.notifier });

/** What a job run reports: its log line's Russian message and fields (the next run is added). */
export interface JobSummary {
  msg: string;
  [field: string]: unknown;
}

/** A job body; errors are logged, never thrown into cron. Every run logs one line. */
type Job = () => Promise<void | JobSummary>;

/** Jobs every instance runs: polling (each source is leased to one instance per poll). */
const EVERY_INSTANCE = new Set(['poll']);

/**
 * Starts the cron schedules of the installation: polling, deadlines, the weekly
 * report, retraining. A job still running when its next tick comes is skipped.
 * On Postgres (several instances may share it) every job but polling runs once per
 * due time across instances (src/jobs/job-runs.ts).
 */
export function startSchedules(app: App, extra: Record<string, { cron: string; run: Job }> = {}): { stop(): void } {
  const s = app.installation.schedule;
  const tz = app.installation.timezone;
  const jobs: Record<string, { cron: string; run: Job }> = {
    poll: { cron: s.poll, run: () => pollCycle(app) },
    deadlines: {
      cron: s.deadlines,
      run: async () => {
        const ids = await markOverdue(app.db, app.clock.now());
        if (ids.length) app.log.info({ count: ids.length }, 'incidents became overdue');
        // Their cards show the ⏰ mark now, not at the next press.
        for (const id of ids) await app.staffIntake.syncCards?.(id);
        const alerts = await runDeadlineAlerts(jobDeps(app));
        if (alerts.reminded || alerts.escalated) app.log.info(alerts, 'deadline reminders and escalations checked');
      },
    },
    digest: {
      cron: s.digest,
      run: async () => {
        const sent = await runMorningDigest(jobDeps(app));
        if (sent) app.log.info({ departments: sent }, 'morning digest queued');
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
  const coordinator = app.dbHandle?.driver === 'postgres' ? createJobRunCoordinator({ db: app.db, clock: app.clock, instance: app.env.OTKLIK_INSTANCE ?? `${hostname()}:${process.pid}` }) : null;
  for (const [name, job] of Object.entries(jobs)) {
    let running = false;
    const task = cron.schedule(
      job.cron,
      async () => {
        // Stopping (SIGTERM): no new run; a run under way is waited for by `start` (lifecycle).
        if (app.lifecycle?.stopping.aborted) return;
        if (running) {
          app.events?.emit('job', { job: name, outcome: 'skipped', seconds: 0 });
          return app.log.warn({ job: name }, 'previous run still going; tick skipped');
        }
        running = true;
        const started = Date.now();
        let outcome: 'ok' | 'error' = 'ok';
        try {
          const { msg, ...fields } = (await (app.lifecycle ? app.lifecycle.track(job.run()) : job.run())) ?? { msg: `задание ${name} выполнено` };
          const next = localTime(task.getNextRun(), tz);
          app.log.info({ job: name, ms: Date.now() - started, ...fields, next }, `${msg}; следующий запуск ${next}`);
        } catch (err) {
          outcome = 'error';
          app.log.error({ err, job: name, next: localTime(task.getNextRun(), tz) }, `задание ${name} не выполнено: ${describeError(err).line}`);
        } finally {
          running = false;
          app.events?.emit('job', { job: name, outcome, seconds: (Date.now() - started) / 1000 });
        }
      },
      { timezone: tz, name, ...(coordinator && !EVERY_INSTANCE.has(name) ? { distributed: true, runCoordinator: coordinator } : {}) },
    );
    tasks.push(task);
  }
  return { stop: () => tasks.forEach((t) => t.stop()) };
}

/** One poll of the due sources and the decisions on what they brought, summed up for the log. */
async function pollCycle(app: App): Promise<JobSummary> {
  const cycle = await app.poller.pollOnce();
  const done = await app.processPending();
  return {
    msg: `опрос: источников ${cycle.polled}, новых публикаций ${cycle.newPosts}, новых инцидентов ${done.incidents}, присоединено ${done.merged}, ошибок источников ${cycle.failed}`,
    polled: cycle.polled,
    newPosts: cycle.newPosts,
    incidents: done.incidents,
    merged: done.merged,
    failed: cycle.failed,
    failedPosts: done.failed,
  };
}

/** A time as people read it: in the installation's zone, which is named. */
export function localTime(at: Date | null, tz: string): string {
  return at ? `${DateTime.fromJSDate(at, { zone: tz }).toFormat('dd.MM.yyyy HH:mm:ss')} (${tz})` : '—';
}
