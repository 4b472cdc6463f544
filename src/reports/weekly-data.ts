import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { OPEN_STATUSES } from '../domain/status.js';
import { FIGURES } from './figures.js';
import { clip } from './labels.js';
import { num, rows, zoneLiteral } from './sql.js';
import type { Window } from './aggregate.js';

const OPEN = sql.raw(OPEN_STATUSES.map((s) => `'${s}'`).join(', '));
const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** Right now, whatever the detection date: open past the deadline, and waiting for publication (status «ready», or a reply not yet published). */
export async function stateNow(db: Db, now: Date): Promise<{ overdueNow: number; waitingPublication: number }> {
  const [r] = await rows<Record<string, unknown>>(
    db,
    sql`select
        (select count(*) from incidents i where i.status in (${OPEN}) and ${FIGURES.openPastDeadline.where(now)})::int as overdue,
        (select count(*) from incidents i where i.status = 'ready'
           or (i.status in (${OPEN}) and exists (select 1 from replies r where r.incident_id = i.id and r.status = 'pending')))::int as waiting`,
  );
  return { overdueNow: num(r?.overdue), waitingPublication: num(r?.waiting) };
}

export interface TopProblem {
  number: number;
  posts: number;
  summary: string;
  department: string | null;
}

/** The week's largest merged incidents (most posts about one problem). */
export async function largestMerged(db: Db, w: Window, limit = 5): Promise<TopProblem[]> {
  const found = await rows<Record<string, unknown>>(
    db,
    sql`select i.number, i.posts_count, i.summary, i.department_code from incidents i
        where i.detected_at >= ${at(w.from)} and i.detected_at < ${at(w.to)} and i.status not in ('rejected', 'duplicate') and i.posts_count > 1
        order by i.posts_count desc, i.number limit ${limit}`,
  );
  return found.map((r) => ({ number: num(r.number), posts: num(r.posts_count), summary: clip(r.summary as string, 90), department: (r.department_code as string | null) ?? null }));
}

/** Addresses (street and house, else the place) with two incidents or more in the week. */
export async function recurringAddresses(db: Db, w: Window, limit = 5): Promise<Array<{ address: string; count: number }>> {
  const found = await rows<Record<string, unknown>>(
    db,
    sql`select a.address, count(*)::int as n from (
          select coalesce(nullif(concat_ws(', ', i.address->>'settlement', i.address->>'street', i.address->>'house'), ''), i.territory) as address
          from incidents i where i.detected_at >= ${at(w.from)} and i.detected_at < ${at(w.to)} and i.status not in ('rejected', 'duplicate')) a
        where a.address is not null group by a.address having count(*) > 1 order by n desc, a.address limit ${limit}`,
  );
  return found.map((r) => ({ address: r.address as string, count: num(r.n) }));
}

/** Counted incidents by week (Monday, installation zone) and topic group, for the chart. */
export async function weeklyByGroup(db: Db, w: Window, zone: string): Promise<Array<{ week: string; group: string; count: number }>> {
  const z = sql.raw(zoneLiteral(zone));
  const found = await rows<Record<string, unknown>>(
    db,
    sql`select to_char(date_trunc('week', i.detected_at at time zone ${z}), 'DD.MM') as week, min(i.detected_at) as first,
          coalesce(i.topic_group, 'без темы') as grp, count(*)::int as n
        from incidents i where i.detected_at >= ${at(w.from)} and i.detected_at < ${at(w.to)} and i.status not in ('rejected', 'duplicate')
        group by date_trunc('week', i.detected_at at time zone ${z}), coalesce(i.topic_group, 'без темы') order by 2`,
  );
  return found.map((r) => ({ week: r.week as string, group: r.grp as string, count: num(r.n) }));
}
