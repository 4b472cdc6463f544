import { describe, expect, it } from 'vitest';
import { createWorkCalendar, loadCalendar } from '../../src/sla/calendar.js';
import { computeDeadline, interimFollowupDeadline, isOverdue, remindAt, type SlaMode } from '../../src/sla/deadline.js';

const calendar = createWorkCalendar({ timezone: 'Europe/Moscow', workStart: '09:00', workEnd: '18:00', data: loadCalendar() });
const at = (s: string) => new Date(s);

describe('computeDeadline', () => {
  const table: Array<[string, SlaMode, number, string]> = [
    ['2026-01-16T17:00:00+03:00', 'working', 8, '2026-01-19T16:00:00+03:00'],
    ['2026-01-16T17:00:00+03:00', 'calendar', 8, '2026-01-17T01:00:00+03:00'],
    // Calendar mode counts every hour, holidays included.
    ['2025-12-30T17:00:00+03:00', 'calendar', 24, '2025-12-31T17:00:00+03:00'],
    ['2025-12-30T17:00:00+03:00', 'working', 24, '2026-01-14T14:00:00+03:00'],
    ['2026-01-20T23:00:00+03:00', 'working', 9, '2026-01-21T18:00:00+03:00'],
    ['2026-01-20T23:00:00+03:00', 'calendar', 1.5, '2026-01-21T00:30:00+03:00'],
  ];
  it.each(table)('%s + %s %i h → %s', (from, mode, hours, expected) => {
    expect(computeDeadline({ from: at(from), hours, mode }, calendar).getTime()).toBe(at(expected).getTime());
  });
});

describe('isOverdue', () => {
  const deadline = at('2026-01-19T16:00:00+03:00');
  it.each([
    ['answered before the deadline', '2026-01-19T15:59:00+03:00', '2026-01-25T00:00:00+03:00', false],
    ['answered exactly at the deadline', '2026-01-19T16:00:00+03:00', '2026-01-25T00:00:00+03:00', false],
    ['answered late', '2026-01-19T16:01:00+03:00', '2026-01-19T16:02:00+03:00', true],
    ['no answer, still time', null, '2026-01-19T15:00:00+03:00', false],
    ['no answer, deadline passed', null, '2026-01-19T16:00:01+03:00', true],
  ] as const)('%s', (_name, answeredAt, now, expected) => {
    expect(isOverdue(deadline, answeredAt ? at(answeredAt) : null, at(now))).toBe(expected);
  });
});

describe('interimFollowupDeadline', () => {
  it('counts calendar days, holidays included', () => {
    expect(interimFollowupDeadline(at('2025-12-30T11:20:00+03:00'), 7).getTime()).toBe(at('2026-01-06T11:20:00+03:00').getTime());
    expect(interimFollowupDeadline(at('2026-03-02T10:00:00+03:00'), 0.5).getTime()).toBe(at('2026-03-02T22:00:00+03:00').getTime());
  });
});

describe('remindAt', () => {
  it.each([
    ['working, same day', '2026-01-19T16:00:00+03:00', 2, 'working', '2026-01-19T14:00:00+03:00'],
    ['working, back over the weekend', '2026-01-19T10:00:00+03:00', 2, 'working', '2026-01-16T17:00:00+03:00'],
    ['working, back over the New Year holidays', '2026-01-12T10:00:00+03:00', 3, 'working', '2025-12-30T16:00:00+03:00'],
    ['calendar', '2026-01-19T10:00:00+03:00', 2, 'calendar', '2026-01-19T08:00:00+03:00'],
  ] as const)('%s', (_name, deadline, hours, mode, expected) => {
    expect(remindAt(at(deadline), hours, mode, calendar).getTime()).toBe(at(expected).getTime());
  });
});
