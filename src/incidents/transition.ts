import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { incidentEvents, incidents, labels, posts } from '../db/schema.js';
import { assertTransition, type Status } from '../domain/status.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface TransitionInput {
  incidentId: number;
  to: Status;
  /** `user:<telegram id>`, `job:<name>`, `pipeline`, `demo` … */
  actor: string;
  at: Date;
  reason?: string | null;
  /** For `redirected`: the authority; for `assigned`: ignored. */
  redirectTo?: string | null;
  /** For `assigned`: the department; may change the topic too (a moderator's correction). */
  department?: string | null;
  topic?: string | null;
  /** For `duplicate`: the incident it duplicates. */
  duplicateOf?: number | null;
  /** For `interim`: when the full answer is due. */
  followupDeadline?: Date | null;
  /** Answer outcome for reports (Разъяснено, Поддержано…). */
  outcome?: string | null;
}

/**
 * Moves an incident to another status: validates the move, updates the row and
 * writes exactly one incident_events row, all in one transaction. A staff user's
 * decision about topic or department is kept as a training label.
 */
export async function transition(db: Db, input: TransitionInput): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(incidents).where(eq(incidents.id, input.incidentId)).for('update');
    if (!row) throw new Error(`incident ${input.incidentId} not found`);
    const from = row.status as Status;
    assertTransition(from, input.to, { reason: input.reason, to: input.redirectTo });
    const patch = patchFor(input, row);
    await tx.update(incidents).set(patch).where(eq(incidents.id, row.id));
    await tx.insert(incidentEvents).values({
      incidentId: row.id,
      at: input.at,
      actor: input.actor,
      type: 'status',
      fromStatus: from,
      toStatus: input.to,
      data: compact({
        reason: input.reason,
        redirectTo: input.redirectTo,
        department: input.department,
        topic: input.topic,
        duplicateOf: input.duplicateOf,
        outcome: input.outcome,
      }),
    });
    if (input.actor.startsWith('user:')) await keepLabel(tx, row, input);
  });
}

function patchFor(input: TransitionInput, row: typeof incidents.$inferSelect): Partial<typeof incidents.$inferInsert> {
  const p: Partial<typeof incidents.$inferInsert> = { status: input.to, updatedAt: input.at };
  if (input.department) p.departmentCode = input.department;
  if (input.topic !== undefined && input.topic !== null) p.topic = input.topic;
  if (input.outcome) p.outcome = input.outcome;
  switch (input.to) {
    case 'assigned':
      p.needsReview = false;
      break;
    case 'interim':
      p.firstResponseAt = row.firstResponseAt ?? input.at;
      p.followupDeadlineAt = input.followupDeadline ?? null;
      break;
    case 'answered':
      p.firstResponseAt = row.firstResponseAt ?? input.at;
      p.answeredAt = input.at;
      break;
    case 'closed':
      p.closedAt = input.at;
      break;
    case 'rejected':
      p.rejectReason = input.reason ?? null;
      p.closedAt = input.at;
      break;
    case 'redirected':
      p.redirectedTo = input.redirectTo ?? null;
      p.closedAt = input.at;
      break;
    case 'duplicate':
      p.duplicateOf = input.duplicateOf ?? null;
      p.closedAt = input.at;
      break;
    case 'new':
    case 'in_work':
      p.closedAt = null;
      break;
  }
  return p;
}

/** Moderators' confirmations, changes and rejections become training data. */
async function keepLabel(tx: Tx, row: typeof incidents.$inferSelect, input: TransitionInput): Promise<void> {
  if (input.to !== 'assigned' && input.to !== 'rejected') return;
  const [post] = await tx.select({ text: posts.text }).from(posts).where(eq(posts.id, row.firstPostId));
  if (!post) return;
  await tx.insert(labels).values({
    text: post.text,
    kind: input.to === 'rejected' ? 'noise' : row.kind,
    topic: input.to === 'rejected' ? null : (input.topic ?? row.topic),
    departmentCode: input.to === 'rejected' ? null : (input.department ?? row.departmentCode),
    origin: 'moderator',
    incidentId: row.id,
    createdAt: input.at,
  });
}

function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
}
