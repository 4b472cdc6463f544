import { DateTime } from 'luxon';
import type { Count, PeriodReport } from './period.js';
import { periodName } from './sentence.js';

export type Cell = string | number | null;

/** One table of a report, the way the administrations' reports lay them out; one XLSX sheet, one CSV block. */
export interface ReportTable {
  /** Sheet name (≤ 31 characters, no `:\/?*[]`). */
  sheet: string;
  title: string;
  columns: Array<{ header: string; width: number }>;
  rows: Cell[][];
}

const pct = (part: number, whole: number): number | null => (whole ? Math.round((part / whole) * 1000) / 10 : null);
const hours = (min: number | null): number | null => (min === null ? null : Math.round((min / 60) * 10) / 10);

function comparedColumns(r: PeriodReport): Array<{ header: string; width: number }> {
  const cols = [];
  if (r.previous) cols.push({ header: 'Предыдущий период', width: 14 });
  if (r.yearAgo) cols.push({ header: 'Год назад', width: 12 });
  return cols;
}

function comparedCells(r: PeriodReport, c: Count): Cell[] {
  const cells: Cell[] = [];
  if (r.previous) cells.push(c.previous);
  if (r.yearAgo) cells.push(c.yearAgo);
  return cells;
}

function summary(r: PeriodReport, tz: string): ReportTable {
  const name = periodName(r.from, r.to, tz);
  const rows: Cell[][] = [['Количество инцидентов', r.incidents, r.yearAgo?.incidents ?? null, r.yearAgo ? r.incidents - r.yearAgo.incidents : null, r.yearAgo ? pct(r.incidents - r.yearAgo.incidents, r.yearAgo.incidents) : null]];
  return {
    sheet: 'Итоги',
    title: `Количество инцидентов: ${name}${r.yearAgo ? ` и ${periodName(r.yearAgo.from, r.yearAgo.to, tz)}` : ''}`,
    columns: [{ header: '', width: 44 }, { header: name, width: 18 }, { header: r.yearAgo ? periodName(r.yearAgo.from, r.yearAgo.to, tz) : 'Год назад', width: 18 }, { header: '+/-', width: 8 }, { header: '%', width: 8 }],
    rows,
  };
}

function figures(r: PeriodReport): ReportTable {
  const rows: Cell[][] = [
    ['Инцидентов', r.incidents],
    ['Дан ответ (первый публичный, промежуточный учтён один раз)', r.answered],
    ['из них ждут полного ответа после промежуточного', r.interimOnly],
    ['Ответ в срок', r.answeredOnTime],
    ['Доля в срок от ответивших, %', pct(r.answeredOnTime, r.answered)],
    ['Доля в срок от всех инцидентов, %', pct(r.answeredOnTime, r.incidents)],
    ['Просрочено всего', r.overdue],
    ['ответ дан с опозданием', r.answeredLate],
    ['без ответа, срок истёк', r.openPastDeadline],
    ['В работе (нет полного ответа)', r.open],
    ['Медиана времени до первого ответа, ч (календарное время)', hours(r.medianFirstAnswerMin)],
    ['Медиана времени до первого ответа, ч (рабочее время)', hours(r.medianFirstAnswerWorkMin)],
    ['Среднее время до первого ответа, ч (календарное время)', hours(r.meanFirstAnswerMin)],
    ['Среднее время до первого ответа, ч (рабочее время)', hours(r.meanFirstAnswerWorkMin)],
    ['Повторных обращений', r.repeats],
    ['Направлено по компетенции', r.redirected],
    ['Отклонено модератором (не инцидент)', r.rejected],
    ['Объединено похожих сообщений', r.merged],
    ['Просмотрено публикаций и комментариев', r.posts],
  ];
  return { sheet: 'Показатели', title: 'Показатели за период', columns: [{ header: 'Показатель', width: 60 }, { header: 'Значение', width: 12 }], rows };
}

