import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { WorkCalendar } from '../sla/calendar.js';
import { COUNTED, FIGURES, type FigureKey } from './figures.js';
import { OUTCOME_SQL } from './outcomes.js';
import { bigRows, num, numOrNull, zoneLiteral } from './sql.js';
import { localDay, workDaysTable, workMinutesAt } from './work-time.js';

/** A half-open window of detection time. */
export interface Window {
  from: Date;
  to: Date;
}

export type Figures = Record<FigureKey, number> & {
  /** Posts merged into counted incidents plus incidents merged into others. */
  merged: number;
  /** Time to the first public answer of answered incidents, minutes: calendar and working. */
  medianMin: number | null;
  meanMin: number | null;
  medianWorkMin: number | null;
  meanWorkMin: number | null;
};

export type Dimension = 'channel' | 'group' | 'topic' | 'outcome' | 'quarter' | 'department';
export interface GroupFigures extends Figures {
  dim: Dimension | 'total';
  key: string;
  /** For a topic: its group. */
  group: string | null;
}

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** The incident columns the figures read: a narrow row keeps sorts and hashes small on big periods. */
const COLS = sql.raw(
  'i.id, i.status, i.channel, i.topic_group, i.topic, i.department_code, i.outcome, i.posts_count, i.is_repeat, i.detected_at, i.deadline_at, i.first_response_at, i.answered_at, i.closed_at',
);

/**
 * Incidents detected in the window (with executors: one row per executor, `dept`),
 * their outcome code and — when `times` is given — the calendar and working minutes
 * to the first answer (null if none by `asOf`).
 */
function windowRows(w: Window, withExecutors: boolean, times: { asOf: Date; calendar: WorkCalendar } | null): SQL {
  const inWindow = sql`i.detected_at >= ${at(w.from)} and i.detected_at < ${at(w.to)}`;
  const source = withExecutors
    ? sql`(select ${COLS}, i.department_code as dept, true as main from incidents i where ${inWindow}
           union all
           select ${COLS}, e.department as dept, false as main from incidents i join incident_executors e on e.incident_id = i.id where ${inWindow})`
    : sql`(select ${COLS} from incidents i where ${inWindow})`;
  if (!times) return sql`select i.*, ${OUTCOME_SQL} as outcome_code from ${source} i`;
  const answered = FIGURES.answered.where(times.asOf);
  const work = sql`${workMinutesAt(sql.raw('i.first_response_at'), 'wb')} - ${workMinutesAt(sql.raw('i.detected_at'), 'wa')}`;
  return sql`
    select i.*, ${OUTCOME_SQL} as outcome_code,
      case when ${answered} then extract(epoch from i.first_response_at - i.detected_at)::float8 / 60 end as cal_min,
      case when ${answered} then ${work} end as work_min
    from ${source} i
    left join wd wa on wa.day = ${localDay(sql.raw('i.detected_at'), times.calendar.timezone)}
    left join wd wb on wb.day = ${localDay(sql.raw('i.first_response_at'), times.calendar.timezone)}`;
}

function toFigures(r: Record<string, unknown>): Figures {
  const f = Object.fromEntries(Object.keys(FIGURES).map((k) => [k, num(r[k])])) as Record<FigureKey, number>;
  return { ...f, merged: num(r.merged), medianMin: numOrNull(r.medianMin), meanMin: numOrNull(r.meanMin), medianWorkMin: numOrNull(r.medianWorkMin), meanWorkMin: numOrNull(r.meanWorkMin) };
}

