import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { incidentExecutors, incidents } from '../../src/db/schema.js';
import { buildPeriodReport, median, windowsAround, type Count } from '../../src/reports/period.js';
import { OUTCOME_CODES } from '../../src/reports/outcomes.js';
import { fillWorkMinutes } from '../../src/reports/work-time.js';
import type { App } from '../../src/app/app.js';
import { createTestApp } from '../helpers/app.js';
import { openTestDb } from '../helpers/db.js';

type Row = typeof incidents.$inferSelect;
const ZONE = 'Europe/Moscow';
const DEPTS = ['housing', 'roads', 'culture', 'education'];
const STATUSES = ['closed', 'answered', 'in_work', 'interim', 'rejected', 'duplicate', 'redirected', 'ready', 'new'] as const;
const H = 3_600_000;

/** A deterministic spread of incidents over two years and a bit: every status, channel, group, outcome; some co-executors. */
function plan(n: number) {
  const start = DateTime.fromISO('2024-01-01T00:00:00', { zone: ZONE }).toMillis();
  return Array.from({ length: n }, (_, g) => {
    const detected = new Date(start + ((g * 7_919) % 820) * 24 * H + ((g * 37) % 24) * H + ((g * 13) % 60) * 60_000);
    const status = STATUSES[g % STATUSES.length]!;
    const answered = ['closed', 'answered', 'interim', 'ready'].includes(status) || (status === 'redirected' && g % 2 === 0);
    const first = answered ? new Date(detected.getTime() + ((g * 53) % 96) * H + ((g * 17) % 60) * 60_000) : null;
    return {
      status,
      kind: 'complaint',
      topic: `Тема ${g % 7}`,
      topicGroup: g % 11 === 0 ? null : ['ЖКХ', 'Дороги', 'Культура'][g % 3]!,
      departmentCode: g % 13 === 0 ? null : DEPTS[g % DEPTS.length]!,
      channel: ['vk', 'ok', 'telegram'][g % 3]!,
      firstPostId: g + 1,
      postsCount: 1 + (g % 5 === 0 ? g % 3 : 0),
      summary: `обращение ${g}`,
      isRepeat: g % 6 === 0,
      outcome: g % 10 === 0 ? OUTCOME_CODES[g % OUTCOME_CODES.length]! : null,
      detectedAt: detected,
      deadlineAt: new Date(detected.getTime() + 24 * H),
      firstResponseAt: first,
      answeredAt: first && ['closed', 'answered'].includes(status) ? new Date(first.getTime() + (g % 3) * H) : null,
      closedAt: ['closed', 'rejected', 'duplicate', 'redirected'].includes(status) ? new Date(detected.getTime() + 50 * H) : null,
      updatedAt: detected,
    };
  });
}

