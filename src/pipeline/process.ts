import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Installation } from '../config/installation.js';
import type { Db } from '../db/client.js';
import { incidentEvents, incidents, posts, sources } from '../db/schema.js';
import { isIncidentKind, type Classification, type Classifier } from '../domain/classification.js';
import { isOpen, type Status } from '../domain/status.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Gazetteer } from '../routing/territory.js';
import type { DedupeIndex } from './dedupe-index.js';
import { newIncident } from './incident-row.js';

import { BatchConflict, createIdPool, decideBatch, writeBatch, type IdPool } from './batch.js';
import { crashPoint, PENDING_COLUMNS, SimulatedCrash, UNSURE, type PendingPost, type PipelineStep } from './steps.js';

export { crashPoint, SimulatedCrash, type PipelineStep } from './steps.js';

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
  /** Posts decided as not incidents (the staff bot keeps them for the moderators' digest), a batch at a time. Idempotent. */
  onSetAside?: (items: Array<{ postId: number; cls: Classification }>, at: Date) => Promise<void>;
  /** Other instances may decide on the same database (Postgres): claim posts, open incidents one instance at a time. */
  shared?: boolean;
  /** Called after classifying, before looking for the incident a post joins (set by processPending when shared). */
  beforeDecide?: () => Promise<void>;
}

export interface ProcessStats {
  processed: number;
  incidents: number;
  merged: number;
  notIncidents: number;
  /** Posts that failed this run; they keep no decision and are tried again next run. */
  failed: number;
}

type PostRow = PendingPost;

/** Posts decided together: one classifier call, one look-up of their references, one transaction. */
const BATCH = 500;

/**
 * Processes stored posts that have no decision yet, oldest first, a batch at a
 * time: each batch is decided in memory in post order and written in one
 * transaction, so a crash leaves every post either fully decided or waiting.
 * A batch that cannot be written as one (a database error, another instance
 * deciding the same posts) is redone post by post, each in its own transaction.
 */
export async function processPending(deps: ProcessDeps, limit = 1000): Promise<ProcessStats> {
  const stats: ProcessStats = { processed: 0, incidents: 0, merged: 0, notIncidents: 0, failed: 0 };
  const nextId = createIdPool(deps.db);
  let after = 0; // posts are taken in id order; a failed one is passed over, not retried in the same run
  while (stats.processed < limit) {
    const size = Math.min(limit - stats.processed, BATCH);
    const batch = deps.shared
      ? await deps.db.transaction((tx) => claimAndProcess(deps, tx as unknown as Db, after, size, stats, nextId))
      : await pendingBatch(deps.db, after, size);
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.id;
    if (!deps.shared) await processBatch(deps, batch, stats, nextId);
  }
  return stats;
}

function pendingBatch(db: Db, after: number, size: number) {
  return db.select(PENDING_COLUMNS).from(posts).where(and(isNull(posts.processedAt), gt(posts.id, after))).orderBy(asc(posts.id)).limit(size);
}

/** Advisory lock key of opening incidents (any fixed number, the same in every instance). */
const DECIDE_LOCK = 7_310_312;

/**
 * Several instances on one Postgres. The batch is claimed (its rows locked, skipped by
 * the others: FOR NO KEY UPDATE, so rows that merely reference a post can still be
 * written), classified in parallel with the others, then decided and written under one
 * advisory transaction lock, after a fresh look for incidents another instance opened
 * meanwhile: near-duplicates arriving at two instances make one incident, as on one.
 */
async function claimAndProcess(deps: ProcessDeps, tx: Db, after: number, size: number, stats: ProcessStats, nextId: IdPool): Promise<PostRow[]> {
  const batch = await pendingBatch(tx, after, size).for('no key update', { skipLocked: true });
  if (!batch.length) return batch;
  const beforeDecide = async () => {
    await tx.execute(sql`select pg_advisory_xact_lock(${DECIDE_LOCK})`);
    if (await deps.dedupe.changedElsewhere(tx)) deps.dedupe.invalidate();
  };
  await processBatch({ ...deps, db: tx, beforeDecide }, batch, stats, nextId);
  return batch;
}

