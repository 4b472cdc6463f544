import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { fromRoot } from '../paths.js';

/** One year of the production calendar; dates are local `YYYY-MM-DD`. */
export interface CalendarYear {
  year: number;
  /** Where the data comes from (a decree), or `fallback` for a generated year. */
  source: string;
  /** Days off on what would otherwise be working days: holidays and moved days off. */
  daysOff: ReadonlySet<string>;
  /** Saturdays or Sundays that are working days by a move. */
  workingDays: ReadonlySet<string>;
  /** Working days one hour shorter (the day before a holiday, Labour Code art. 95). */
  shortenedDays: ReadonlySet<string>;
}

/** The years the installation has production-calendar data for. */
export interface CalendarData {
  years: ReadonlyMap<number, CalendarYear>;
}

export const defaultCalendarDir = `${fromRoot('config', 'calendar')}/`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const entry = z.string().regex(/^\d{4}-\d{2}-\d{2}(\.\.\d{4}-\d{2}-\d{2})?$/, 'expected "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD"');

const yearFile = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  source: z.string().default(''),
  days_off: z.array(entry).default([]),
  working_days: z.array(entry).default([]),
  shortened_days: z.array(entry).default([]),
});

/** Parses one year file (the format is documented in config/calendar/README.md); `name` goes into error messages. */
export function parseCalendarYear(json: unknown, name: string): CalendarYear {
  const parsed = yearFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`calendar ${name}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const f = parsed.data;
  const expand = (key: string, list: string[]) => new Set(list.flatMap((e, i) => expandEntry(e, f.year, `${name}: ${key}.${i}`)));
  return {
    year: f.year,
    source: f.source,
    daysOff: expand('days_off', f.days_off),
    workingDays: expand('working_days', f.working_days),
    shortenedDays: expand('shortened_days', f.shortened_days),
  };
}

function expandEntry(entryText: string, year: number, where: string): string[] {
  const [fromText, toText = fromText] = entryText.split('..') as [string, string?];
  const from = DateTime.fromISO(fromText, { zone: 'utc' });
  const to = DateTime.fromISO(toText, { zone: 'utc' });
  if (!from.isValid || !to.isValid || !DATE.test(fromText)) throw new Error(`calendar ${where}: "${entryText}" is not a valid date`);
  if (from.year !== year || to.year !== year) throw new Error(`calendar ${where}: "${entryText}" is outside ${year}`);
  if (to < from) throw new Error(`calendar ${where}: "${entryText}" ends before it starts`);
  const days: string[] = [];
  for (let d = from; d <= to; d = d.plus({ days: 1 })) days.push(d.toISODate()!);
  return days;
}

/**
 * Reads every `*.json` year file in `dir` (default: the repository's config/calendar).
 * Synchronous on purpose: it runs once at start, before anything else needs the calendar.
 */
export function loadCalendar(dir: string = defaultCalendarDir): CalendarData {
  const years = new Map<number, CalendarYear>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (err) {
      throw new Error(`calendar ${file}: not valid JSON (${(err as Error).message})`);
    }
    const year = parseCalendarYear(json, file);
    if (years.has(year.year)) throw new Error(`calendar ${file}: year ${year.year} is defined twice`);
    years.set(year.year, year);
  }
  return { years };
}

/** Builds CalendarData from already parsed years (tests, or data that does not live in files). */
export function calendarDataOf(years: CalendarYear[]): CalendarData {
  return { years: new Map(years.map((y) => [y.year, y])) };
}