function counts(r: PeriodReport, sheet: string, title: string, header: string, items: Count[]): ReportTable {
  return {
    sheet,
    title,
    columns: [{ header, width: 50 }, { header: 'Количество', width: 12 }, ...comparedColumns(r)],
    rows: items.map((c) => [c.label, c.count, ...comparedCells(r, c)]),
  };
}

function departments(r: PeriodReport): ReportTable {
  return {
    sheet: 'По исполнителям',
    title: 'Исполнитель / количество рассматриваемых вопросов (соисполнители учтены у каждого)',
    columns: [
      { header: 'Исполнитель', width: 50 }, { header: 'Количество', width: 12 }, ...comparedColumns(r),
      { header: 'Дан ответ', width: 11 }, { header: 'В срок', width: 9 }, { header: 'С опозданием', width: 13 }, { header: 'Без ответа, срок истёк', width: 14 },
      { header: 'В срок от ответивших, %', width: 13 }, { header: 'Медиана ответа, ч (календ.)', width: 14 }, { header: 'Медиана ответа, ч (рабоч.)', width: 14 },
    ],
    rows: r.byDepartment.map((d) => [d.label, d.count, ...comparedCells(r, d), d.answered, d.onTime, d.answeredLate, d.openPastDeadline, pct(d.onTime, d.answered), hours(d.medianFirstAnswerMin), hours(d.medianFirstAnswerWorkMin)]),
  };
}

function topics(r: PeriodReport): ReportTable {
  return {
    sheet: 'По темам',
    title: 'По темам',
    columns: [{ header: 'Группа тем', width: 30 }, { header: 'Тема', width: 44 }, { header: 'Количество', width: 12 }, ...comparedColumns(r)],
    rows: r.byTopic.map((t) => [t.group || 'без темы', t.label, t.count, ...comparedCells(r, t)]),
  };
}

function quarters(r: PeriodReport, tz: string): ReportTable {
  const y = DateTime.fromISO(r.from, { zone: tz }).year;
  return {
    sheet: 'По кварталам',
    title: `По кварталам: ${y} / ${y - 1}`,
    columns: [{ header: 'Квартал', width: 12 }, { header: String(y), width: 10 }, { header: String(y - 1), width: 10 }, { header: `${y}/${y - 1}`, width: 12 }],
    rows: r.byQuarter.map((q) => [`${q.quarter} квартал`, q.count, q.yearAgo, `${q.count}/${q.yearAgo}`]),
  };
}

function overdue(r: PeriodReport, tz: string): ReportTable {
  const dt = (iso: string | null) => (iso ? DateTime.fromISO(iso, { zone: tz }).toFormat('dd.MM.yyyy HH:mm') : '');
  return {
    sheet: 'Просроченные',
    title: `Просроченные инциденты (статус на ${dt(r.generatedAt)})`,
    columns: [{ header: '№', width: 8 }, { header: 'Просрочка', width: 22 }, { header: 'Статус', width: 20 }, { header: 'Исполнитель', width: 40 }, { header: 'Тема', width: 30 }, { header: 'Срок', width: 17 }, { header: 'Первый ответ', width: 17 }, { header: 'Суть', width: 60 }],
    rows: r.overdueList.map((o) => [o.number, o.kind === 'late' ? 'ответ с опозданием' : 'без ответа, срок истёк', o.statusLabel, o.department, o.topic, dt(o.deadline), dt(o.firstResponseAt), o.summary]),
  };
}

/** The report's tables in the seeds' shape: totals with a year before, quarters, channels, executors, topics, outcomes, overdue. */
export function reportTables(r: PeriodReport, tz: string): ReportTable[] {
  return [
    summary(r, tz),
    figures(r),
    ...(r.byQuarter.length ? [quarters(r, tz)] : []),
    counts(r, 'По каналам', 'По каналам', 'Канал', r.byChannel),
    departments(r),
    counts(r, 'По группам тем', 'По группам тем', 'Группа тем', r.byGroup),
    topics(r),
    counts(r, 'По результатам', 'Результаты рассмотрения', 'Результат', r.byOutcome),
    overdue(r, tz),
  ];
}
