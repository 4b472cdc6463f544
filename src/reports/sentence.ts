import { DateTime } from 'luxon';
import { plural } from './labels.js';
import type { PeriodReport } from './period.js';

/**
 * The ready sentence for the social-media section of an administration's report,
 * in the seeds' wording: «…за отчётный период отработано 112 инцидентов (январь
 * 2021 года – 98); ответы даны на 100 из них, 90 – в установленный срок.»
 */
export function reportSentence(r: PeriodReport, tz: string): string {
  const n = r.incidents;
  const ago = r.yearAgo ? ` (${periodName(r.yearAgo.from, r.yearAgo.to, tz)} – ${r.yearAgo.incidents})` : '';
  return (
    `В системе работы с сообщениями в социальных сетях за отчётный период отработано ${n} ${plural(n, 'инцидент', 'инцидента', 'инцидентов')}${ago}; ` +
    `ответы даны на ${r.answered} ${plural(r.answered, 'инцидент', 'инцидента', 'инцидентов')}, из них ${r.answeredOnTime} – в установленный срок.`
  );
}

const MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

/** «январь 2021 года», «2025 год», «1 квартал 2024 года», else «01.03.2025 – 07.03.2025». */
export function periodName(fromIso: string, toIso: string, tz: string): string {
  const from = DateTime.fromISO(fromIso, { zone: tz });
  const to = DateTime.fromISO(toIso, { zone: tz });
  const whole = (unit: 'month' | 'quarter' | 'year') => from.equals(from.startOf(unit)) && to.equals(from.plus({ [`${unit}s`]: 1 }).startOf(unit));
  if (whole('year')) return `${from.year} год`;
  if (whole('quarter')) return `${from.quarter} квартал ${from.year} года`;
  if (whole('month')) return `${MONTHS[from.month - 1]} ${from.year} года`;
  return `${from.toFormat('dd.MM.yyyy')} – ${to.minus({ milliseconds: 1 }).toFormat('dd.MM.yyyy')}`;
}
