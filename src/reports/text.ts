import { DateTime } from 'luxon';
import type { Count, PeriodReport } from './period.js';
import { clip, formatBothDurations, formatChange, formatPercent, plural } from './labels.js';
import { periodName, reportSentence } from './sentence.js';

const date = (iso: string, tz: string) => DateTime.fromISO(iso, { zone: tz }).toFormat('dd.MM.yyyy');
const dateTime = (iso: string, tz: string) => DateTime.fromISO(iso, { zone: tz }).toFormat('dd.MM HH:mm');
/** `to` is exclusive: the last day shown is the day before it. */
export const lastDay = (iso: string) => new Date(new Date(iso).getTime() - 1).toISOString();
const NAME = 48;

function compared(c: Count): string {
  const parts = [];
  if (c.previous !== null) parts.push(`пред. ${c.previous}`);
  if (c.yearAgo !== null) parts.push(`год назад ${c.yearAgo}`);
  return parts.length ? `  (${parts.join('; ')})` : '';
}

function table(title: string, rows: Count[], limit = 15): string[] {
  if (!rows.length) return [];
  const lines = rows.slice(0, limit).map((r) => `  ${clip(r.label, NAME).padEnd(NAME)}  ${String(r.count).padStart(5)}${compared(r)}`);
  if (rows.length > limit) lines.push(`  … и ещё ${rows.length - limit}`);
  return ['', title, ...lines];
}

function totals(r: PeriodReport, tz: string): string[] {
  const n = r.incidents;
  const cmp = [];
  if (r.previous) cmp.push(`предыдущий период – ${r.previous.incidents}; ${formatChange(n, r.previous.incidents)}`);
  if (r.yearAgo) cmp.push(`${periodName(r.yearAgo.from, r.yearAgo.to, tz)} – ${r.yearAgo.incidents}; ${formatChange(n, r.yearAgo.incidents)}`);
  return [
    `Поступило и отработано ${n} ${plural(n, 'инцидент', 'инцидента', 'инцидентов')}${cmp.length ? ` (${cmp.join('; ')})` : ''}.`,
    `Просмотрено публикаций и комментариев: ${r.posts}; благодарностей: ${r.thanks}; не инциденты (новости, реклама, спам): ${r.noise}.`,
    `Объединено похожих сообщений: ${r.merged}; повторных обращений: ${r.repeats}; отклонено модератором: ${r.rejected}; направлено по компетенции: ${r.redirected}.`,
    '',
    `Дан ответ: ${r.answered} из ${n} (первый публичный ответ; промежуточный учитывается один раз; из них ждут полного ответа после промежуточного: ${r.interimOnly}).`,
    `В срок: ${r.answeredOnTime} из ${r.answered} ответивших (${formatPercent(r.onTimeShare)}); от всех инцидентов – ${formatPercent(r.onTimeShareOfAll)}.`,
    `Просрочено: ${r.overdue} — ответ дан с опозданием: ${r.answeredLate}; без ответа, срок истёк: ${r.openPastDeadline}.`,
    `В работе (нет полного ответа): ${r.open}.`,
    `Время до первого публичного ответа: медиана ${formatBothDurations(r.medianFirstAnswerMin, r.medianFirstAnswerWorkMin)}; среднее ${formatBothDurations(r.meanFirstAnswerMin, r.meanFirstAnswerWorkMin)}.`,
  ];
}

function departments(r: PeriodReport): string[] {
  if (!r.byDepartment.length) return [];
  const head = `  ${'Исполнитель'.padEnd(NAME)}  всего ответ в срок опозд. без отв.  медиана (календ. / рабоч.)`;
  return [
    '',
    'По исполнителям (соисполнители учтены у каждого, поэтому сумма может быть больше итога):',
    head,
    ...r.byDepartment.map((d) => {
      const cols = [d.count, d.answered, d.onTime, d.answeredLate, d.openPastDeadline].map((x, i) => String(x).padStart(i ? 6 : 5)).join('');
      return `  ${clip(d.label, NAME).padEnd(NAME)}  ${cols}   ${formatBothDurations(d.medianFirstAnswerMin, d.medianFirstAnswerWorkMin).replace(' календарного времени,', ' /').replace(' рабочего', '')}`;
    }),
  ];
}

function overdue(r: PeriodReport, tz: string): string[] {
  if (!r.overdueList.length) return [];
  const out = ['', 'Просроченные инциденты (статус сейчас):'];
  for (const o of r.overdueList.slice(0, 20)) {
    const what = o.kind === 'late' ? `ответ ${dateTime(o.firstResponseAt!, tz)}, с опозданием` : 'без ответа';
    out.push(`  №${o.number}  «${o.statusLabel}»  срок ${dateTime(o.deadline, tz)}, ${what}  ${clip(o.department, NAME)}: ${clip(o.summary, 80)}`);
  }
  if (r.overdue > 20) out.push(`  … и ещё ${r.overdue - Math.min(20, r.overdueList.length)}`);
  return out;
}

/** The period report as plain text (Russian), in the administrations' way of telling it. */
export function renderReportText(r: PeriodReport, tz: string, territory: string): string {
  const quarters = r.byQuarter.length > 1 ? ['', 'По кварталам (этот год / год назад):', ...r.byQuarter.map((q) => `  ${q.quarter} квартал  ${q.count} / ${q.yearAgo}`)] : [];
  return [
    `Отчёт о работе с обращениями в социальных сетях — ${territory}`,
    `Период: ${date(r.from, tz)} – ${date(lastDay(r.to), tz)}; состояние на ${DateTime.fromISO(r.asOf, { zone: tz }).toFormat('dd.MM.yyyy HH:mm')} (${tz})`,
    '',
    ...totals(r, tz),
    ...quarters,
    ...table('По каналам:', r.byChannel),
    ...table('По группам тем:', r.byGroup),
    ...table('По темам:', r.byTopic, 10),
    ...table('По результатам рассмотрения:', r.byOutcome),
    ...departments(r),
    ...overdue(r, tz),
    '',
    'Для отчёта администрации:',
    reportSentence(r, tz),
  ].join('\n');
}
