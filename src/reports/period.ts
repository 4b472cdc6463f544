import { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { departments } from '../db/schema.js';
import type { WorkCalendar } from '../sla/calendar.js';
import { windowFigures, type Dimension, type GroupFigures, type Window, type WindowCount } from './aggregate.js';
import { countsByGroup } from './compare.js';
import { hasData, overdueList, postCounts, type OverdueItem, type QuarterRow } from './extras.js';
import { CHANNEL_LABELS } from './labels.js';
import { outcomeLabel } from './outcomes.js';
import { fillWorkMinutes } from './work-time.js';

export interface Count {
  key: string;
  label: string;
  count: number;
  /** Same breakdown in the previous period of equal length; null when that period has no data. */
  previous: number | null;
  /** Same breakdown in the same period a year before; null when that period has no data. */
  yearAgo: number | null;
}

export interface DepartmentRow extends Count {
  answered: number;
  onTime: number;
  answeredLate: number;
  openPastDeadline: number;
  /** onTime / answered. */
  onTimeShare: number | null;
  medianFirstAnswerMin: number | null;
  medianFirstAnswerWorkMin: number | null;
}

export interface TopicRow extends Count {
  group: string;
}

/** A compared window: its bounds and counted incidents. */
export interface Comparison {
  from: string;
  to: string;
  incidents: number;
}

/**
 * Everything a period report shows; render-agnostic. Every figure is defined once in
 * figures.ts (README «Report figures») and computed in SQL from incidents and their
 * recorded answer, deadline and closing times.
 */
export interface PeriodReport {
  from: string;
  to: string;
  /** The moment the state is read at: the period's end, or the report's time for a period not yet over. */
  asOf: string;
  generatedAt: string;
  posts: number;
  thanks: number;
  noise: number;
  incidents: number;
  merged: number;
  repeats: number;
  rejected: number;
  redirected: number;
  answered: number;
  answeredOnTime: number;
  answeredLate: number;
  interimOnly: number;
  openPastDeadline: number;
  /** answeredLate + openPastDeadline. */
  overdue: number;
  open: number;
  /** answeredOnTime / answered. */
  onTimeShare: number | null;
  /** answeredOnTime / incidents. */
  onTimeShareOfAll: number | null;
  medianFirstAnswerMin: number | null;
  meanFirstAnswerMin: number | null;
  medianFirstAnswerWorkMin: number | null;
  meanFirstAnswerWorkMin: number | null;
  previous: Comparison | null;
  yearAgo: Comparison | null;
  byChannel: Count[];
  byGroup: Count[];
  byTopic: TopicRow[];
  byOutcome: Count[];
  byDepartment: DepartmentRow[];
  byQuarter: QuarterRow[];
  overdueList: OverdueItem[];
}

export interface ReportOptions {
  calendar: WorkCalendar;
  /** Rows of the overdue list (default 100). */
  overdueLimit?: number;
}

const OTHER = { previous: 'previous', yearAgo: 'yearAgo' } as const;

/**
 * The windows a period is compared with: the previous one (the previous calendar month,
 * quarter or year for such a period, else the same length just before) and the same
 * dates a year earlier.
 */
export function windowsAround(from: Date, to: Date, zone: string): { previous: Window; yearAgo: Window } {
  const f = DateTime.fromJSDate(from, { zone });
  const t = DateTime.fromJSDate(to, { zone });
  const unit = (['year', 'quarter', 'month'] as const).find((u) => f.equals(f.startOf(u)) && t.equals(f.plus({ [`${u}s`]: 1 })));
  const previous = unit ? { from: f.minus({ [`${unit}s`]: 1 }).toJSDate(), to: from } : { from: new Date(from.getTime() - (to.getTime() - from.getTime())), to: from };
  return { previous, yearAgo: { from: f.minus({ years: 1 }).toJSDate(), to: t.minus({ years: 1 }).toJSDate() } };
}

/** Builds the report for incidents detected in [from, to), read as of min(to, now). */
export async function buildPeriodReport(db: Db, from: Date, to: Date, now: Date, opts: ReportOptions): Promise<PeriodReport> {
  const asOf = now < to ? now : to;
  const zone = opts.calendar.timezone;
  const cur = { from, to };
  const other = windowsAround(from, to, zone);
  await fillWorkMinutes(db, opts.calendar, from, to);
  const [{ groups: rolled, departments: depts, total }, others, posts, prevHas, agoHas, names] = await Promise.all([
    windowFigures(db, cur, asOf, zone),
    countsByGroup(db, other, zone),
    postCounts(db, cur),
    hasData(db, other.previous),
    hasData(db, other.yearAgo),
    db.select({ code: departments.code, name: departments.name }).from(departments),
  ]);
  const groups = rolled.map((g) => ({ dim: g.dim, key: g.key, group: g.group, count: g.incidents }));
  const deptNames = new Map(names.map((d) => [d.code, d.name]));
  const deptLabel = (k: string) => deptNames.get(k) ?? (k || 'не назначен');
  const list = await overdueList(db, cur, asOf, opts.overdueLimit ?? 100, deptLabel);
  const has = { previous: prevHas, yearAgo: agoHas };
  const compare = (w: keyof typeof OTHER, dim: Dimension | 'total', key: string, group: string | null = null) =>
    has[w] ? (others.find((o) => o.window === w && o.dim === dim && o.key === key && o.group === group)?.count ?? 0) : null;
  const counts = (dim: Dimension, label: (k: string) => string) => sortCounts(groups.filter((g) => g.dim === dim).map((g) => countOf(g, label(g.key), compare)));
  const comparison = (w: keyof typeof OTHER): Comparison | null =>
    has[w] ? { from: other[w].from.toISOString(), to: other[w].to.toISOString(), incidents: compare(w, 'total', '') ?? 0 } : null;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    asOf: asOf.toISOString(),
    generatedAt: now.toISOString(),
    ...posts,
    incidents: total.incidents,
    merged: total.merged,
    repeats: total.repeats,
    rejected: total.rejected,
    redirected: total.redirected,
    answered: total.answered,
    answeredOnTime: total.answeredOnTime,
    answeredLate: total.answeredLate,
    interimOnly: total.interimOnly,
    openPastDeadline: total.openPastDeadline,
    overdue: total.answeredLate + total.openPastDeadline,
    open: total.open,
    onTimeShare: total.answered ? total.answeredOnTime / total.answered : null,
    onTimeShareOfAll: total.incidents ? total.answeredOnTime / total.incidents : null,
    medianFirstAnswerMin: total.medianMin,
    meanFirstAnswerMin: total.meanMin,
    medianFirstAnswerWorkMin: total.medianWorkMin,
    meanFirstAnswerWorkMin: total.meanWorkMin,
    previous: comparison('previous'),
    yearAgo: comparison('yearAgo'),
    byChannel: counts('channel', (k) => CHANNEL_LABELS[k] ?? k),
    byGroup: counts('group', (k) => k || 'без темы'),
    byTopic: sortCounts(groups.filter((g) => g.dim === 'topic').map((g) => ({ ...countOf(g, g.key || 'без темы', compare), group: g.group ?? '' }))),
    byOutcome: counts('outcome', outcomeLabel),
    byDepartment: sortCounts(depts.filter((d) => d.incidents > 0).map((d) => departmentRow(d, deptLabel(d.key), compare))),
    byQuarter: quartersOf(groups, others),
    overdueList: list,
  };
}

