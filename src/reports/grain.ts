import { sql, type SQL } from 'drizzle-orm';
import { num, zoneLiteral } from './sql.js';

/** The breakdowns of a report. */
export type Dimension = 'channel' | 'group' | 'topic' | 'outcome' | 'quarter' | 'department';

/** Which grouping set a rolled-up row belongs to (the `g_*` flags are 0 for the grouped columns). */
export function dimOf(r: Record<string, unknown>): Dimension | 'total' {
  const grouped = (g: string) => r[g] !== undefined && !num(r[g]);
  if (grouped('g_dept')) return 'department';
  if (grouped('g_q')) return 'quarter';
  if (grouped('g_outcome')) return 'outcome';
  if (grouped('g_topic')) return 'topic';
  if (grouped('g_group')) return 'group';
  if (grouped('g_channel')) return 'channel';
  return 'total';
}

/** The key of a rolled-up row in its dimension ('' for none). */
export function keyOf(r: Record<string, unknown>, dim: Dimension | 'total'): string {
  const v = { total: '', channel: r.channel, group: r.topic_group, topic: r.topic, outcome: r.outcome_code, quarter: r.q, department: r.dept }[dim];
  return v === null || v === undefined ? '' : String(v);
}

/** The calendar quarter (1–4) of an incident's detection, in the installation's zone. */
export function quarterOf(zone: string): SQL {
  return sql.raw(`extract(quarter from i.detected_at at time zone ${zoneLiteral(zone)})::int`);
}
