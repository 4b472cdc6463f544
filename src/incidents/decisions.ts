import { eq, sql } from 'drizzle-orm';
import type { Installation } from '../config/installation.js';
import type { Db } from '../db/client.js';
import { incidentEvents, incidents, posts } from '../db/schema.js';
import { route } from '../routing/route.js';
import type { Gazetteer } from '../routing/territory.js';
import { transition } from './transition.js';

/**
 * Moderators' corrections that are not status moves. Each writes one event in the same
 * transaction; the training label is written when the moderator confirms (transition()).
 */
export interface DecisionDeps {
  db: Db;
  installation: Installation;
  gazetteer: Gazetteer;
  /** The SLA deadline from a moment and hours. */
  deadline: (from: Date, hours: number) => Date;
}

/** A new topic recomputes the group, priority, the department suggestion and the deadline. */
export async function changeTopic(d: DecisionDeps, input: { incidentId: number; topic: string; actor: string; at: Date }): Promise<void> {
  const cfg = d.installation;
  const topic = cfg.topics.find((t) => t.name === input.topic);
  if (!topic) throw new Error(`unknown topic "${input.topic}"`);
  await d.db.transaction(async (tx) => {
    const [row] = await tx.select().from(incidents).where(eq(incidents.id, input.incidentId)).for('update');
    if (!row) throw new Error(`incident ${input.incidentId} not found`);
    const [post] = await tx.select({ text: posts.text }).from(posts).where(eq(posts.id, row.firstPostId));
    const text = post?.text ?? row.summary;
    const decision = route(cfg, { text, topic: topic.name, territory: d.gazetteer.find(text) });
    const deadlineAt = d.deadline(row.detectedAt, topic.sla_hours ?? cfg.sla.default_hours);
    await tx
      .update(incidents)
      .set({ topic: topic.name, topicGroup: topic.group, priority: topic.priority, departmentCode: decision.department, routeReason: decision.reason, deadlineAt, updatedAt: input.at })
      .where(eq(incidents.id, row.id));
    await tx.insert(incidentEvents).values({
      incidentId: row.id,
      at: input.at,
      actor: input.actor,
      type: 'reclassified',
      data: { from: row.topic, topic: topic.name, department: decision.department, deadline: deadlineAt.toISOString() },
    });
  });
}

/** The moderator picks another department (before confirming). */
export async function changeDepartment(db: Db, input: { incidentId: number; department: string; actor: string; at: Date }): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(incidents).where(eq(incidents.id, input.incidentId)).for('update');
    if (!row) throw new Error(`incident ${input.incidentId} not found`);
    await tx.update(incidents).set({ departmentCode: input.department, routeReason: 'выбор модератора', updatedAt: input.at }).where(eq(incidents.id, row.id));
    await tx.insert(incidentEvents).values({ incidentId: row.id, at: input.at, actor: input.actor, type: 'rerouted', data: { from: row.departmentCode, department: input.department } });
  });
}

/**
 * Merges an incident into another (by its human number): it becomes a duplicate, its posts
 * are re-pointed and counted on the target. Returns the target's id.
 */
export async function mergeInto(db: Db, input: { incidentId: number; targetNumber: number; actor: string; at: Date }): Promise<number> {
  const [target] = await db.select().from(incidents).where(eq(incidents.number, input.targetNumber));
  if (!target) throw new UserFacingError(`инцидента № ${input.targetNumber} нет`);
  if (target.id === input.incidentId) throw new UserFacingError('нельзя объединить инцидент с самим собой');
  await transition(db, { incidentId: input.incidentId, to: 'duplicate', actor: input.actor, at: input.at, duplicateOf: target.id });
  await db.transaction(async (tx) => {
    const moved = await tx.update(posts).set({ incidentId: target.id }).where(eq(posts.incidentId, input.incidentId)).returning({ id: posts.id });
    await tx.update(incidents).set({ postsCount: sql`${incidents.postsCount} + ${moved.length}`, updatedAt: input.at }).where(eq(incidents.id, target.id));
    await tx.update(incidents).set({ postsCount: 0 }).where(eq(incidents.id, input.incidentId));
    await tx.insert(incidentEvents).values({ incidentId: target.id, at: input.at, actor: input.actor, type: 'merged', data: { from: input.incidentId, posts: moved.map((p) => p.id) } });
  });
  return target.id;
}

/** An error whose message is meant for the person who pressed the button (Russian). */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
}
