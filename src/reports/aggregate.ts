import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { COUNTED, FIGURES, type FigureKey } from './figures.js';
import { dimOf, keyOf, quarterOf, type Dimension } from './grain.js';
import { OUTCOME_SQL } from './outcomes.js';
import { bigRows, num, numOrNull } from './sql.js';

export type { Dimension } from './grain.js';

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

export interface GroupFigures extends Figures {
  dim: Dimension | 'total';
  key: string;
  /** For a topic: its group. */
  group: string | null;
}

export interface WindowCount {
  window: string;
  dim: Dimension | 'total';
  key: string;
  group: string | null;
  count: number;
}

export type AnswerTimes = Pick<Figures, 'medianMin' | 'meanMin' | 'medianWorkMin' | 'meanWorkMin'>;

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
/**
 * Co-executor rows `e` with their incident `i`: the rows by their copy of the detection time,
 * each incident by its primary key. (A plain join makes the planner scan every incident of the
 * period — or of the table — to meet a few thousand co-executor rows; OFFSET 0 keeps the
 * lookup per row.)
 */
export const EXECUTORS = sql.raw(`incident_executors e cross join lateral (select * from incidents i where i.id = e.incident_id offset 0) i`);

/** Incidents `i` detected in the window; with `executors`, co-executor rows `e` of such incidents (by their copy of the detection time, an index range). */
export const inWindow = (w: Window, executors = false) =>
  executors ? sql`e.detected_at >= ${at(w.from)} and e.detected_at < ${at(w.to)}` : sql`i.detected_at >= ${at(w.from)} and i.detected_at < ${at(w.to)}`;
const KEYS = Object.keys(FIGURES) as FigureKey[];
const COUNTS = [...KEYS, 'merged'] as const;

/** Every count figure of a set of incident rows `i`, each a filtered count (one pass, hash-aggregated). */
function countAggregates(asOf: Date): SQL {
  const counts = KEYS.map((k) => sql`count(*) filter (where ${FIGURES[k].where(asOf)})::int as ${sql.identifier(k)}`);
  const merged = sql`sum(case when ${COUNTED} then i.posts_count - 1 else 0 end + (i.status = 'duplicate')::int)::int as merged`;
  return sql.join([...counts, merged], sql`, `);
}

const NO_TIMES: AnswerTimes = { medianMin: null, meanMin: null, medianWorkMin: null, meanWorkMin: null };

function countsOf(r: Record<string, unknown>): Omit<Figures, keyof AnswerTimes> {
  return Object.fromEntries(COUNTS.map((k) => [k, num(r[k])])) as Omit<Figures, keyof AnswerTimes>;
}

/**
 * Every figure of the window in three queries run side by side, each one pass over its
 * rows: (1) the count figures of each incident once, at the finest grain (department,
 * channel, topic, outcome, quarter) and rolled up by GROUPING SETS into the total and
 * every breakdown; (2) the same counts for co-executors (an incident counts once more
 * for each); (3) the answer-time medians and means of answered incidents, by executor and
 * for the whole window, from the calendar minutes and the cached working minutes
 * (fillWorkMinutes runs first).
 */
export async function windowFigures(db: Db, w: Window, asOf: Date, zone: string): Promise<{ groups: GroupFigures[]; departments: GroupFigures[]; total: GroupFigures }> {
  const [rolled, executors, times] = await Promise.all([rolledUp(db, w, asOf, zone), byCoExecutor(db, w, asOf), answerTimes(db, w, asOf)]);
  const timesOf = (dept: string | null) => times.get(dept) ?? NO_TIMES;
  const depts = new Map<string, GroupFigures>();
  for (const r of [...rolled.filter((g) => g.dim === 'department'), ...executors]) {
    const had = depts.get(r.key);
    if (!had) depts.set(r.key, { ...r, ...timesOf(r.key) });
    else for (const k of COUNTS) had[k] += r[k];
  }
  const total = rolled.find((g) => g.dim === 'total');
  return {
    groups: rolled.filter((g) => g.dim !== 'department' && g.dim !== 'total'),
    departments: [...depts.values()],
    total: { ...(total ?? { dim: 'total', key: '', group: null, ...countsOf({}) }), ...timesOf(null) },
  };
}

