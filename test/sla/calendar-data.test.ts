import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { calendarDataOf, loadCalendar, parseCalendarYear } from '../../src/sla/calendar.js';
import { fallbackYear } from '../../src/sla/fallback-year.js';

const dirs: string[] = [];
function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'otklik-cal-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('loadCalendar', () => {
  it('loads the shipped years and nothing unconfirmed', () => {
    const data = loadCalendar();
    expect([...data.years.keys()].sort()).toEqual([2025, 2026]);
    const y2026 = data.years.get(2026)!;
    expect(y2026.daysOff.has('2026-01-11')).toBe(true);
    expect(y2026.daysOff.size).toBe(11 + 3 + 3 + 3 + 3 + 3 + 1 + 1);
    expect([...y2026.shortenedDays]).toEqual(['2026-04-30', '2026-05-08', '2026-06-11', '2026-11-03']);
    expect([...data.years.get(2025)!.workingDays]).toEqual(['2025-11-01']);
  });

  it('reads a year an admin adds', () => {
    const dir = dirWith({ 'ru-2030.json': JSON.stringify({ year: 2030, days_off: ['2030-01-01..2030-01-08'], working_days: ['2030-01-12'] }) });
    const y = loadCalendar(dir).years.get(2030)!;
    expect(y.daysOff.size).toBe(8);
    expect(y.shortenedDays.size).toBe(0);
  });

  it.each([
    ['not JSON', '{year: 2030', /ru-2030\.json: not valid JSON/],
    ['a wrong key', JSON.stringify({ year: 2030, holidays: [] }), /ru-2030\.json: .*holidays/],
    ['a bad date', JSON.stringify({ year: 2030, days_off: ['2030-02-30'] }), /ru-2030\.json: days_off\.0: "2030-02-30" is not a valid date/],
    ['a date of another year', JSON.stringify({ year: 2030, days_off: ['2031-01-01'] }), /outside 2030/],
    ['a reversed range', JSON.stringify({ year: 2030, days_off: ['2030-05-09..2030-05-01'] }), /ends before it starts/],
    ['a bad format', JSON.stringify({ year: 2030, shortened_days: ['30.04.2030'] }), /shortened_days\.0: expected "YYYY-MM-DD"/],
  ])('fails naming the file and key on %s', (_name, text, message) => {
    expect(() => loadCalendar(dirWith({ 'ru-2030.json': text }))).toThrow(message);
  });

  it('refuses a year defined twice', () => {
    const text = JSON.stringify({ year: 2030 });
    expect(() => loadCalendar(dirWith({ 'a.json': text, 'b.json': text }))).toThrow(/b\.json: year 2030 is defined twice/);
  });

  it('builds data from parsed years', () => {
    const data = calendarDataOf([parseCalendarYear({ year: 2031 }, 'inline')]);
    expect(data.years.get(2031)?.daysOff.size).toBe(0);
  });
});

describe('fallbackYear (Labour Code art. 112 and 95)', () => {
  it.each([
    [2027, ['2027-01-01', '2027-01-08', '2027-02-23', '2027-03-08', '2027-05-10', '2027-06-14', '2027-11-04'], ['2027-02-22', '2027-04-30', '2027-06-11', '2027-11-03', '2027-12-31']],
    [2028, ['2028-01-07', '2028-03-08', '2028-05-01', '2028-05-09', '2028-06-12', '2028-11-06'], ['2028-02-22', '2028-03-07', '2028-11-03']],
  ])('%i', (year, off, shortened) => {
    const y = fallbackYear(year);
    for (const d of off) expect(y.daysOff.has(d), d).toBe(true);
    for (const d of shortened) expect(y.shortenedDays.has(d), d).toBe(true);
    expect(y.source).toBe('fallback');
  });
});