/** The breakdowns written again the straightforward way: filter rows in JS, count. */
function expected(all: Row[], co: Map<number, string[]>, from: Date, to: Date, asOf: Date, app: App) {
  const inWin = (a: Date, b: Date) => all.filter((r) => r.detectedAt >= a && r.detectedAt < b);
  const counted = (rs: Row[]) => rs.filter((r) => r.status !== 'rejected' && r.status !== 'duplicate');
  const cur = counted(inWin(from, to));
  const outcome = (r: Row) => r.outcome ?? (r.status === 'redirected' ? 'redirected' : ['answered', 'closed'].includes(r.status) ? 'explained' : 'pending');
  const by = (rs: Row[], key: (r: Row) => string) => rs.reduce((m, r) => m.set(key(r), (m.get(key(r)) ?? 0) + 1), new Map<string, number>());
  const execs = (r: Row) => [r.departmentCode ?? '', ...(co.get(r.id) ?? [])];
  const byDept = (rs: Row[]) => rs.reduce((m, r) => (execs(r).forEach((d) => m.set(d, [...(m.get(d) ?? []), r])), m), new Map<string, Row[]>());
  const answered = (r: Row) => r.firstResponseAt !== null && r.firstResponseAt <= asOf;
  const quarter = (r: Row) => String(DateTime.fromJSDate(r.detectedAt, { zone: ZONE }).quarter);
  const w = windowsAround(from, to, ZONE);
  const prev = counted(inWin(w.previous.from, w.previous.to));
  const ago = counted(inWin(w.yearAgo.from, w.yearAgo.to));
  const dims = {
    channel: (r: Row) => r.channel,
    group: (r: Row) => r.topicGroup ?? '',
    outcome,
  };
  return {
    previous: prev.length,
    yearAgo: ago.length,
    ...Object.fromEntries(Object.entries(dims).map(([d, f]) => [d, { now: by(cur, f), prev: by(prev, f), ago: by(ago, f) }])),
    topic: { now: by(cur, (r) => `${r.topicGroup ?? ''}|${r.topic}`), ago: by(ago, (r) => `${r.topicGroup ?? ''}|${r.topic}`) },
    quarter: { now: by(cur, quarter), ago: by(ago, quarter) },
    departments: [...byDept(cur)].map(([key, rs]) => {
      const ans = rs.filter(answered);
      return {
        key,
        count: rs.length,
        answered: ans.length,
        onTime: ans.filter((r) => !r.deadlineAt || r.firstResponseAt! <= r.deadlineAt).length,
        medianFirstAnswerMin: median(ans.map((r) => (r.firstResponseAt!.getTime() - r.detectedAt.getTime()) / 60_000)),
        medianFirstAnswerWorkMin: median(ans.map((r) => app.calendar.workingMsBetween(r.detectedAt, r.firstResponseAt!) / 60_000)),
        previous: byDept(prev).get(key)?.length ?? 0,
        yearAgo: byDept(ago).get(key)?.length ?? 0,
      };
    }),
  };
}

const asMap = (xs: Count[]) => new Map(xs.map((c) => [c.key, c.count]));
const nonZero = (m: Map<string, number>) => new Map([...m].filter(([, v]) => v > 0));

