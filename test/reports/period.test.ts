import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidents, posts } from '../../src/db/schema.js';
import { transition } from '../../src/incidents/transition.js';
import { buildPeriodReport, median } from '../../src/reports/period.js';
import { formatChange, formatDuration, plural } from '../../src/reports/labels.js';
import { renderReportText } from '../../src/reports/text.js';
import { createTestApp } from '../helpers/app.js';
import { openTestDb } from '../helpers/db.js';

const H = 3_600_000;
const T0 = new Date('2026-11-16T09:00:00+03:00');
const at = (h: number) => new Date(T0.getTime() + h * H);

describe('period report', () => {
  let h: Awaited<ReturnType<typeof openTestDb>>;
  beforeAll(async () => {
    h = await openTestDb();
    await createTestApp(h); // migrations + departments from the example config
    // Four incidents: answered in 2 h (on time), answered in 10 h (late), never answered (overdue), rejected.
    const plan = [
      { dept: 'housing', channel: 'vk', answerAfter: 2 },
      { dept: 'housing', channel: 'vk', answerAfter: 10 },
      { dept: 'roads', channel: 'ok', answerAfter: null },
      { dept: 'roads', channel: 'telegram', answerAfter: null, reject: true },
    ];
    for (const [i, p] of plan.entries()) {
      const [post] = await h.db.insert(posts).values({ channel: p.channel, externalId: `x${i}`, text: `текст ${i}`, publishedAt: at(0), fetchedAt: at(0), decidedKind: 'complaint', processedAt: at(0) }).returning();
      const [inc] = await h.db
        .insert(incidents)
        .values({ status: 'new', kind: 'complaint', topic: 'Тема', topicGroup: 'ЖКХ', departmentCode: p.dept, channel: p.channel, firstPostId: post!.id, summary: `текст ${i}`, detectedAt: at(0), deadlineAt: at(8), updatedAt: at(0) })
        .returning();
      await transition(h.db, { incidentId: inc!.id, to: 'assigned', actor: 'user:1', at: at(0.5) });
      if (p.answerAfter) await transition(h.db, { incidentId: inc!.id, to: 'answered', actor: 'user:2', at: at(p.answerAfter) });
      if (p.reject) await transition(h.db, { incidentId: inc!.id, to: 'rejected', actor: 'user:1', at: at(1), reason: 'не инцидент' });
    }
  });
  afterAll(async () => h?.close());

  it('counts on time, late and overdue answers, and the median first answer', async () => {
    const r = await buildPeriodReport(h.db, T0, at(24 * 7), at(24 * 7));
    expect(r).toMatchObject({ incidents: 3, rejected: 1, answered: 2, answeredOnTime: 1, overdue: 2, onTimeShare: 0.5, medianFirstAnswerMin: 360, openNow: 1 });
    expect(r.byDepartment.find((d) => d.key === 'housing')).toMatchObject({ count: 2, answered: 2, onTime: 1, overdue: 1, medianFirstAnswerMin: 360 });
    expect(r.byChannel.map((c) => [c.key, c.count])).toEqual([['vk', 2], ['ok', 1]]);
    expect(r.overdueList).toHaveLength(2);
  });

  it('renders Russian text with the previous period', async () => {
    const r = await buildPeriodReport(h.db, T0, at(24 * 7), at(24 * 7));
    const text = renderReportText(r, 'Europe/Moscow', 'Курск');
    expect(text).toContain('Период: 16.11.2026 – 23.11.2026');
    expect(text).toContain('отработано 3 инцидента (предыдущий период – 0; +3)');
    expect(text).toContain('в срок: 1 (50,0%)');
    expect(text).toContain('медиана 6 ч 0 мин');
  });
});

describe('report formatting', () => {
  it.each([
    [1, 'инцидент'], [2, 'инцидента'], [5, 'инцидентов'], [11, 'инцидентов'], [21, 'инцидент'], [112, 'инцидентов'], [134, 'инцидента'],
  ])('plural %i', (n, word) => expect(plural(n, 'инцидент', 'инцидента', 'инцидентов')).toBe(word));
  it('durations and changes', () => {
    expect(formatDuration(192)).toBe('3 ч 12 мин');
    expect(formatDuration(45)).toBe('45 мин');
    expect(formatDuration(null)).toBe('—');
    expect(formatChange(172, 141)).toBe('+31 (+22,0%)');
    expect(formatChange(100, 125)).toBe('−25 (−20,0%)');
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });
});
