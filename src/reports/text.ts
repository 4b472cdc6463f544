import { DateTime } from 'luxon';
import type { Count, PeriodReport } from './period.js';
import { formatChange, formatDuration, formatPercent, plural } from './labels.js';

const date = (iso: string, tz: string) => DateTime.fromISO(iso, { zone: tz }).toFormat('dd.MM.yyyy');
const dateTime = (iso: string, tz: string) => DateTime.fromISO(iso, { zone: tz }).toFormat('dd.MM HH:mm');

function table(title: string, rows: Count[], limit = 15): string[] {
  if (!rows.length) return [];
  const width = Math.min(60, Math.max(...rows.map((r) => r.label.length)));
  const lines = rows.slice(0, limit).map((r) => `  ${r.label.slice(0, 60).padEnd(width)}  ${String(r.count).padStart(4)}  (пред. ${r.previous})`);
  if (rows.length > limit) lines.push(`  … и ещё ${rows.length - limit}`);
  return ['', title, ...lines];
}

/** The weekly / period report as plain text (Russian), in the administrations' way of telling it. */
export function renderReportText(r: PeriodReport, tz: string, territory: string): string {
  // `to` is exclusive: the last day shown is the day before it.
  const lastDay = new Date(new Date(r.to).getTime() - 1).toISOString();
  const n = r.incidents;
  const out = [
    `Отчёт о работе с обращениями в социальных сетях — ${territory}`,
    `Период: ${date(r.from, tz)} – ${date(lastDay, tz)}`,
    '',
    `За отчётный период отработано ${n} ${plural(n, 'инцидент', 'инцидента', 'инцидентов')} (предыдущий период – ${r.previousIncidents}; ${formatChange(n, r.previousIncidents)}).`,
    `Просмотрено публикаций и комментариев: ${r.posts}; благодарностей: ${r.thanks}; не инциденты (новости, реклама, спам): ${r.noise}.`,
    `Объединено похожих сообщений: ${r.merged}; повторных обращений: ${r.repeats}; отклонено модератором: ${r.rejected}; направлено по компетенции: ${r.redirected}.`,
    '',
    `Ответы даны: ${r.answered} из ${n}; в срок: ${r.answeredOnTime} (${formatPercent(r.onTimeShare)}).`,
    `Просрочено: ${r.overdue}; в работе сейчас: ${r.openNow}.`,
    `Время до первого публичного ответа: медиана ${formatDuration(r.medianFirstAnswerMin)}, среднее ${formatDuration(r.meanFirstAnswerMin)}.`,
    ...table('По каналам:', r.byChannel),
    ...table('По группам тем:', r.byGroup),
    ...table('По темам:', r.byTopic, 10),
    '',
    'По исполнителям (всего / ответов / в срок / просрочено / медиана ответа):',
    ...r.byDepartment.map(
      (d) => `  ${d.label.slice(0, 50).padEnd(50)} ${String(d.count).padStart(4)} ${String(d.answered).padStart(4)} ${String(d.onTime).padStart(4)} ${String(d.overdue).padStart(4)}   ${formatDuration(d.medianFirstAnswerMin)}`,
    ),
  ];
  if (r.overdueList.length) {
    out.push('', 'Просроченные инциденты:');
    for (const o of r.overdueList.slice(0, 20)) out.push(`  №${o.number}  срок ${dateTime(o.deadline, tz)}  ${o.department}: ${o.summary.slice(0, 80)}`);
    if (r.overdueList.length > 20) out.push(`  … и ещё ${r.overdueList.length - 20}`);
  }
  return out.join('\n');
}
