import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Installation } from '../config/installation.js';
import type { Db } from '../db/client.js';
import { incidentEvents, incidents, posts, sources } from '../db/schema.js';
import { isIncidentKind, type Classification, type Classifier } from '../domain/classification.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { route } from '../routing/route.js';
import { territoryLabel, type Gazetteer } from '../routing/territory.js';
import type { DedupeIndex } from './dedupe-index.js';
import { summarize } from './normalize.js';

/** Named points between steps; tests throw there to simulate a crash. */
export type PipelineStep = 'fetched' | 'stored' | 'classified' | 'decided';

export interface ProcessDeps {
  db: Db;
  installation: Installation;
  classifier: Classifier;
  gazetteer: Gazetteer;
  dedupe: DedupeIndex;
  /** Deadline for the first answer: `hours` of SLA counted from `from`. */
  deadline: (from: Date, hours: number) => Date;
  clock: Clock;
  log: Logger;
  faults?: (step: PipelineStep) => void;
  /** A post decided as not an incident (the staff bot keeps it for the moderators' digest). Idempotent. */
  onSetAside?: (postId: number, cls: Classification, at: Date) => Promise<void>;
}

export interface ProcessStats {
  processed: number;
  incidents: number;
  merged: number;
  notIncidents: number;
  /** Posts that failed this run; they keep no decision and are tried again next run. */
  failed: number;
}

/** What a `faults` hook throws is a simulated crash: it must end the run, never be skipped like a bad post. */
export class SimulatedCrash extends Error {
  override name = 'SimulatedCrash';
}

/** Calls the test hook at a named point between steps. */
export function crashPoint(faults: ((step: PipelineStep) => void) | undefined, step: PipelineStep): void {
  try {
    faults?.(step);
  } catch (err) {
    throw new SimulatedCrash((err as Error).message, { cause: err });
  }
}

type PostRow = typeof posts.$inferSelect;

const UNSURE: Classification = { kind: 'complaint', topic: null, confidence: 0, by: 'none', needsReview: true, explanation: 'классификатор недоступен' };

/**
 * Processes stored posts that have no decision yet, oldest first, each in its
 * own transaction: a crash leaves every post either fully decided or untouched.
 */
export async function processPending(deps: ProcessDeps, limit = 1000): Promise<ProcessStats> {
  const stats: ProcessStats = { processed: 0, incidents: 0, merged: 0, notIncidents: 0, failed: 0 };
  let after = 0; // posts are taken in id order; a failed one is passed over, not retried in the same run
  for (;;) {
    const batch = await deps.db
      .select()
      .from(posts)
      .where(and(isNull(posts.processedAt), gt(posts.id, after)))
      .orderBy(asc(posts.id))
      .limit(Math.min(limit, 200));
    if (batch.length === 0) break;
    for (const post of batch) {
      after = post.id;
      const outcome = await processOrSkip(deps, post, stats);
      if (!outcome) continue;
      stats.processed++;
      if (outcome === 'incident') stats.incidents++;
      else if (outcome === 'merged') stats.merged++;
      else if (outcome === 'other') stats.notIncidents++;
    }
    if (stats.processed >= limit) break;
  }
  return stats;
}

/** One bad post must not hold up the others: its error is kept on the post and it waits for the next run. */
async function processOrSkip(deps: ProcessDeps, post: PostRow, stats: ProcessStats) {
  try {
    const outcome = await processPost(deps, post);
    if (post.processError) await deps.db.update(posts).set({ processError: null }).where(eq(posts.id, post.id));
    return outcome;
  } catch (err) {
    if (err instanceof SimulatedCrash) throw err;
    stats.failed++;
    const message = err instanceof Error ? err.message : String(err);
    deps.log.error({ err, postId: post.id }, 'post not processed; it will be tried again');
    await deps.db.update(posts).set({ processError: message.slice(0, 1000) }).where(eq(posts.id, post.id));
    return null;
  }
}

async function classifySafely(deps: ProcessDeps, post: PostRow): Promise<Classification> {
  if (!post.text.trim()) return { ...UNSURE, kind: 'noise', explanation: 'пустой текст' };
  try {
    return await deps.classifier.classify(post.text);
  } catch (err) {
    deps.log.warn({ err, postId: post.id }, 'classifier failed; the post goes to moderators');
    return UNSURE;
  }
}

/** Source kinds never change for an id, so they are looked up once per process. */
const sourceKinds = new WeakMap<Db, Map<number, string>>();

async function isSearchSource(db: Db, sourceId: number | null): Promise<boolean> {
  if (sourceId === null) return false;
  let kinds = sourceKinds.get(db);
  if (!kinds) sourceKinds.set(db, (kinds = new Map()));
  if (!kinds.has(sourceId)) {
    const [s] = await db.select({ kind: sources.kind }).from(sources).where(eq(sources.id, sourceId));
    kinds.set(sourceId, s?.kind ?? '');
  }
  return kinds.get(sourceId) === 'search';
}

