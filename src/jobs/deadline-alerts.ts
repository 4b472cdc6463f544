import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Clock } from '../clock.js';
import type { Installation } from '../config/installation.js';
import type { Db } from '../db/client.js';
import { incidents } from '../db/schema.js';
import { escapeHtml } from '../bot/html.js';
import { OPEN_STATUSES, STATUS_LABELS, type Status } from '../domain/status.js';
import type { Notifier } from '../notify.js';
import type { WorkCalendar } from '../sla/calendar.js';
import { remindAt } from '../sla/deadline.js';

export interface DeadlineJobDeps {
  db: Db;
  installation: Installation;
  calendar: WorkCalendar;
  clock: Clock;
  notifier: Notifier;
}

type Row = typeof incidents.$inferSelect;

const WAITING_FIRST: Status[] = ['new', 'assigned', 'in_work', 'ready'];

function line(r: Row, tz: string): string {
  const due = DateTime.fromJSDate(r.deadlineAt ?? r.detectedAt, { zone: tz }).toFormat('dd.MM HH:mm');
  return `№ ${r.number} · ${STATUS_LABELS[r.status as Status]} · срок ${due} — ${escapeHtml(r.summary.slice(0, 100))}`;
}

/**
 * Reminders before the first-answer deadline (to the department once assigned, to the
 * moderators while new) and before the follow-up deadline of an interim answer, and
 * escalations to managers once overdue. Each message carries a once-only key made of the
 * incident, the threshold and the deadline it is about, so however often the job runs —
 * after a restart, on several instances — each fires exactly once; a moved deadline
 * (a topic change) is a new threshold.
 */
export async function runDeadlineAlerts(d: DeadlineJobDeps): Promise<{ reminded: number; escalated: number }> {
  const now = d.clock.now();
  const cfg = d.installation;
  const sla = cfg.sla;
  let reminded = 0;
  let escalated = 0;
  const open = await d.db
    .select()
    .from(incidents)
    .where(and(inArray(incidents.status, [...OPEN_STATUSES]), isNotNull(incidents.deadlineAt)))
    .orderBy(asc(incidents.deadlineAt));
  for (const r of open) {
    const waitingFirst = WAITING_FIRST.includes(r.status as Status) && !r.firstResponseAt;
    const deadline = waitingFirst ? r.deadlineAt! : r.status === 'interim' ? r.followupDeadlineAt : null;
    if (!deadline) continue;
    const kind = waitingFirst ? 'first' : 'followup';
    const stamp = deadline.toISOString();
    const audience = r.status === 'new' || !r.departmentCode ? ('moderators' as const) : { department: r.departmentCode };
    if (deadline.getTime() <= now.getTime()) {
      const html = `⏰ <b>Просрочено</b> (${kind === 'first' ? 'первый ответ' : 'полный ответ после промежуточного'}):\n${line(r, cfg.timezone)}\nОтдел: ${escapeHtml(r.departmentCode ?? '—')}`;
      await d.notifier.send('managers', { html, key: `escalate:${kind}:${r.id}:${stamp}` });
      escalated++;
      continue;
    }
    if (remindAt(deadline, sla.remind_before_hours, sla.mode, d.calendar).getTime() <= now.getTime()) {
      const html = `⏳ Скоро срок ${kind === 'first' ? 'первого ответа' : 'полного ответа'}:\n${line(r, cfg.timezone)}`;
      await d.notifier.send(audience, { html, key: `remind:${kind}:${r.id}:${stamp}` });
      reminded++;
    }
  }
  return { reminded, escalated };
}

/**
 * The morning digest: each department with a chat gets its open incidents, on working
 * days of the production calendar only (a moved working Saturday included, holidays not).
 * Keyed per department and local date: at most one a day, whatever runs the job.
 */
export async function runMorningDigest(d: DeadlineJobDeps): Promise<number> {
  const now = d.clock.now();
  if (!d.calendar.isWorkingDay(now)) return 0;
  const tz = d.installation.timezone;
  const date = DateTime.fromJSDate(now, { zone: tz }).toISODate();
  let sent = 0;
  for (const dept of d.installation.departments) {
    if (!dept.chat) continue;
    const rows = await d.db
      .select()
      .from(incidents)
      .where(and(eq(incidents.departmentCode, dept.code), inArray(incidents.status, ['assigned', 'in_work', 'interim', 'ready'])))
      .orderBy(asc(incidents.deadlineAt))
      .limit(40);
    if (!rows.length) continue;
    const overdue = rows.filter((r) => !r.firstResponseAt && r.deadlineAt && r.deadlineAt < now).length;
    const html = [`☀️ <b>Открытые инциденты на ${DateTime.fromJSDate(now, { zone: tz }).toFormat('dd.MM.yyyy')}</b>: ${rows.length}${overdue ? `, просрочено: ${overdue}` : ''}`, ...rows.map((r) => line(r, tz))].join('\n');
    await d.notifier.send({ department: dept.code }, { html, key: `digest:${dept.code}:${date}` });
    sent++;
  }
  return sent;
}
