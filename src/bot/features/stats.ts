import type { Telegraf } from 'telegraf';
import { DateTime } from 'luxon';
import { renderChartPng } from '../../reports/chart.js';
import { periodName } from '../../reports/sentence.js';
import { parseStatsPeriod } from '../../reports/stats-period.js';
import { reportTables } from '../../reports/tables.js';
import { buildSummaryReport } from '../../reports/weekly.js';
import { renderWeeklyHtml } from '../../reports/weekly-html.js';
import { reportXlsx } from '../../reports/xlsx.js';
import { workCalendarFromConfig } from '../../sla/from-config.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { enqueueFile, enqueueMessage } from '../outbox.js';
import { authorize, findStaff, recordRefusal } from '../roles.js';

/**
 * `/stats [week|month|quarter|year|ДД.ММ.ГГГГ-ДД.ММ.ГГГГ] [xlsx]` for managers, moderators and
 * admins: the period's figures (the weekly report's content) with the chart, and the period
 * report as XLSX when asked.
 */
export function registerStats(bot: Telegraf, deps: BotDeps): void {
  const calendar = workCalendarFromConfig(deps.installation, { log: deps.log });
  bot.command('stats', async (ctx) => {
    const now = deps.clock.now();
    const chatId = String(ctx.chat.id);
    const say = (html: string) => enqueueMessage(deps.db, { chatId, html }, now).then(deps.queued);
    const staff = await findStaff(deps.db, ctx.from.id);
    const verdict = authorize(staff, 'stats');
    if (!verdict.ok) {
      await recordRefusal(deps, { telegramId: ctx.from.id, staff }, { action: '/stats', reason: verdict.reason, at: now });
      return say(`Извините, ${escapeHtml(verdict.reason)}.`);
    }
    const words = ctx.message.text.split(/\s+/).slice(1);
    const xlsx = words.some((w) => /^(xlsx|excel|таблица)$/i.test(w));
    const period = parseStatsPeriod(words.filter((w) => !/^(xlsx|excel|таблица)$/i.test(w)).join(' '), now, deps.installation.timezone);
    if ('error' in period) return say(escapeHtml(period.error));
    const report = await buildSummaryReport({ db: deps.db, calendar, minIncidents: deps.installation.reports.min_incidents }, period, now);
    const tz = deps.installation.timezone;
    await enqueueMessage(deps.db, { chatId, html: renderWeeklyHtml(report, tz, deps.installation.territory.name) }, now);
    const stamp = DateTime.fromJSDate(period.from, { zone: tz }).toISODate();
    await enqueueFile(deps.db, { chatId, kind: 'photo', filename: `otklik-${stamp}.png`, data: await renderChartPng(report.chart) }, now);
    if (xlsx) {
      const title = `Отчёт — ${deps.installation.territory.name}, ${periodName(report.week.from, report.week.to, tz)}`;
      await enqueueFile(deps.db, { chatId, kind: 'document', filename: `otklik-${stamp}.xlsx`, data: await reportXlsx(reportTables(report.week, tz), title) }, now);
    }
    deps.queued();
  });
}