export async function processPost(deps: ProcessDeps, post: PostRow): Promise<'incident' | 'merged' | 'other' | 'skipped'> {
  const { db, clock } = deps;
  let cls = await classifySafely(deps, post);
  if (isIncidentKind(cls.kind) && (await isSearchSource(db, post.sourceId)) && !deps.gazetteer.isRelevant(post.text)) {
    cls = { ...cls, kind: 'noise', explanation: 'не о нашей территории' };
  }
  crashPoint(deps.faults, 'classified');
  const now = clock.now();
  if (!isIncidentKind(cls.kind)) {
    // Kept before the post is marked done: a crash in between only repeats an idempotent insert.
    await deps.onSetAside?.(post.id, cls, now);
    const done = await db
      .update(posts)
      .set({ processedAt: now, decidedKind: cls.kind })
      .where(and(eq(posts.id, post.id), isNull(posts.processedAt)))
      .returning({ id: posts.id });
    return done.length ? 'other' : 'skipped';
  }
  const target = await mergeTarget(deps, post, cls, now);
  const result = await db.transaction(async (tx) => {
    const [fresh] = await tx.select({ processedAt: posts.processedAt }).from(posts).where(eq(posts.id, post.id)).for('update');
    if (!fresh || fresh.processedAt) return { outcome: 'skipped' as const, id: 0 };
    let incidentId: number;
    if (target?.open) {
      incidentId = target.incidentId;
      await tx.update(incidents).set({ postsCount: sql`${incidents.postsCount} + 1`, updatedAt: now }).where(eq(incidents.id, incidentId));
      await tx.insert(incidentEvents).values({ incidentId, at: now, actor: 'pipeline', type: 'merged', data: { postId: post.id, via: target.via } });
    } else {
      incidentId = await openIncident(deps, tx as unknown as Db, post, cls, now, target?.incidentId ?? null);
    }
    crashPoint(deps.faults, 'decided');
    await tx.update(posts).set({ processedAt: now, decidedKind: cls.kind, incidentId }).where(eq(posts.id, post.id));
    return { outcome: target?.open ? ('merged' as const) : ('incident' as const), id: incidentId };
  });
  if (result.outcome === 'incident') deps.dedupe.add(result.id, post.text, cls.topic, now);
  return result.outcome;
}

async function mergeTarget(deps: ProcessDeps, post: PostRow, cls: Classification, now: Date) {
  // A repost of a post we already turned into an incident is that incident.
  if (post.repostOfExternalId) {
    const [orig] = await deps.db
      .select({ incidentId: posts.incidentId, status: incidents.status })
      .from(posts)
      .innerJoin(incidents, eq(incidents.id, posts.incidentId))
      .where(and(eq(posts.channel, post.channel), eq(posts.externalId, post.repostOfExternalId)));
    if (orig?.incidentId) {
      const open = ['new', 'assigned', 'in_work', 'interim'].includes(orig.status);
      return { incidentId: orig.incidentId, open, via: 'repost' };
    }
  }
  // A comment under a post that is an open incident is, unless it names another
  // topic, the neighbours' "у нас тоже" about that problem.
  if (post.parentExternalId) {
    const [parent] = await deps.db
      .select({ incidentId: posts.incidentId, status: incidents.status, topic: incidents.topic })
      .from(posts)
      .innerJoin(incidents, eq(incidents.id, posts.incidentId))
      .where(and(eq(posts.channel, post.channel), eq(posts.externalId, post.parentExternalId)));
    const open = parent && ['new', 'assigned', 'in_work', 'interim'].includes(parent.status);
    if (open && (cls.topic === null || parent.topic === null || cls.topic === parent.topic)) return { incidentId: parent.incidentId!, open: true, via: 'thread' };
  }
  const match = await deps.dedupe.find(post.text, cls.topic, now);
  return match ? { ...match, via: 'similar' } : null;
}

async function openIncident(deps: ProcessDeps, tx: Db, post: PostRow, cls: Classification, now: Date, repeatOf: number | null): Promise<number> {
  const cfg = deps.installation;
  const topic = cls.topic ? cfg.topics.find((t) => t.name === cls.topic) : undefined;
  const territory = deps.gazetteer.find(post.text);
  const decision = route(cfg, { text: post.text, topic: topic?.name ?? null, suggested: cls.department ?? null, territory });
  const slaHours = topic?.sla_hours ?? cfg.sla.default_hours;
  const [row] = await tx
    .insert(incidents)
    .values({
      status: 'new',
      kind: cls.kind,
      topic: topic?.name ?? null,
      topicGroup: topic?.group ?? null,
      departmentCode: decision.department,
      territory: territoryLabel(territory),
      // An LLM's topic never raises the priority on its own (a post can talk an LLM into anything).
      priority: cls.by === 'llm' && topic?.priority === 'high' ? 'normal' : (topic?.priority ?? 'normal'),
      confidence: cls.confidence,
      classifiedBy: cls.by,
      needsReview: cls.needsReview || !topic || cls.by === 'llm',
      routeReason: decision.reason,
      channel: post.channel,
      firstPostId: post.id,
      summary: summarize(post.text),
      isRepeat: repeatOf !== null,
      repeatOf,
      detectedAt: now,
      deadlineAt: deps.deadline(now, slaHours),
      updatedAt: now,
    })
    .returning({ id: incidents.id });
  const incidentId = row!.id;
  await tx.insert(incidentEvents).values({
    incidentId,
    at: now,
    actor: 'pipeline',
    type: 'created',
    toStatus: 'new',
    data: {
      postId: post.id,
      kind: cls.kind,
      topic: topic?.name ?? null,
      confidence: cls.confidence,
      by: cls.by,
      department: decision.department,
      reason: decision.reason,
      explanation: cls.explanation ?? null,
      // The moderators' card offers these as one-tap choices.
      topTopics: cls.topTopics ?? null,
      topDepartments: cls.topDepartments ?? null,
      repeatOf,
    },
  });
  return incidentId;
}