/** (1): count figures of each incident once, by every dimension (its own department only) and in total. */
async function rolledUp(db: Db, w: Window, asOf: Date, zone: string): Promise<GroupFigures[]> {
  const sums = sql.raw(COUNTS.map((k) => `sum(f."${k}")::int as "${k}"`).join(', '));
  const found = await bigRows<Record<string, unknown>>(
    db,
    sql`with f as (
        select i.department_code as dept, i.channel, i.topic_group, i.topic, ${OUTCOME_SQL} as outcome_code, ${quarterOf(zone)} as q, ${countAggregates(asOf)}
        from incidents i where ${inWindow(w)} group by 1, 2, 3, 4, 5, 6)
      select grouping(f.dept) as g_dept, grouping(f.channel) as g_channel, grouping(f.topic_group) as g_group, grouping(f.topic) as g_topic,
        grouping(f.outcome_code) as g_outcome, grouping(f.q) as g_q, f.dept, f.channel, f.topic_group, f.topic, f.outcome_code, f.q, ${sums}
      from f group by grouping sets ((f.dept), (f.channel), (f.topic_group), (f.topic_group, f.topic), (f.outcome_code), (f.q), ())`,
  );
  return found.map((r) => {
    const dim = dimOf(r);
    return { dim, key: keyOf(r, dim), group: dim === 'topic' ? ((r.topic_group as string | null) ?? '') : null, ...countsOf(r), ...NO_TIMES };
  });
}

/** (2): count figures of the window's incidents for each of their co-executors. */
async function byCoExecutor(db: Db, w: Window, asOf: Date): Promise<GroupFigures[]> {
  const found = await bigRows<Record<string, unknown>>(
    db,
    sql`select e.department as dept, ${countAggregates(asOf)}
        from ${EXECUTORS} where ${inWindow(w, true)} group by 1`,
  );
  return found.map((r) => ({ dim: 'department' as const, key: (r.dept as string | null) ?? '', group: null, ...countsOf(r), ...NO_TIMES }));
}

/**
 * (3): median and mean minutes to the first public answer of incidents answered by
 * `asOf`, by executor (department and co-executors) and — key null — for the whole
 * window (each incident once). Only answered rows, three narrow columns: the sorts the
 * medians need stay small.
 */
async function answerTimes(db: Db, w: Window, asOf: Date): Promise<Map<string | null, AnswerTimes>> {
  const answered = FIGURES.answered.where(asOf);
  const cols = sql.raw(`extract(epoch from i.first_response_at - i.detected_at)::float8 / 60 as cal, i.first_response_work_min as work`);
  const aggs = sql.raw(
    `percentile_cont(0.5) within group (order by a.cal) as "calMedian", avg(a.cal) as "calMean", percentile_cont(0.5) within group (order by a.work) as "workMedian", avg(a.work) as "workMean"`,
  );
  const found = await bigRows<Record<string, unknown>>(
    db,
    sql`with a as materialized (
        select i.department_code as dept, true as main, ${cols} from incidents i where ${inWindow(w)} and ${answered}
        union all
        select e.department, false, ${cols} from ${EXECUTORS} where ${inWindow(w, true)} and ${answered})
      select 0 as g_all, a.dept, ${aggs} from a group by a.dept
      union all
      select 1, null, ${aggs} from a where a.main`,
  );
  const out = new Map<string | null, AnswerTimes>();
  for (const r of found) {
    const times = { medianMin: numOrNull(r.calMedian), meanMin: numOrNull(r.calMean), medianWorkMin: numOrNull(r.workMedian), meanWorkMin: numOrNull(r.workMean) };
    out.set(num(r.g_all) ? null : ((r.dept as string | null) ?? ''), times);
  }
  return out;
}