async function processBatch(deps: ProcessDeps, batch: PostRow[], stats: ProcessStats, nextId: IdPool): Promise<void> {
  let decided: Awaited<ReturnType<typeof decideBatch>>;
  try {
    decided = await decideBatch(deps, batch, nextId);
    // Kept before the posts are marked done: a crash in between only repeats an idempotent insert.
    const setAside = decided.decisions.flatMap((d) => (d.type === 'other' ? [{ postId: d.post.id, cls: d.cls }] : []));
    if (setAside.length) await deps.onSetAside?.(setAside, decided.now);
    await writeBatch(deps, decided.decisions, decided.now);
  } catch (err) {
    // The in-memory index may hold incidents of the batch that were never written.
    deps.dedupe.invalidate();
    if (err instanceof SimulatedCrash) throw err;
    if (!(err instanceof BatchConflict)) deps.log.warn({ err }, 'batch not written; deciding its posts one by one');
    for (const post of batch) count(stats, await processOrSkip(deps, post, stats));
    return;
  }
  for (const d of decided.decisions) count(stats, d.type === 'other' ? 'other' : d.type);
  for (const { post, error } of decided.failed) await recordFailure(deps, post, error, stats);
}

function count(stats: ProcessStats, outcome: 'incident' | 'merged' | 'other' | 'skipped' | null): void {
  if (!outcome) return;
  stats.processed++;
  if (outcome === 'incident') stats.incidents++;
  else if (outcome === 'merged') stats.merged++;
  else if (outcome === 'other') stats.notIncidents++;
}

async function recordFailure(deps: ProcessDeps, post: PostRow, err: unknown, stats: ProcessStats): Promise<void> {
  stats.failed++;
  const message = err instanceof Error ? err.message : String(err);
  deps.log.error({ err, postId: post.id }, 'post not processed; it will be tried again');
  await deps.db.update(posts).set({ processError: message.slice(0, 1000) }).where(eq(posts.id, post.id));
}

/** One bad post must not hold up the others: its error is kept on the post and it waits for the next run. */
async function processOrSkip(deps: ProcessDeps, post: PostRow, stats: ProcessStats) {
  try {
    const outcome = await processPost(deps, post);
    if (post.processError) await deps.db.update(posts).set({ processError: null }).where(eq(posts.id, post.id));
    return outcome;
  } catch (err) {
    if (err instanceof SimulatedCrash) throw err;
    await recordFailure(deps, post, err, stats);
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
  await deps.beforeDecide?.();
  const now = clock.now();
  if (!isIncidentKind(cls.kind)) {
    // Kept before the post is marked done: a crash in between only repeats an idempotent insert.
    await deps.onSetAside?.([{ postId: post.id, cls }], now);
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
      const open = isOpen(orig.status as Status);
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
    const open = parent && isOpen(parent.status as Status);
    if (open && (cls.topic === null || parent.topic === null || cls.topic === parent.topic)) return { incidentId: parent.incidentId!, open: true, via: 'thread' };
  }
  const match = await deps.dedupe.find(post.text, cls.topic, now);
  return match ? { ...match, via: 'similar' } : null;
}

async function openIncident(deps: ProcessDeps, tx: Db, post: PostRow, cls: Classification, now: Date, repeatOf: number | null): Promise<number> {
  const { values, event } = newIncident(deps, post, cls, now, repeatOf);
  const [row] = await tx.insert(incidents).values(values).returning({ id: incidents.id });
  const incidentId = row!.id;
  await tx.insert(incidentEvents).values({ incidentId, at: now, actor: 'pipeline', type: 'created', toStatus: 'new', data: event });
  return incidentId;
}
