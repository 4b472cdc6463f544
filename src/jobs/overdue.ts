import { and, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { incidentEvents, incidents } from '../db/schema.js';

/**
 * Writes one `overdue` event for each open incident whose first-answer deadline
 * has passed without an answer (once per incident), so reports and escalations
 * can trace when it became overdue. Returns the incidents newly marked.
 */
export async function markOverdue(db: Db, now: Date): Promise<number[]> {
  const due = await db
    .select({ id: incidents.id, deadlineAt: incidents.deadlineAt })
    .from(incidents)
    .where(
      and(
        inArray(incidents.status, ['new', 'assigned', 'in_work', 'ready']),
        isNull(incidents.firstResponseAt),
        lt(incidents.deadlineAt, now),
        sql`not exists (select 1 from ${incidentEvents} e where e.incident_id = ${incidents.id} and e.type = 'overdue')`,
      ),
    );
  if (!due.length) return [];
  await db.insert(incidentEvents).values(due.map((d) => ({ incidentId: d.id, at: now, actor: 'job:deadlines', type: 'overdue', data: { deadline: d.deadlineAt?.toISOString() } })));
  return due.map((d) => d.id);
}
