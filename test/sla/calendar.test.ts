import { describe, expect, it } from 'vitest';
import { createWorkCalendar, loadCalendar, type WorkCalendar } from '../../src/sla/calendar.js';

const data = loadCalendar();
const moscow = createWorkCalendar({ timezone: 'Europe/Moscow', workStart: '09:00', workEnd: '18:00', data });
const iso = (d: Date, cal: WorkCalendar = moscow) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: cal.timezone, dateStyle: 'short', timeStyle: 'short' }).format(d);

describe('addWorkingHours in Europe/Moscow, 09:00-18:00', () => {
  const table: Array<[string, string, number, string]> = [
    ['Friday 17:00 + 8 h goes over the weekend', '2026-01-16T17:00:00+03:00', 8, '2026-01-19 16:00'],
    ['a post at 23:00 counts from 09:00 next working day', '2026-01-20T23:00:00+03:00', 1, '2026-01-21 10:00'],
    ['a post on Friday night counts from Monday 09:00', '2026-01-23T23:00:00+03:00', 2.5, '2026-01-26 11:30'],
    ['a post before opening counts from 09:00 that day', '2026-01-21T06:15:00+03:00', 0.25, '2026-01-21 09:15'],
    ['ending exactly at closing time stays that day', '2026-01-16T17:00:00+03:00', 1, '2026-01-16 18:00'],
    ['New Year holidays 2026: 31 Dec and 1-11 Jan are off', '2025-12-30T17:00:00+03:00', 2, '2026-01-12 10:00'],
    ['2025: Saturday 1 Nov works (shortened), 2-4 Nov off', '2025-10-31T17:00:00+03:00', 10, '2025-11-05 10:00'],
    ['shortened 3 Nov 2026 ends at 17:00, 4 Nov off', '2026-11-03T16:00:00+03:00', 2, '2026-11-05 10:00'],
    ['8 March 2026 is a Sunday: 7-9 March off', '2026-03-06T17:00:00+03:00', 2, '2026-03-10 10:00'],
    ['30 Apr 2026 is shortened, 1-3 May off', '2026-04-30T16:00:00+03:00', 2, '2026-05-04 10:00'],
    ['8 May 2026 is shortened, 9-11 May off', '2026-05-07T17:00:00+03:00', 10, '2026-05-12 10:00'],
    ['fractional hours count to the minute', '2026-01-21T09:00:00+03:00', 1 / 60, '2026-01-21 09:01'],
  ];
  it.each(table)('%s', (_name, from, hours, expected) => {
    expect(iso(moscow.addWorkingHours(new Date(from), hours))).toBe(expected);
  });

  it('negative hours count back over days off', () => {
    expect(iso(moscow.addWorkingHours(new Date('2026-01-12T10:00:00+03:00'), -2))).toBe('2025-12-30 17:00');
  });
});

describe('working days and hours', () => {
  it.each([
    ['2025-11-01', true], // moved working Saturday
    ['2025-11-03', false],
    ['2026-01-09', false],
    ['2026-01-12', true],
    ['2026-03-09', false],
    ['2026-03-10', true],
    ['2026-06-12', false],
    ['2026-01-17', false], // ordinary Saturday
  ] as const)('%s working: %s', (day, expected) => {
    expect(moscow.isWorkingDay(new Date(`${day}T12:00:00+03:00`))).toBe(expected);
  });

  it('a shortened day ends an hour early; a day off has no hours', () => {
    const h = moscow.workingHoursOf(new Date('2026-11-03T12:00:00+03:00'));
    expect(h && [iso(h.start), iso(h.end)]).toEqual(['2026-11-03 09:00', '2026-11-03 17:00']);
    expect(moscow.workingHoursOf(new Date('2026-11-04T12:00:00+03:00'))).toBeNull();
  });

  // Official totals for a 40-hour week (8-hour days): 247 days and 1972 hours in both years.
  it.each([2025, 2026])('%i has 247 working days and 1972 norm hours', (year) => {
    const cal = createWorkCalendar({ timezone: 'Europe/Moscow', workStart: '09:00', workEnd: '17:00', data });
    let days = 0;
    for (let t = Date.parse(`${year}-01-01T12:00:00+03:00`); new Date(t).getUTCFullYear() === year; t += 86_400_000) {
      if (cal.isWorkingDay(new Date(t))) days++;
    }
    const hours = cal.workingMsBetween(new Date(`${year}-01-01T00:00:00+03:00`), new Date(`${year + 1}-01-01T00:00:00+03:00`)) / 3_600_000;
    expect([days, hours]).toEqual([247, 1972]);
  });
});

