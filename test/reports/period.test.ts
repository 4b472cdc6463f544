import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidents, posts } from '../../src/db/schema.js';
import { transition } from '../../src/incidents/transition.js';
import { buildPeriodReport, median } from '../../src/reports/period.js';
import { clip, formatChange, formatDuration, plural } from '../../src/reports/labels.js';
import { renderReportText } from '../../src/reports/text.js';
import type { App } from '../../src/app/app.js';
import { createTestApp } from '../helpers/app.js';
import { openTestDb } from '../helpers/db.js';
import { recomputeFigures } from './recompute.js';

const H = 3_600_000;
const T0 = new Date('2026-11-16T09:00:00+03:00'); // Monday, start of the working day
const at = (h: number) => new Date(T0.getTime() + h * H);
const END = at(24 * 7);

type Step = { to: 'answered' | 'interim' | 'rejected' | 'redirected'; after: number };
const PLAN: Array<{ dept: string; channel: string; deadline?: number; steps: Step[] }> = [
  { dept: 'housing', channel: 'vk', steps: [{ to: 'answered', after: 2 }] }, // on time, 120 min
  { dept: 'housing', channel: 'vk', steps: [{ to: 'answered', after: 10 }] }, // late: 600 calendar / 540 working min
  { dept: 'roads', channel: 'ok', steps: [] }, // no answer, deadline passed
  { dept: 'roads', channel: 'telegram', steps: [{ to: 'rejected', after: 1 }] }, // not an incident
  { dept: 'housing', channel: 'vk', deadline: 30, steps: [{ to: 'interim', after: 26 }] }, // interim only, on time: 1560 / 660 min
  { dept: 'roads', channel: 'vk', steps: [{ to: 'interim', after: 1 }, { to: 'answered', after: 30 }] }, // counted once, 60 min
  { dept: 'culture', channel: 'telegram', steps: [{ to: 'redirected', after: 1 }] }, // closed without an answer: not overdue
];

describe('period report', () => {
  let h: Awaited<ReturnType<typeof openTestDb>>;
  let app: App;
  beforeAll(async () => {
    h = await openTestDb();
    app = await createTestApp(h); // migrations + departments from the example config
    for (const [i, p] of PLAN.entries()) {
      const [post] = await h.db.insert(posts).values({ channel: p.channel, externalId: `x${i}`, text: `текст ${i}`, publishedAt: at(0), fetchedAt: at(0), decidedKind: 'complaint', processedAt: at(0) }).returning();
      const [inc] = await h.db
        .insert(incidents)
        .values({ status: 'new', kind: 'complaint', topic: 'Тема', topicGroup: 'ЖКХ', departmentCode: p.dept, channel: p.channel, firstPostId: post!.id, summary: `текст ${i}`, detectedAt: at(0), deadlineAt: at(p.deadline ?? 8), updatedAt: at(0) })
        .returning();
      if (p.steps[0]?.to !== 'rejected' && p.steps[0]?.to !== 'redirected') await transition(h.db, { incidentId: inc!.id, to: 'assigned', actor: 'user:1', at: at(0.5) });
      for (const s of p.steps) await transition(h.db, { incidentId: inc!.id, to: s.to, actor: 'user:2', at: at(s.after), reason: 'не инцидент', redirectTo: 'МВД' });
    }
  });
  afterAll(async () => h?.close());

  it('splits overdue into answered late and open past the deadline, counts an interim answer once', async () => {
    const r = await buildPeriodReport(h.db, T0, END, END, { calendar: app.calendar });
    expect(r).toMatchObject({ incidents: 6, rejected: 1, redirected: 1, answered: 4, answeredOnTime: 3, answeredLate: 1, openPastDeadline: 1, overdue: 2, interimOnly: 1, open: 2 });
    expect(r.onTimeShare).toBe(0.75);
    expect(r.onTimeShareOfAll).toBe(0.5);
    expect(r.medianFirstAnswerMin).toBe(360);
    expect(r.medianFirstAnswerWorkMin).toBe(330);
    expect(r.byDepartment.find((d) => d.key === 'housing')).toMatchObject({ count: 3, answered: 3, onTime: 2, answeredLate: 1, openPastDeadline: 0 });
    expect(r.byChannel.map((c) => [c.key, c.count])).toEqual([['vk', 4], ['ok', 1], ['telegram', 1]]);
    expect(r.overdueList.map((o) => [o.kind, o.status])).toEqual([['late', 'answered'], ['open', 'assigned']]);
  });

  it('every figure equals its definition recomputed from the incident rows', async () => {
    for (const asOf of [at(5), at(27), END]) {
      const r = await buildPeriodReport(h.db, T0, END, asOf, { calendar: app.calendar });
      const want = await recomputeFigures(h.db, T0, END, asOf, app.calendar);
      const { overdueNumbers, ...figures } = want;
      expect(r).toMatchObject(figures);
      expect(r.overdueList.map((o) => o.number).sort((a, b) => a - b)).toEqual(overdueNumbers);
      expect(r.byChannel.reduce((a, c) => a + c.count, 0)).toBe(r.incidents);
    }
  });

  it('hides the previous-period comparison when that period has no data', async () => {
    const r = await buildPeriodReport(h.db, T0, END, END, { calendar: app.calendar });
    expect(r.previous).toBeNull();
    expect(r.yearAgo).toBeNull();
    expect(r.byChannel[0]!.previous).toBeNull();
    const text = renderReportText(r, 'Europe/Moscow', 'Курск');
    expect(text).not.toContain('пред.');
    expect(text).not.toContain('предыдущий период');
    const later = await buildPeriodReport(h.db, END, at(24 * 14), at(24 * 14), { calendar: app.calendar });
    expect(later.previous).toMatchObject({ incidents: 6 });
    expect(renderReportText(later, 'Europe/Moscow', 'Курск')).toContain('предыдущий период – 6; −6 (−100,0%)');
  });

  it('renders Russian text: of answered and of all, both medians labelled, overdue split with status', async () => {
    const r = await buildPeriodReport(h.db, T0, END, END, { calendar: app.calendar });
    const text = renderReportText(r, 'Europe/Moscow', 'Курск');
    expect(text).toContain('Период: 16.11.2026 – 23.11.2026'); // the period ends Monday 09:00
    expect(text).toContain('Поступило и отработано 6 инцидентов.');
    expect(text).toContain('В срок: 3 из 4 ответивших (75,0%); от всех инцидентов – 50,0%.');
    expect(text).toContain('Просрочено: 2 — ответ дан с опозданием: 1; без ответа, срок истёк: 1.');
    expect(text).toContain('медиана 6 ч 0 мин календарного времени, 5 ч 30 мин рабочего');
    expect(text).toMatch(/№\d+ {2}«Назначен» {2}срок 16\.11 17:00, без ответа/);
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
  it('names are shortened at a word boundary, never mid-word', () => {
    expect(clip('Комитет жилищно-коммунального хозяйства и ТЭК города Курска', 30)).toBe('Комитет жилищно-коммунального…');
    expect(clip('Отдел культуры', 30)).toBe('Отдел культуры');
    expect(clip('Сверхдлинноеназваниебезпробелов ещё', 10)).toBe('Сверхдлинноеназваниебезпробелов…');
  });
});
