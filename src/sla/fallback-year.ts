import { DateTime } from 'luxon';
import type { CalendarYear } from './calendar-data.js';

/** Public holidays of Labour Code art. 112 as [month, day]. */
const JANUARY_HOLIDAYS: Array<[number, number]> = [1, 2, 3, 4, 5, 6, 7, 8].map((d) => [1, d]);
const OTHER_HOLIDAYS: Array<[number, number]> = [
  [2, 23],
  [3, 8],
  [5, 1],
  [5, 9],
  [6, 12],
  [11, 4],
];

const isWeekend = (d: DateTime) => d.weekday >= 6;

/**
 * A best-effort year for which no decree data is installed: weekends, the fixed
 * holidays of art. 112, a non-January holiday on a weekend moved to the next
 * working day (art. 112 part 2), and the working day before a holiday shortened
 * (art. 95). Yearly decrees add moves this cannot know, so callers warn.
 */
export function fallbackYear(year: number): CalendarYear {
  const daysOff = new Set<string>();
  const holidays = new Set<string>();
  const day = (m: number, d: number) => DateTime.fromObject({ year, month: m, day: d }, { zone: 'utc' });
  for (const [m, d] of [...JANUARY_HOLIDAYS, ...OTHER_HOLIDAYS]) {
    holidays.add(day(m, d).toISODate()!);
    daysOff.add(day(m, d).toISODate()!);
  }
  for (const [m, d] of OTHER_HOLIDAYS) {
    const h = day(m, d);
    if (!isWeekend(h)) continue;
    let moved = h.plus({ days: 1 });
    while (isWeekend(moved) || daysOff.has(moved.toISODate()!)) moved = moved.plus({ days: 1 });
    daysOff.add(moved.toISODate()!);
  }
  const shortenedDays = new Set<string>();
  for (const h of holidays) {
    const before = DateTime.fromISO(h, { zone: 'utc' }).minus({ days: 1 });
    if (before.year === year && !isWeekend(before) && !daysOff.has(before.toISODate()!)) shortenedDays.add(before.toISODate()!);
  }
  // 31 December precedes the next year's 1 January holiday.
  const dec31 = day(12, 31);
  if (!isWeekend(dec31)) shortenedDays.add(dec31.toISODate()!);
  return { year, source: 'fallback', daysOff, workingDays: new Set(), shortenedDays };
}
