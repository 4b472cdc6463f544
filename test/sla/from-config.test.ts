import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { workCalendarFromConfig } from '../../src/sla/from-config.js';

describe('workCalendarFromConfig', () => {
  it('uses the installation hours and warns once per uncovered year', () => {
    const lines: string[] = [];
    const log = createLogger({ env: {}, destination: { write: (l: string) => void lines.push(l) } });
    const cal = workCalendarFromConfig({ timezone: 'Asia/Yekaterinburg', sla: { work_start: '08:00', work_end: '17:00' } }, { log });
    expect(cal.addWorkingHours(new Date('2026-01-16T16:00:00+05:00'), 2).toISOString()).toBe('2026-01-19T04:00:00.000Z'); // Mon 09:00 local
    expect(lines).toEqual([]);
    cal.addWorkingHours(new Date('2027-03-01T10:00:00+05:00'), 1);
    cal.addWorkingHours(new Date('2027-06-01T10:00:00+05:00'), 1);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, year: 2027 });
    expect(lines[0]).toContain('ru-2027.json');
  });
});