/** Counted incidents by channel, topic group, topic, outcome and quarter: aggregated once at the finest grain, then rolled up. */
export async function countsInWindow(db: Db, w: Window, zone: string): Promise<Array<Omit<WindowCount, 'window'>>> {
  const found = await bigRows<Record<string, unknown>>(
    db,
    sql`with x as (${windowRows(w, false, null)}),
      f as (select i.channel, i.topic_group, i.topic, i.outcome_code, ${quarterOf(zone)} as q, count(*) filter (where ${COUNTED})::int as n from x i group by 1, 2, 3, 4, 5)
      select grouping(i.channel) as g_channel, grouping(i.topic_group) as g_group, grouping(i.topic) as g_topic, grouping(i.outcome_code) as g_outcome, grouping(i.q) as g_q,
        i.channel, i.topic_group, i.topic, i.outcome_code, i.q, sum(i.n)::int as n
      from f i
      group by grouping sets ((i.channel), (i.topic_group), (i.topic_group, i.topic), (i.outcome_code), (i.q))`,
  );
  return found.map((r) => {
    const dim = dimOf(r);
    return { dim, key: keyOf(r, dim), group: dim === 'topic' ? ((r.topic_group as string | null) ?? '') : null, count: num(r.n) };
  });
}

export type AnswerTimes = Pick<Figures, 'medianMin' | 'meanMin' | 'medianWorkMin' | 'meanWorkMin'>;

/**
 * Every figure by executor (an incident counts once for its department and once for
 * each co-executor), and every figure of the whole window (each incident once).
 * Figure predicates are evaluated once per row into narrow integer flags, so the sort
 * the medians need stays small.
 */
export async function figuresByDepartment(db: Db, w: Window, asOf: Date, calendar: WorkCalendar): Promise<{ departments: GroupFigures[]; total: GroupFigures }> {
  const keys = Object.keys(FIGURES) as FigureKey[];
  const flags = sql.join(keys.map((k) => sql`(${FIGURES[k].where(asOf)})::int as ${sql.identifier(k)}`), sql`, `);
  const sums = sql.raw(keys.map((k) => `sum(i."${k}")::int as "${k}"`).join(', '));
  const time = (col: string, filter: string, as: string) =>
    `percentile_cont(0.5) within group (order by i.${col}) ${filter} as "${as}Median", avg(i.${col}) ${filter} as "${as}Mean"`;
  const found = await bigRows<Record<string, unknown>>(
    db,
    sql`with wd as ${workDaysTable(calendar, w.from, asOf)},
      x as materialized (select i.dept, i.main, ${flags}, (case when ${COUNTED} then i.posts_count - 1 else 0 end + (i.status = 'duplicate')::int) as merged, i.cal_min, i.work_min
            from (${windowRows(w, true, { asOf, calendar })}) i)
      -- Medians cost a sort each: two per department, two for the whole window (each incident once).
      select 0 as g_dept, i.dept, ${sums}, sum(i.merged)::int as merged, ${sql.raw(time('cal_min', '', 'cal'))}, ${sql.raw(time('work_min', '', 'work'))}
      from x i group by i.dept
      union all
      select 1, null, ${sums}, sum(i.merged)::int, ${sql.raw(time('cal_min', '', 'cal'))}, ${sql.raw(time('work_min', '', 'work'))}
      from x i where i.main`,
  );
  const pick = (r: Record<string, unknown>): AnswerTimes => ({ medianMin: numOrNull(r.calMedian), meanMin: numOrNull(r.calMean), medianWorkMin: numOrNull(r.workMedian), meanWorkMin: numOrNull(r.workMean) });
  const total = found.find((r) => num(r.g_dept));
  return {
    departments: found.filter((r) => !num(r.g_dept)).map((r) => ({ dim: 'department' as const, key: (r.dept as string | null) ?? '', group: null, ...toFigures(r), ...pick(r) })),
    // The whole window: every incident once (its department's row, not its co-executors').
    total: { dim: 'total', key: '', group: null, ...toFigures(total ?? {}), ...pick(total ?? {}) },
  };
}

export interface WindowCount {
  window: string;
  dim: Dimension | 'total';
  key: string;
  group: string | null;
  count: number;
}

