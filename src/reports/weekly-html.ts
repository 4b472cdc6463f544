import { DateTime } from 'luxon';
import { escapeHtml as e } from '../bot/html.js';
import { clip, formatChange, formatDuration, formatPercent } from './labels.js';
import { lastDay } from './text.js';
import type { WeeklyReport } from './weekly.js';

const pctOf = (n: number, total: number) => (total ? formatPercent(n / total) : '—');

/** The weekly report as Telegram HTML (every name and text escaped; long lists cut so it stays under Telegram's 4,096 characters). */
export function renderWeeklyHtml(w: WeeklyReport, tz: string, territory: string): string {
  const r = w.week;
  const d = (iso: string) => DateTime.fromISO(iso, { zone: tz }).toFormat('dd.MM.yyyy');
  const week = new Date(r.to).getTime() - new Date(r.from).getTime() === 7 * 86_400_000;
  const prev = r.previous ? ` (${week ? 'прошлая неделя' : 'предыдущий период'} – ${r.previous.incidents}; ${formatChange(r.incidents, r.previous.incidents)})` : '';
  const lines = [
    `<b>${week ? 'Неделя' : 'Период'} ${d(r.from)} – ${d(lastDay(r.to))}</b> — ${e(territory)}${new Date(r.asOf) < new Date(r.to) ? ` (на ${DateTime.fromISO(r.asOf, { zone: tz }).toFormat('dd.MM HH:mm')})` : ''}`,
    '',
    `Новых инцидентов: <b>${r.incidents}</b>${prev}`,
    `Дан ответ: ${r.answered}; в срок: ${r.answeredOnTime} (${formatPercent(r.onTimeShare)} от ответивших, ${formatPercent(r.onTimeShareOfAll)} от всех)`,
    `Просрочено за период: ${r.overdue} (ответ с опозданием – ${r.answeredLate}; без ответа, срок истёк – ${r.openPastDeadline})`,
    `Просрочено сейчас (без ответа, срок истёк, все недели): <b>${w.overdueNow}</b>`,
    `Ждут публикации ответа: ${w.waitingPublication}`,
    `Отклонено: ${r.rejected}; направлено по компетенции: ${r.redirected}; повторных: ${r.repeats}`,
    `Время до первого публичного ответа: медиана ${formatDuration(r.medianFirstAnswerMin)} (календ.) / ${formatDuration(r.medianFirstAnswerWorkMin)} (рабоч.); среднее ${formatDuration(r.meanFirstAnswerMin)} / ${formatDuration(r.meanFirstAnswerWorkMin)}`,
  ];
  if (r.byChannel.length) lines.push('', '<b>По каналам</b>', ...r.byChannel.map((c) => `${e(c.label)} – ${c.count}`));
  if (r.byGroup.length) lines.push('', '<b>По группам тем</b>', ...r.byGroup.slice(0, 12).map((c) => `${e(clip(c.label, 40))} – ${c.count} (${pctOf(c.count, r.incidents)})`));
  if (w.ranking.length) {
    lines.push('', `<b>Исполнители по доле ответов в срок</b> (не менее ${w.minIncidents} инцидентов)`);
    lines.push(...w.ranking.slice(0, 15).map((x, i) => `${i + 1}. ${e(clip(x.label, 44))} – ${formatPercent(x.onTimeShare)} (${x.onTime} из ${x.answered}; всего ${x.count})`));
  }
  if (w.largest.length) lines.push('', '<b>Крупнейшие проблемы периода</b>', ...w.largest.map((p) => `№${p.number} – ${p.posts} сообщ.: ${e(p.summary)}${p.department ? ` (${e(clip(p.department, 40))})` : ''}`));
  if (w.addresses.length) lines.push('', '<b>Повторяющиеся адреса</b>', ...w.addresses.map((a) => `${e(a.address)} – ${a.count}`));
  if (w.shifts.length) lines.push('', `<b>Заметные изменения к ${week ? 'прошлой неделе' : 'предыдущему периоду'}</b> (≥ 25% и ≥ 3)`, ...w.shifts.map((s) => `⚠️ ${e(s.what)}: ${e(clip(s.label, 44))} – ${s.now} (было ${s.before}; ${formatChange(s.now, s.before)})`));
  return lines.join('\n');
}
