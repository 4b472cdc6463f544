import { and, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { departments, incidents, posts } from '../db/schema.js';
import { CHANNEL_LABELS } from './labels.js';

export interface Count {
  key: string;
  label: string;
  count: number;
  /** Same breakdown in the previous period of equal length. */
  previous: number;
}

export interface DepartmentRow extends Count {
  answered: number;
  onTime: number;
  overdue: number;
  medianFirstAnswerMin: number | null;
}

/** Everything the period report shows; every number comes from incident rows and their events. */
export interface PeriodReport {
  from: string;
  to: string;
  generatedAt: string;
  posts: number;
  thanks: number;
  noise: number;
  incidents: number;
  previousIncidents: number;
  merged: number;
  repeats: number;
  answered: number;
  answeredOnTime: number;
  onTimeShare: number | null;
  overdue: number;
  openNow: number;
  rejected: number;
  redirected: number;
  medianFirstAnswerMin: number | null;
  meanFirstAnswerMin: number | null;
  byChannel: Count[];
  byGroup: Count[];
  byTopic: Count[];
  byDepartment: DepartmentRow[];
  overdueList: Array<{ number: number; department: string; topic: string | null; deadline: string; summary: string }>;
}

type Row = typeof incidents.$inferSelect;

const minutes = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 60_000;

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** First answer given after the deadline, or none given and the deadline has passed by `asOf`. */
export function isLate(r: Row, asOf: Date): boolean {
  if (!r.deadlineAt) return false;
  if (r.firstResponseAt) return r.firstResponseAt > r.deadlineAt;
  return ['new', 'assigned', 'in_work'].includes(r.status) && r.deadlineAt < asOf;
}

const COUNTED = (r: Row) => !['rejected', 'duplicate'].includes(r.status);

async function incidentsIn(db: Db, from: Date, to: Date): Promise<Row[]> {
  return db.select().from(incidents).where(and(gte(incidents.detectedAt, from), lt(incidents.detectedAt, to)));
}

function countBy(rows: Row[], prev: Row[], key: (r: Row) => string | null, label: (k: string) => string): Count[] {
  const tally = (rs: Row[]) => rs.reduce((m, r) => m.set(key(r) ?? '', (m.get(key(r) ?? '') ?? 0) + 1), new Map<string, number>());
  const now = tally(rows);
  const before = tally(prev);
  return [...now]
    .map(([k, count]) => ({ key: k, label: label(k), count, previous: before.get(k) ?? 0 }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'ru'));
}

/** Builds the report for incidents detected in [from, to). `asOf` decides what is overdue (default: min(to, now)). */
export async function buildPeriodReport(db: Db, from: Date, to: Date, now: Date): Promise<PeriodReport> {
  const asOf = now < to ? now : to;
  const span = to.getTime() - from.getTime();
  const all = await incidentsIn(db, from, to);
  const rows = all.filter(COUNTED);
  const prev = (await incidentsIn(db, new Date(from.getTime() - span), from)).filter(COUNTED);
  const deptNames = new Map((await db.select().from(departments)).map((d) => [d.code, d.name]));
  const postStats = await db
    .select({ kind: posts.decidedKind, n: sql<number>`count(*)::int`, merged: sql<number>`count(*) filter (where ${posts.incidentId} is not null)::int` })
    .from(posts)
    .where(and(gte(posts.fetchedAt, from), lt(posts.fetchedAt, to)))
    .groupBy(posts.decidedKind);
  const firstAnswer = rows.filter((r) => r.firstResponseAt).map((r) => minutes(r.detectedAt, r.firstResponseAt!));
  const answered = rows.filter((r) => r.firstResponseAt);
  const onTime = answered.filter((r) => !isLate(r, asOf));
  const late = rows.filter((r) => isLate(r, asOf));
  const mean = firstAnswer.length ? firstAnswer.reduce((a, b) => a + b, 0) / firstAnswer.length : null;
  const deptLabel = (k: string) => deptNames.get(k) ?? (k || 'не назначен');
  const byDepartment = countBy(rows, prev, (r) => r.departmentCode, deptLabel).map((c) => {
    const mine = rows.filter((r) => (r.departmentCode ?? '') === c.key);
    const mineAnswered = mine.filter((r) => r.firstResponseAt);
    return {
      ...c,
      answered: mineAnswered.length,
      onTime: mineAnswered.filter((r) => !isLate(r, asOf)).length,
      overdue: mine.filter((r) => isLate(r, asOf)).length,
      medianFirstAnswerMin: median(mineAnswered.map((r) => minutes(r.detectedAt, r.firstResponseAt!))),
    };
  });
  const kindCount = (k: string) => postStats.filter((p) => p.kind === k).reduce((a, p) => a + Number(p.n), 0);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    generatedAt: now.toISOString(),
    posts: postStats.reduce((a, p) => a + Number(p.n), 0),
    thanks: kindCount('thanks'),
    noise: kindCount('noise'),
    incidents: rows.length,
    previousIncidents: prev.length,
    merged: rows.reduce((a, r) => a + (r.postsCount - 1), 0) + all.filter((r) => r.status === 'duplicate').length,
    repeats: rows.filter((r) => r.isRepeat).length,
    answered: answered.length,
    answeredOnTime: onTime.length,
    onTimeShare: answered.length ? onTime.length / answered.length : null,
    overdue: late.length,
    openNow: rows.filter((r) => ['new', 'assigned', 'in_work', 'interim'].includes(r.status)).length,
    rejected: all.filter((r) => r.status === 'rejected').length,
    redirected: rows.filter((r) => r.status === 'redirected').length,
    medianFirstAnswerMin: median(firstAnswer),
    meanFirstAnswerMin: mean,
    byChannel: countBy(rows, prev, (r) => r.channel, (k) => CHANNEL_LABELS[k] ?? k),
    byGroup: countBy(rows, prev, (r) => r.topicGroup, (k) => k || 'без темы'),
    byTopic: countBy(rows, prev, (r) => r.topic, (k) => k || 'без темы'),
    byDepartment,
    overdueList: late
      .sort((a, b) => a.deadlineAt!.getTime() - b.deadlineAt!.getTime())
      .map((r) => ({ number: r.number, department: deptLabel(r.departmentCode ?? ''), topic: r.topic, deadline: r.deadlineAt!.toISOString(), summary: r.summary })),
  };
}