/**
 * Counted incidents of other windows (the previous period, the same period a year
 * before) by every dimension, for the «(пред. …)» and «(2025 г. – …)» columns. Windows
 * with the same bounds (a year's previous period is the year before) are read once;
 * each is its own index range scan, aggregated at the finest grain and then rolled up.
 */
export async function countsByGroup(db: Db, windows: Record<string, Window>, zone: string): Promise<WindowCount[]> {
  const keyOfWindow = (x: Window) => `${x.from.toISOString()}/${x.to.toISOString()}`;
  const unique = [...new Map(Object.values(windows).map((x) => [keyOfWindow(x), x])).values()];
  if (!unique.length) return [];
  const parts = unique.map((x, n) => {
    const inWindow = sql`i.detected_at >= ${at(x.from)} and i.detected_at < ${at(x.to)} and ${COUNTED}`;
    return sql`select ${n}::int as win, ${COLS}, i.department_code as dept, true as main from incidents i where ${inWindow}
      union all
      select ${n}::int as win, ${COLS}, e.department as dept, false as main from incidents i join incident_executors e on e.incident_id = i.id where ${inWindow}`;
  });
  const found = await bigRows<Record<string, unknown>>(
    db,
    sql`with f as (
        select i.win, i.channel, i.topic_group, i.topic, ${OUTCOME_SQL} as outcome_code, ${quarterOf(zone)} as q, i.dept, i.main, count(*)::int as n
        from (${sql.join(parts, sql` union all `)}) i group by 1, 2, 3, 4, 5, 6, 7, 8)
      select i.win, grouping(i.channel) as g_channel, grouping(i.topic_group) as g_group, grouping(i.topic) as g_topic,
        grouping(i.outcome_code) as g_outcome, grouping(i.q) as g_q, grouping(i.dept) as g_dept,
        i.channel, i.topic_group, i.topic, i.outcome_code, i.q, i.dept,
        (sum(i.n) filter (where i.main))::int as n_main, sum(i.n)::int as n_all
      from f i
      group by grouping sets ((i.win), (i.win, i.channel), (i.win, i.topic_group), (i.win, i.topic_group, i.topic), (i.win, i.outcome_code), (i.win, i.q), (i.win, i.dept))`,
  );
  const out: WindowCount[] = [];
  for (const [name, x] of Object.entries(windows)) {
    const n = unique.findIndex((u) => keyOfWindow(u) === keyOfWindow(x));
    for (const r of found.filter((f) => num(f.win) === n)) {
      const dim = dimOf(r);
      const group = dim === 'topic' ? ((r.topic_group as string | null) ?? '') : null;
      out.push({ window: name, dim, key: keyOf(r, dim), group, count: dim === 'department' ? num(r.n_all) : num(r.n_main) });
    }
  }
  return out;
}

/** Which grouping set a rolled-up row belongs to (the `g_*` flags are 0 for the grouped columns). */
function dimOf(r: Record<string, unknown>): Dimension | 'total' {
  const grouped = (g: string) => r[g] !== undefined && !num(r[g]);
  if (grouped('g_dept')) return 'department';
  if (grouped('g_q')) return 'quarter';
  if (grouped('g_outcome')) return 'outcome';
  if (grouped('g_topic')) return 'topic';
  if (grouped('g_group')) return 'group';
  if (grouped('g_channel')) return 'channel';
  return 'total';
}

function keyOf(r: Record<string, unknown>, dim: Dimension | 'total'): string {
  const v = { total: '', channel: r.channel, group: r.topic_group, topic: r.topic, outcome: r.outcome_code, quarter: r.q, department: r.dept }[dim];
  return v === null || v === undefined ? '' : String(v);
}

/** The calendar quarter (1–4) of an incident's detection, in the installation's zone. */
function quarterOf(zone: string): SQL {
  return sql.raw(`extract(quarter from i.detected_at at time zone ${zoneLiteral(zone)})::int`);
}