type Compare = (w: keyof typeof OTHER, dim: Dimension | 'total', key: string, group?: string | null) => number | null;

type Counted = Pick<WindowCount, 'dim' | 'key' | 'group' | 'count'>;

function countOf(g: Counted, label: string, compare: Compare): Count {
  const dim = g.dim as Dimension;
  return { key: g.key, label, count: g.count, previous: compare('previous', dim, g.key, g.group), yearAgo: compare('yearAgo', dim, g.key, g.group) };
}

function departmentRow(d: GroupFigures, label: string, compare: Compare): DepartmentRow {
  return {
    ...countOf({ ...d, count: d.incidents }, label, compare),
    answered: d.answered,
    onTime: d.answeredOnTime,
    answeredLate: d.answeredLate,
    openPastDeadline: d.openPastDeadline,
    onTimeShare: d.answered ? d.answeredOnTime / d.answered : null,
    medianFirstAnswerMin: d.medianMin,
    medianFirstAnswerWorkMin: d.medianWorkMin,
  };
}

/** Counted incidents by calendar quarter of the period, beside the same quarters a year before. */
function quartersOf(groups: Counted[], others: WindowCount[]): QuarterRow[] {
  const ago = (q: string) => others.find((o) => o.window === 'yearAgo' && o.dim === 'quarter' && o.key === q)?.count ?? 0;
  const keys = new Set([...groups.filter((g) => g.dim === 'quarter').map((g) => g.key), ...others.filter((o) => o.window === 'yearAgo' && o.dim === 'quarter').map((o) => o.key)]);
  return [...keys].sort().map((q) => ({ quarter: Number(q), count: groups.find((g) => g.dim === 'quarter' && g.key === q)?.count ?? 0, yearAgo: ago(q) }));
}

function sortCounts<T extends Count>(xs: T[]): T[] {
  return xs.filter((x) => x.count > 0).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'ru'));
}


export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
