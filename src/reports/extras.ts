import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { STATUS_LABELS, type Status } from '../domain/status.js';
import type { Window } from './aggregate.js';
import { FIGURES } from './figures.js';
import { num, rows } from './sql.js';

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** Posts read in the window, by the pipeline's decision. */
export async function postCounts(db: Db, w: Window): Promise<{ posts: number; thanks: number; noise: number }> {
  const [r] = await rows<Record<string, unknown>>(
    db,
    sql`select count(*)::int as posts, count(*) filter (where decided_kind = 'thanks')::int as thanks, count(*) filter (where decided_kind = 'noise')::int as noise
        from posts where fetched_at >= ${at(w.from)} and fetched_at < ${at(w.to)}`,
  );
  return { posts: num(r?.posts), thanks: num(r?.thanks), noise: num(r?.noise) };
}

/** Whether anything was recorded in the window (an incident of any status or a post): else a comparison with it is hidden. */
export async function hasData(db: Db, w: Window): Promise<boolean> {
  const [r] = await rows<Record<string, unknown>>(
    db,
    sql`select exists (select 1 from incidents where detected_at >= ${at(w.from)} and detected_at < ${at(w.to)})
            or exists (select 1 from posts where fetched_at >= ${at(w.from)} and fetched_at < ${at(w.to)}) as found`,
  );
  return Boolean(r?.found);
}

export interface OverdueItem {
  number: number;
  /** `late`: answered after the deadline; `open`: no answer and the deadline has passed. */
  kind: 'late' | 'open';
  status: string;
  statusLabel: string;
  department: string;
  topic: string | null;
  deadline: string;
  firstResponseAt: string | null;
  summary: string;
}

/** The overdue incidents of the window (answered late, or open past the deadline), earliest deadline first. */
export async function overdueList(db: Db, w: Window, asOf: Date, limit: number, deptLabel: (k: string) => string): Promise<OverdueItem[]> {
  const found = await rows<Record<string, unknown>>(
    db,
    sql`select i.number, i.status, i.department_code, i.topic, i.deadline_at, i.first_response_at, i.summary, ${FIGURES.answeredLate.where(asOf)} as late
        from incidents i
        where i.detected_at >= ${at(w.from)} and i.detected_at < ${at(w.to)} and (${FIGURES.answeredLate.where(asOf)} or ${FIGURES.openPastDeadline.where(asOf)})
        order by i.deadline_at, i.number limit ${limit}`,
  );
  const iso = (x: unknown) => (x ? new Date(x as string).toISOString() : null);
  return found.map((r) => ({
    number: num(r.number),
    kind: r.late ? 'late' : 'open',
    status: r.status as string,
    statusLabel: STATUS_LABELS[r.status as Status] ?? (r.status as string),
    department: deptLabel((r.department_code as string | null) ?? ''),
    topic: (r.topic as string | null) ?? null,
    deadline: iso(r.deadline_at)!,
    firstResponseAt: iso(r.first_response_at),
    summary: r.summary as string,
  }));
}

export interface QuarterRow {
  quarter: number;
  count: number;
  yearAgo: number;
}
