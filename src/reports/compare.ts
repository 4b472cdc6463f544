import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { EXECUTORS, inWindow, type Window, type WindowCount } from './aggregate.js';
import { COUNTED } from './figures.js';
import { dimOf, keyOf, quarterOf } from './grain.js';
import { OUTCOME_SQL } from './outcomes.js';
import { bigRows, num } from './sql.js';

/**
 * Counted incidents of other windows (the previous period, the same period a year
 * before) by every dimension, for the «(пред. …)» and «(2025 г. – …)» columns. Windows
 * with the same bounds (a year's previous period is the year before) are read once.
 * Each incident is counted once at the finest grain and rolled up by GROUPING SETS; the
 * department table also counts each co-executor (a second, small query), as the
 * current window's does.
 */
export async function countsByGroup(db: Db, windows: Record<string, Window>, zone: string): Promise<WindowCount[]> {
  const keyOfWindow = (x: Window) => `${x.from.toISOString()}/${x.to.toISOString()}`;
  const unique = [...new Map(Object.values(windows).map((x) => [keyOfWindow(x), x])).values()];
  if (!unique.length) return [];
  // One index range scan per window (windows may overlap: an incident counts in each).
  const each = (cols: SQL, from: SQL, executors = false) =>
    sql.join(unique.map((x, n) => sql`select ${n}::int as win, ${cols} from ${from} where ${inWindow(x, executors)} and ${COUNTED}`), sql` union all `);
  const [found, executors] = await Promise.all([
    bigRows<Record<string, unknown>>(
      db,
      sql`with f as (
          select i.win, i.channel, i.topic_group, i.topic, ${OUTCOME_SQL} as outcome_code, ${quarterOf(zone)} as q, i.department_code as dept, count(*)::int as n
          from (${each(sql`i.channel, i.topic_group, i.topic, i.outcome, i.status, i.detected_at, i.department_code`, sql`incidents i`)}) i group by 1, 2, 3, 4, 5, 6, 7)
        select f.win, grouping(f.channel) as g_channel, grouping(f.topic_group) as g_group, grouping(f.topic) as g_topic,
          grouping(f.outcome_code) as g_outcome, grouping(f.q) as g_q, grouping(f.dept) as g_dept,
          f.channel, f.topic_group, f.topic, f.outcome_code, f.q, f.dept, sum(f.n)::int as n
        from f
        group by grouping sets ((f.win), (f.win, f.channel), (f.win, f.topic_group), (f.win, f.topic_group, f.topic), (f.win, f.outcome_code), (f.win, f.q), (f.win, f.dept))`,
    ),
    bigRows<Record<string, unknown>>(
      db,
      sql`select x.win, 0 as g_dept, x.dept, count(*)::int as n
          from (${each(sql`e.department as dept`, EXECUTORS, true)}) x group by 1, 3`,
    ),
  ]);
  const out: WindowCount[] = [];
  for (const [name, x] of Object.entries(windows)) {
    const n = unique.findIndex((u) => keyOfWindow(u) === keyOfWindow(x));
    const counts = new Map<string, WindowCount>();
    for (const r of [...found, ...executors].filter((f) => num(f.win) === n)) {
      const dim = dimOf(r);
      const c: WindowCount = { window: name, dim, key: keyOf(r, dim), group: dim === 'topic' ? ((r.topic_group as string | null) ?? '') : null, count: num(r.n) };
      const id = `${c.dim}\u0000${c.group}\u0000${c.key}`;
      const had = counts.get(id);
      if (had) had.count += c.count;
      else counts.set(id, c);
    }
    out.push(...counts.values());
  }
  return out;
}
