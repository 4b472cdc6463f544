import { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import type { WorkCalendar } from '../sla/calendar.js';
import { buildPeriodReport, type Count, type DepartmentRow, type PeriodReport } from './period.js';
import { largestMerged, recurringAddresses, stateNow, weeklyByGroup, type TopProblem } from './weekly-data.js';
import type { ChartData } from './chart.js';

/** A change that managers should see: at least this share and this many incidents. */
export const NOTABLE_SHARE = 0.25;
export const NOTABLE_COUNT = 3;

export interface Shift {
  what: string;
  label: string;
  now: number;
  before: number;
}

export interface WeeklyReport {
  week: PeriodReport;
  overdueNow: number;
  waitingPublication: number;
  /** Departments with at least `minIncidents`, best on-time share first. */
  ranking: DepartmentRow[];
  minIncidents: number;
  largest: TopProblem[];
  addresses: Array<{ address: string; count: number }>;
  /** Week-over-week changes of ≥ 25% and ≥ 3 incidents (only when last week has data). */
  shifts: Shift[];
  chart: ChartData;
}

/** Whether a change from `before` to `now` is notable (≥ 25% and ≥ 3 incidents). */
export function isNotable(now: number, before: number): boolean {
  const diff = Math.abs(now - before);
  return diff >= NOTABLE_COUNT && (before === 0 || diff / before >= NOTABLE_SHARE);
}

function shiftsOf(r: PeriodReport): Shift[] {
  if (!r.previous) return [];
  const out: Shift[] = [];
  if (isNotable(r.incidents, r.previous.incidents)) out.push({ what: 'всего', label: 'Инцидентов', now: r.incidents, before: r.previous.incidents });
  const add = (what: string, xs: Count[]) => xs.forEach((c) => c.previous !== null && isNotable(c.count, c.previous) && out.push({ what, label: c.label, now: c.count, before: c.previous }));
  add('канал', r.byChannel);
  add('группа тем', r.byGroup);
  add('исполнитель', r.byDepartment);
  return out;
}

export interface WeeklyDeps {
  db: Db;
  calendar: WorkCalendar;
  minIncidents: number;
}

/** The weekly report for the week starting `weekStart` (Monday 00:00, installation zone), read at `now`. */
export async function buildWeeklyReport(deps: WeeklyDeps, weekStart: Date, now: Date): Promise<WeeklyReport> {
  const start = DateTime.fromJSDate(weekStart, { zone: deps.calendar.timezone });
  return buildSummaryReport(deps, { from: weekStart, to: start.plus({ weeks: 1 }).toJSDate() }, now);
}

/**
 * The same content for any period (`/stats`): its figures against the previous period
 * of equal length, and the chart of the 8 weeks up to the period's end.
 */
export async function buildSummaryReport(deps: WeeklyDeps, w: { from: Date; to: Date }, now: Date): Promise<WeeklyReport> {
  const zone = deps.calendar.timezone;
  const end = DateTime.fromJSDate(w.to < now ? w.to : now, { zone });
  const chartFrom = end.minus({ milliseconds: 1 }).startOf('week').minus({ weeks: 7 }).toJSDate();
  const [week, state, largest, addresses, weekly] = await Promise.all([
    buildPeriodReport(deps.db, w.from, w.to, now, { calendar: deps.calendar, overdueLimit: 10 }),
    stateNow(deps.db, now),
    largestMerged(deps.db, w),
    recurringAddresses(deps.db, w),
    weeklyByGroup(deps.db, { from: chartFrom, to: w.to }, zone),
  ]);
  const ranking = week.byDepartment
    .filter((d) => d.count >= deps.minIncidents && d.onTimeShare !== null)
    .sort((a, b) => b.onTimeShare! - a.onTimeShare! || b.count - a.count);
  const names = new Map(week.byDepartment.map((d) => [d.key, d.label]));
  return {
    week,
    ...state,
    ranking,
    minIncidents: deps.minIncidents,
    largest: largest.map((l) => ({ ...l, department: l.department ? (names.get(l.department) ?? l.department) : null })),
    addresses,
    shifts: shiftsOf(week),
    chart: { weekly, onTime: ranking.map((d) => ({ department: d.label, share: d.onTimeShare!, answered: d.answered })) },
  };
}