describe('report breakdowns (SQL roll-ups) equal the straightforward computation', () => {
  let h: Awaited<ReturnType<typeof openTestDb>>;
  let app: App;
  let all: Row[];
  const co = new Map<number, string[]>();
  beforeAll(async () => {
    h = await openTestDb();
    app = await createTestApp(h);
    all = await h.db.insert(incidents).values(plan(600)).returning();
    const ex = all.filter((r) => r.id % 7 === 3).flatMap((r) => (r.id % 2 ? ['roads', 'Комитет ЖКХ'] : ['culture']).filter((d) => d !== r.departmentCode).map((d) => ({ incidentId: r.id, department: d })));
    await h.db.insert(incidentExecutors).values(ex);
    for (const e of ex) co.set(e.incidentId, [...(co.get(e.incidentId) ?? []), e.department]);
  });
  afterAll(async () => h?.close());

  const periods = [
    ['the year 2025', '2025-01-01', '2026-01-01', '2026-03-01'],
    ['March 2025', '2025-03-01', '2025-04-01', '2025-03-20'],
    ['a custom span across years', '2024-12-10', '2025-02-17', '2025-03-01'],
  ] as const;
  for (const [name, a, b, now] of periods) {
    it(`${name}: every breakdown, department figure and comparison`, async () => {
      const from = DateTime.fromISO(a, { zone: ZONE }).toJSDate();
      const to = DateTime.fromISO(b, { zone: ZONE }).toJSDate();
      const asOf = DateTime.fromISO(now, { zone: ZONE }).toJSDate();
      const r = await buildPeriodReport(h.db, from, to, asOf, { calendar: app.calendar });
      const want = expected(all, co, from, to, asOf < to ? asOf : to, app);
      expect(r.previous?.incidents ?? 0).toBe(want.previous);
      expect(r.yearAgo?.incidents ?? 0).toBe(want.yearAgo);
      for (const [dim, list] of [['channel', r.byChannel], ['group', r.byGroup], ['outcome', r.byOutcome]] as const) {
        const w = (want as unknown as Record<string, { now: Map<string, number>; prev: Map<string, number>; ago: Map<string, number> }>)[dim]!;
        expect(asMap(list), dim).toEqual(w.now);
        for (const c of list) expect([c.previous, c.yearAgo], `${dim} ${c.key}`).toEqual([w.prev.get(c.key) ?? 0, w.ago.get(c.key) ?? 0]);
      }
      expect(new Map(r.byTopic.map((c) => [`${c.group}|${c.key}`, c.count]))).toEqual(want.topic.now);
      expect(new Map(r.byQuarter.filter((q) => q.count).map((q) => [String(q.quarter), q.count]))).toEqual(nonZero(want.quarter.now));
      expect(new Map(r.byQuarter.filter((q) => q.yearAgo).map((q) => [String(q.quarter), q.yearAgo]))).toEqual(nonZero(want.quarter.ago));
      const depts = r.byDepartment.map((d) => ({ key: d.key, count: d.count, answered: d.answered, onTime: d.onTime, medianFirstAnswerMin: d.medianFirstAnswerMin, medianFirstAnswerWorkMin: d.medianFirstAnswerWorkMin, previous: d.previous, yearAgo: d.yearAgo }));
      const sortByKey = <T extends { key: string }>(xs: T[]) => [...xs].sort((x, y) => x.key.localeCompare(y.key));
      const close = (x: number | null) => (x === null ? null : Math.round(x * 1e6) / 1e6);
      const round = <T extends { medianFirstAnswerMin: number | null; medianFirstAnswerWorkMin: number | null }>(d: T) => ({ ...d, medianFirstAnswerMin: close(d.medianFirstAnswerMin), medianFirstAnswerWorkMin: close(d.medianFirstAnswerWorkMin) });
      expect(sortByKey(depts).map(round)).toEqual(sortByKey(want.departments).map(round));
    });
  }

  it('caches working minutes on the incident, and recomputes them when the first answer moves', async () => {
    const from = new Date('2023-01-01T00:00:00Z');
    const to = new Date('2027-01-01T00:00:00Z');
    await fillWorkMinutes(h.db, app.calendar, from, to);
    const rows = await h.db.select().from(incidents);
    for (const r of rows.filter((x) => x.firstResponseAt)) expect(r.firstResponseWorkMin ?? NaN).toBeCloseTo(app.calendar.workingMsBetween(r.detectedAt, r.firstResponseAt!) / 60_000, 6);
    expect(rows.filter((x) => !x.firstResponseAt).every((x) => x.firstResponseWorkMin === null)).toBe(true);
    const one = rows.find((x) => x.firstResponseAt)!;
    const moved = new Date(one.firstResponseAt!.getTime() + 50 * H);
    await h.db.execute(sql`update incidents set first_response_at = ${moved.toISOString()}::timestamptz where id = ${one.id}`);
    const [cleared] = await h.db.select().from(incidents).where(sql`id = ${one.id}`);
    expect(cleared!.firstResponseWorkMin).toBeNull();
    expect(await fillWorkMinutes(h.db, app.calendar, from, to)).toBe(1);
    const [again] = await h.db.select().from(incidents).where(sql`id = ${one.id}`);
    expect(again!.firstResponseWorkMin).toBeCloseTo(app.calendar.workingMsBetween(one.detectedAt, moved) / 60_000, 6);
  });

  it("co-executor rows carry their incident's detection time, kept by the database", async () => {
    const rows = await h.db.select().from(incidentExecutors);
    const det = new Map(all.map((r) => [r.id, r.detectedAt.getTime()]));
    expect(rows.length).toBeGreaterThan(0);
    for (const e of rows) expect(e.detectedAt?.getTime()).toBe(det.get(e.incidentId));
    const id = rows[0]!.incidentId;
    const moved = new Date(det.get(id)! + 3 * H);
    await h.db.execute(sql`update incidents set detected_at = ${moved.toISOString()}::timestamptz where id = ${id}`);
    const after = await h.db.select().from(incidentExecutors).where(sql`incident_id = ${id}`);
    expect(after.map((e) => e.detectedAt?.getTime())).toEqual(after.map(() => moved.getTime()));
  });
});
