import { DateTime } from 'luxon';
import type { CalendarData, CalendarYear } from './calendar-data.js';
import { fallbackYear } from './fallback-year.js';

export { loadCalendar, parseCalendarYear, calendarDataOf, defaultCalendarDir } from './calendar-data.js';
export type { CalendarData, CalendarYear } from './calendar-data.js';

export interface WorkCalendarOptions {
  /** IANA zone the working day is counted in (the installation's `timezone`). */
  timezone: string;
  /** Local start and end of a working day, `HH:MM`. */
  workStart: string;
  workEnd: string;
  data: CalendarData;
  /** Called once per year the data does not cover; the caller logs a warning. */
  onUncoveredYear?: (year: number) => void;
}

/** Absolute bounds of one day's working time. */
export interface WorkingInterval {
  start: Date;
  end: Date;
}

export interface WorkCalendar {
  readonly timezone: string;
  /** Whether the local day containing `date` is a working day. */
  isWorkingDay(date: Date): boolean;
  /** Working time of the local day containing `date`, or null on a day off; shortened days end an hour earlier. */
  workingHoursOf(date: Date): WorkingInterval | null;
  /**
   * The moment `hours` working hours after `from` (fractional ok). A start outside
   * working time counts from the next working minute. Negative hours count back.
   */
  addWorkingHours(from: Date, hours: number): Date;
  /** Working milliseconds from `a` to `b`; negative when `b` is before `a`. */
  workingMsBetween(a: Date, b: Date): number;
}

const HOUR = 3_600_000;
const SHORTENED_BY = HOUR;
/** No real calendar has a year without working days; this bounds the walk if the data is broken. */
const MAX_DAYS = 3660;

function parseHHMM(text: string, key: string): number {
  const m = /^(\d\d):(\d\d)$/.exec(text);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!m || Number(m[1]) > 24 || Number(m[2]) > 59 || minutes > 24 * 60) throw new Error(`work calendar: ${key}: expected HH:MM, got "${text}"`);
  return minutes;
}

/** Epoch ms of a local wall-clock time; set() rather than plus() so a DST switch that day does not shift it. */
function atLocal(day: DateTime, minutes: number): number {
  if (minutes === 24 * 60) return day.plus({ days: 1 }).toMillis();
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();
}

/** Builds a working-time calendar over the production-calendar data. */
export function createWorkCalendar(opts: WorkCalendarOptions): WorkCalendar {
  const startMin = parseHHMM(opts.workStart, 'workStart');
  const endMin = parseHHMM(opts.workEnd, 'workEnd');
  if (endMin - startMin <= SHORTENED_BY / 60_000) throw new Error('work calendar: workEnd must be more than an hour after workStart');
  if (!DateTime.local({ zone: opts.timezone }).isValid) throw new Error(`work calendar: unknown time zone "${opts.timezone}"`);
  const zone = opts.timezone;
  const warned = new Set<number>();
  const fallbacks = new Map<number, CalendarYear>();

  function yearOf(year: number): CalendarYear {
    const known = opts.data.years.get(year);
    if (known) return known;
    let y = fallbacks.get(year);
    if (!y) {
      y = fallbackYear(year);
      fallbacks.set(year, y);
    }
    if (!warned.has(year)) {
      warned.add(year);
      opts.onUncoveredYear?.(year);
    }
    return y;
  }

  function isWorkingLocal(day: DateTime): boolean {
    const y = yearOf(day.year);
    const key = day.toISODate()!;
    if (y.workingDays.has(key)) return true;
    if (y.daysOff.has(key)) return false;
    return day.weekday <= 5;
  }

  /** Working interval in epoch ms of the local day `day` (start of day in the zone). */
  function windowOf(day: DateTime): [number, number] | null {
    if (!isWorkingLocal(day)) return null;
    const start = atLocal(day, startMin);
    const shortened = yearOf(day.year).shortenedDays.has(day.toISODate()!);
    const end = atLocal(day, endMin) - (shortened ? SHORTENED_BY : 0);
    return [start, end];
  }

  const localDay = (ms: number) => DateTime.fromMillis(ms, { zone }).startOf('day');

  function forward(fromMs: number, ms: number): number {
    let cursor = fromMs;
    let left = ms;
    let day = localDay(fromMs);
    for (let i = 0; i < MAX_DAYS; i++, day = day.plus({ days: 1 })) {
      const w = windowOf(day);
      if (!w || cursor >= w[1]) continue;
      cursor = Math.max(cursor, w[0]);
      if (left <= w[1] - cursor) return cursor + left;
      left -= w[1] - cursor;
    }
    throw new Error(`work calendar: no working time within ${MAX_DAYS} days`);
  }

  function backward(fromMs: number, ms: number): number {
    let cursor = fromMs;
    let left = ms;
    let day = localDay(fromMs);
    for (let i = 0; i < MAX_DAYS; i++, day = day.minus({ days: 1 })) {
      const w = windowOf(day);
      if (!w || cursor <= w[0]) continue;
      cursor = Math.min(cursor, w[1]);
      if (left <= cursor - w[0]) return cursor - left;
      left -= cursor - w[0];
    }
    throw new Error(`work calendar: no working time within ${MAX_DAYS} days`);
  }

  function msBetween(a: number, b: number): number {
    if (b < a) return -msBetween(b, a);
    let total = 0;
    const last = localDay(b);
    for (let day = localDay(a); day <= last; day = day.plus({ days: 1 })) {
      const w = windowOf(day);
      if (w) total += Math.max(0, Math.min(b, w[1]) - Math.max(a, w[0]));
    }
    return total;
  }

  return {
    timezone: zone,
    isWorkingDay: (date) => isWorkingLocal(localDay(date.getTime())),
    workingHoursOf(date) {
      const w = windowOf(localDay(date.getTime()));
      return w ? { start: new Date(w[0]), end: new Date(w[1]) } : null;
    },
    addWorkingHours(from, hours) {
      if (!Number.isFinite(hours)) throw new Error(`work calendar: hours must be a finite number, got ${hours}`);
      const ms = Math.round(Math.abs(hours) * HOUR);
      if (ms === 0) return new Date(from.getTime());
      return new Date(hours > 0 ? forward(from.getTime(), ms) : backward(from.getTime(), ms));
    },
    workingMsBetween: (a, b) => msBetween(a.getTime(), b.getTime()),
  };
}
