import { DateTime } from 'luxon';

export type StatsPeriod = { from: Date; to: Date } | { error: string };

const UNITS = { week: 'week', month: 'month', quarter: 'quarter', year: 'year', неделя: 'week', месяц: 'month', квартал: 'quarter', год: 'year' } as const;

/**
 * The period of `/stats <arg>`: `week | month | quarter | year` (the current one, to
 * date; `to` is its end) or `DD.MM.YYYY-DD.MM.YYYY` (days inclusive), installation zone.
 */
export function parseStatsPeriod(arg: string, now: Date, zone: string): StatsPeriod {
  const a = arg.trim().toLowerCase() || 'week';
  const unit = UNITS[a as keyof typeof UNITS];
  if (unit) {
    const start = DateTime.fromJSDate(now, { zone }).startOf(unit);
    return { from: start.toJSDate(), to: start.plus({ [`${unit}s`]: 1 }).toJSDate() };
  }
  const m = /^(\d{2}\.\d{2}\.\d{4})\s*[-–]\s*(\d{2}\.\d{2}\.\d{4})$/.exec(a);
  const from = m ? DateTime.fromFormat(m[1]!, 'dd.MM.yyyy', { zone }) : null;
  const to = m ? DateTime.fromFormat(m[2]!, 'dd.MM.yyyy', { zone }).plus({ days: 1 }) : null;
  if (!from?.isValid || !to?.isValid || to <= from) return { error: 'Формат: /stats week | month | quarter | year | ДД.ММ.ГГГГ-ДД.ММ.ГГГГ, и «xlsx» в конце, чтобы получить таблицу' };
  return { from: from.toJSDate(), to: to.toJSDate() };
}