describe('time zones', () => {
  const yekaterinburg = createWorkCalendar({ timezone: 'Asia/Yekaterinburg', workStart: '09:00', workEnd: '18:00', data });

  it('counts local working hours in a zone with another offset (+05:00)', () => {
    expect(iso(yekaterinburg.addWorkingHours(new Date('2026-01-16T17:00:00+05:00'), 8), yekaterinburg)).toBe('2026-01-19 16:00');
    expect(yekaterinburg.addWorkingHours(new Date('2026-01-16T17:00:00+05:00'), 8).toISOString()).toBe('2026-01-19T11:00:00.000Z');
  });

  it('the same instant is working time in Moscow but evening in Yekaterinburg', () => {
    const at = new Date('2026-01-21T14:30:00Z'); // 17:30 in Moscow, 19:30 in Yekaterinburg
    expect(moscow.workingMsBetween(at, new Date('2026-01-21T15:00:00Z'))).toBe(30 * 60_000);
    expect(yekaterinburg.workingMsBetween(at, new Date('2026-01-21T15:00:00Z'))).toBe(0);
  });

  it('keeps local opening hours across a DST switch (Europe/Berlin, 29 Mar 2026)', () => {
    const berlin = createWorkCalendar({ timezone: 'Europe/Berlin', workStart: '09:00', workEnd: '18:00', data });
    const due = berlin.addWorkingHours(new Date('2026-03-27T17:00:00+01:00'), 8);
    expect(due.toISOString()).toBe('2026-03-30T14:00:00.000Z'); // 16:00 CEST
  });
});

describe('a year the data does not cover', () => {
  it('falls back to art. 112 holidays and reports the year once', () => {
    const uncovered: number[] = [];
    const cal = createWorkCalendar({ timezone: 'Europe/Moscow', workStart: '09:00', workEnd: '18:00', data, onUncoveredYear: (y) => uncovered.push(y) });
    expect(iso(cal.addWorkingHours(new Date('2026-12-30T17:00:00+03:00'), 2))).toBe('2027-01-11 10:00');
    expect(cal.isWorkingDay(new Date('2027-02-23T12:00:00+03:00'))).toBe(false);
    expect(cal.isWorkingDay(new Date('2027-05-10T12:00:00+03:00'))).toBe(false); // 9 May is a Sunday, moved to Monday
    expect(iso(cal.workingHoursOf(new Date('2027-02-22T12:00:00+03:00'))!.end)).toBe('2027-02-22 17:00');
    expect(cal.isWorkingDay(new Date('2027-03-09T12:00:00+03:00'))).toBe(true);
    expect(uncovered).toEqual([2027]);
  });

  it('does not call back for covered years', () => {
    const uncovered: number[] = [];
    const cal = createWorkCalendar({ timezone: 'Europe/Moscow', workStart: '09:00', workEnd: '18:00', data, onUncoveredYear: (y) => uncovered.push(y) });
    cal.addWorkingHours(new Date('2025-03-03T10:00:00+03:00'), 500);
    expect(uncovered).toEqual([]);
  });
});

describe('workingMsBetween is the inverse of addWorkingHours', () => {
  // A seeded generator keeps the samples random but the test repeatable.
  function mulberry32(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const rnd = mulberry32(20260101);
  const span = Date.parse('2027-06-01T00:00:00Z') - Date.parse('2025-01-01T00:00:00Z');
  const samples = Array.from({ length: 300 }, () => ({
    from: new Date(Date.parse('2025-01-01T00:00:00Z') + Math.floor(rnd() * span)),
    hours: Math.round(rnd() * 120 * 60) / 60,
  }));

  it.each(['Europe/Moscow', 'Asia/Yekaterinburg', 'Europe/Berlin'])('holds for 300 random samples in %s', (timezone) => {
    const cal = createWorkCalendar({ timezone, workStart: '08:30', workEnd: '17:45', data });
    for (const { from, hours } of samples) {
      const due = cal.addWorkingHours(from, hours);
      expect(cal.workingMsBetween(from, due)).toBe(Math.round(hours * 3_600_000));
      expect(cal.workingMsBetween(due, from)).toBe(-Math.round(hours * 3_600_000));
      const back = cal.addWorkingHours(due, -hours);
      expect(cal.workingMsBetween(back, due)).toBe(Math.round(hours * 3_600_000));
    }
  });
});

describe('options', () => {
  it('rejects a bad working day or zone with the key named', () => {
    expect(() => createWorkCalendar({ timezone: 'Europe/Moscow', workStart: '9:00', workEnd: '18:00', data })).toThrow(/workStart/);
    expect(() => createWorkCalendar({ timezone: 'Europe/Moscow', workStart: '18:00', workEnd: '09:00', data })).toThrow(/workEnd/);
    expect(() => createWorkCalendar({ timezone: 'Mars/Olympus', workStart: '09:00', workEnd: '18:00', data })).toThrow(/Mars\/Olympus/);
  });
});
