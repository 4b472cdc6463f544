import { DateTime } from 'luxon';
import type { App } from '../app/app.js';
import { renderChartPng } from './chart.js';
import { buildWeeklyReport } from './weekly.js';
import { renderWeeklyHtml } from './weekly-html.js';

/**
 * The `weekly_report` job: the report of the last full week (Monday to Sunday,
 * installation zone) with its chart, to the managers' chat. The key
 * `weekly_report:<week start>` makes the notifier send it once, whichever
 * instance or restart runs the job.
 */
export async function sendWeeklyReport(app: App): Promise<string> {
  const tz = app.installation.timezone;
  const weekStart = DateTime.fromJSDate(app.clock.now(), { zone: tz }).startOf('week').minus({ weeks: 1 });
  const report = await buildWeeklyReport({ db: app.db, calendar: app.calendar, minIncidents: app.installation.reports.min_incidents }, weekStart.toJSDate(), app.clock.now());
  const html = renderWeeklyHtml(report, tz, app.installation.territory.name);
  const photo = { filename: `otklik-${weekStart.toISODate()}.png`, data: await renderChartPng(report.chart) };
  const key = `weekly_report:${weekStart.toISODate()}`;
  await app.notifier.send('managers', { html, photo, key });
  return key;
}
