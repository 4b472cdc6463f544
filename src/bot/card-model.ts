import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { answerDrafts, incidentEvents, incidents, posts, replies, sources, users } from '../db/schema.js';

export interface CardModel {
  incident: typeof incidents.$inferSelect;
  post: typeof posts.$inferSelect | null;
  sourceName: string | null;
  /** The pipeline's `created` event data: classifier's explanation, confidence, top-k. */
  created: Record<string, unknown>;
  /** The last status change: who (a staff name when known) and when. */
  lastMove: { actor: string; at: Date } | null;
  draft: typeof answerDrafts.$inferSelect | null;
  /** The latest reply and its state (published / unconfirmed / failed …). */
  reply: typeof replies.$inferSelect | null;
}

/** Everything the cards of one incident show, in a few queries. */
export async function loadCardModel(db: Db, incidentId: number): Promise<CardModel | null> {
  const [incident] = await db.select().from(incidents).where(eq(incidents.id, incidentId));
  if (!incident) return null;
  const [post] = await db.select().from(posts).where(eq(posts.id, incident.firstPostId));
  const [source] = post?.sourceId ? await db.select({ name: sources.name, ref: sources.reference }).from(sources).where(eq(sources.id, post.sourceId)) : [];
  const events = await db
    .select()
    .from(incidentEvents)
    .where(and(eq(incidentEvents.incidentId, incidentId), inArray(incidentEvents.type, ['created', 'status'])))
    .orderBy(desc(incidentEvents.id));
  const created = events.find((e) => e.type === 'created')?.data ?? {};
  const move = events.find((e) => e.type === 'status');
  const [draft] = await db.select().from(answerDrafts).where(eq(answerDrafts.incidentId, incidentId));
  const [reply] = await db.select().from(replies).where(eq(replies.incidentId, incidentId)).orderBy(desc(replies.id)).limit(1);
  return {
    incident,
    post: post ?? null,
    sourceName: source ? (source.name ?? source.ref) : null,
    created,
    lastMove: move ? { actor: await actorName(db, move.actor), at: move.at } : null,
    draft: draft ?? null,
    reply: reply ?? null,
  };
}

/** `user:<telegram id>` → the staff member's name; jobs and the pipeline keep their tag. */
export async function actorName(db: Db, actor: string): Promise<string> {
  const m = /^user:(\d+)$/.exec(actor);
  if (!m) return actor === 'pipeline' ? 'конвейер' : actor;
  const [u] = await db.select({ name: users.name }).from(users).where(eq(users.telegramId, Number(m[1])));
  return u?.name ?? actor;
}
