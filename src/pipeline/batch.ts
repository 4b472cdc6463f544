import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { incidentEvents, incidents, posts, sources } from '../db/schema.js';
import { classifyAll, isIncidentKind, type Classification } from '../domain/classification.js';
import { isOpen, type Status } from '../domain/status.js';
import { execRows, jsonRows } from './bulk.js';
import { newIncident } from './incident-row.js';
import type { ProcessDeps } from './process.js';
import { crashPoint, SimulatedCrash, UNSURE, type PendingPost } from './steps.js';

type PostRow = PendingPost;

/** What a post already decided stands for: its incident, that incident's status and topic. */
interface Ref {
  incidentId: number;
  status: string;
  topic: string | null;
}

export type Decision =
  | { type: 'other'; post: PostRow; cls: Classification }
  | { type: 'merged'; post: PostRow; cls: Classification; incidentId: number; via: string }
  | { type: 'incident'; post: PostRow; cls: Classification; incidentId: number; row: ReturnType<typeof newIncident> };

const key = (channel: string, externalId: string) => `${channel}\u0001${externalId}`;

/** Incident ids taken from the sequence ahead, a few at a time, so a batch can refer to incidents it is about to create. */
export function createIdPool(db: Db) {
  const ids: number[] = [];
  return async (): Promise<number> => {
    if (!ids.length) {
      const rows = await db
        .select({ id: sql<number>`nextval(pg_get_serial_sequence('incidents', 'id'))::int` })
        .from(sql`generate_series(1, 256)`);
      ids.push(...rows.map((r) => Number(r.id)));
    }
    return ids.shift()!;
  };
}
export type IdPool = ReturnType<typeof createIdPool>;

/** Source kinds never change for an id: one query per batch for the ids not seen yet. */
const sourceKinds = new WeakMap<Db, Map<number, string>>();

async function kindsOf(db: Db, batch: PostRow[]): Promise<Map<number, string>> {
  let kinds = sourceKinds.get(db);
  if (!kinds) sourceKinds.set(db, (kinds = new Map()));
  const missing = [...new Set(batch.map((p) => p.sourceId).filter((id): id is number => id !== null && !kinds!.has(id)))];
  if (missing.length) {
    const rows = await db.select({ id: sources.id, kind: sources.kind }).from(sources).where(inArray(sources.id, missing));
    for (const id of missing) kinds.set(id, rows.find((r) => r.id === id)?.kind ?? '');
  }
  return kinds;
}

/** The incidents of the posts this batch reposts or comments on, in one query. */
async function referenced(db: Db, batch: PostRow[]): Promise<Map<string, Ref>> {
  const wanted = batch.flatMap((p) => [p.repostOfExternalId, p.parentExternalId].filter((e): e is string => !!e).map((e) => [p.channel, e] as const));
  const out = new Map<string, Ref>();
  for (let i = 0; i < wanted.length; i += 500) {
    const pairs = wanted.slice(i, i + 500).map(([c, e]) => sql`(${c}, ${e})`);
    const rows = await db
      .select({ channel: posts.channel, externalId: posts.externalId, incidentId: incidents.id, status: incidents.status, topic: incidents.topic })
      .from(posts)
      .innerJoin(incidents, sql`${incidents.id} = ${posts.incidentId}`)
      .where(sql`(${posts.channel}, ${posts.externalId}) in (${sql.join(pairs, sql`, `)})`);
    for (const r of rows) out.set(key(r.channel, r.externalId), { incidentId: r.incidentId, status: r.status, topic: r.topic });
  }
  return out;
}

async function classifyBatch(deps: ProcessDeps, batch: PostRow[]): Promise<Classification[]> {
  const empty: Classification = { ...UNSURE, kind: 'noise', explanation: 'пустой текст' };
  const texts = batch.map((p) => p.text.trim());
  const withText = batch.filter((_, i) => texts[i]);
  let got: Classification[];
  try {
    got = await classifyAll(deps.classifier, withText.map((p) => p.text));
  } catch (err) {
    deps.log.warn({ err }, 'classifying a batch failed; classifying its posts one by one');
    got = [];
    for (const p of withText) got.push(await deps.classifier.classify(p.text).catch(() => UNSURE));
  }
  let j = 0;
  return batch.map((_, i) => (texts[i] ? got[j++]! : empty));
}

/**
 * Decides a batch of posts in memory, in id order, exactly as one-by-one
 * processing would: each decision sees those made before it in the batch.
 * A post that throws is returned in `failed` and left undecided.
 */
export async function decideBatch(deps: ProcessDeps, batch: PostRow[], nextId: IdPool) {
  const classes = await classifyBatch(deps, batch);
  // Several instances: from here on one decides at a time, and references are read after the wait.
  await deps.beforeDecide?.();
  const [kinds, refs] = [await kindsOf(deps.db, batch), await referenced(deps.db, batch)];
  const decided = new Map<string, Ref>();
  const refOf = (channel: string, ext: string | null) => (ext ? (decided.get(key(channel, ext)) ?? refs.get(key(channel, ext))) : undefined);
  const decisions: Decision[] = [];
  const failed: Array<{ post: PostRow; error: unknown }> = [];
  const now = deps.clock.now();
  const rowDeps = batchMemos(deps);
  for (const [i, post] of batch.entries()) {
    try {
      let cls = classes[i]!;
      if (isIncidentKind(cls.kind) && post.sourceId !== null && kinds.get(post.sourceId) === 'search' && !deps.gazetteer.isRelevant(post.text)) {
        cls = { ...cls, kind: 'noise', explanation: 'не о нашей территории' };
      }
      crashPoint(deps.faults, 'classified');
      if (!isIncidentKind(cls.kind)) {
        decisions.push({ type: 'other', post, cls });
        continue;
      }
      const target = await mergeTarget(deps, post, cls, now, refOf);
      if (target?.open) {
        decisions.push({ type: 'merged', post, cls, incidentId: target.incidentId, via: target.via });
        decided.set(key(post.channel, post.externalId), { incidentId: target.incidentId, status: 'new', topic: target.topic ?? null });
        continue;
      }
      const row = newIncident(rowDeps, post, cls, now, target?.incidentId ?? null);
      const incidentId = await nextId();
      decisions.push({ type: 'incident', post, cls, incidentId, row });
      decided.set(key(post.channel, post.externalId), { incidentId, status: 'new', topic: row.values.topic });
      deps.dedupe.add(incidentId, post.text, cls.topic, now);
    } catch (error) {
      if (error instanceof SimulatedCrash) throw error;
      failed.push({ post, error });
    }
  }
  return { decisions, failed, now };
}

/** A batch's incidents share one `now`, so a deadline (a calendar walk) is computed once per SLA length. */
function batchMemos(deps: ProcessDeps): ProcessDeps {
  const deadlines = new Map<string, Date>();
  const deadline = (from: Date, hours: number) => {
    const key = `${from.getTime()}:${hours}`;
    let at = deadlines.get(key);
    if (!at) deadlines.set(key, (at = deps.deadline(from, hours)));
    return new Date(at);
  };
  return { ...deps, deadline };
}

async function mergeTarget(deps: ProcessDeps, post: PostRow, cls: Classification, now: Date, refOf: (c: string, e: string | null) => Ref | undefined) {
  // A repost of a post we already turned into an incident is that incident.
  const orig = refOf(post.channel, post.repostOfExternalId);
  if (orig) return { incidentId: orig.incidentId, open: isOpen(orig.status as Status), via: 'repost', topic: orig.topic };
  // A comment under an open incident's post is, unless it names another topic, the neighbours' "у нас тоже".
  const parent = refOf(post.channel, post.parentExternalId);
  if (parent && isOpen(parent.status as Status) && (cls.topic === null || parent.topic === null || cls.topic === parent.topic)) {
    return { incidentId: parent.incidentId, open: true, via: 'thread', topic: parent.topic };
  }
  const match = await deps.dedupe.find(post.text, cls.topic, now);
  return match ? { ...match, via: 'similar' } : null;
}

/** Another instance decided one of the batch's posts meanwhile: the batch is redone post by post. */
export class BatchConflict extends Error {
  override name = 'BatchConflict';
}

/**
 * Writes a batch's decisions in one transaction: either every post of the batch
 * is decided (incidents, events, counters, posts) or none is. Rows travel as
 * JSON (see bulk.ts): a handful of statements per batch, whatever its size.
 */
export async function writeBatch(deps: ProcessDeps, decisions: Decision[], now: Date): Promise<void> {
  if (!decisions.length) return;
  const at = now.toISOString();
  await deps.db.transaction(async (txn) => {
    const tx = txn as unknown as Db;
    const ids = decisions.map((d) => d.post.id);
    const locked = await execRows<{ id: number }>(tx, sql`select id from ${posts} where id in (select (jsonb_array_elements_text(${jsonRows(ids)}))::bigint) and processed_at is null for update`);
    if (locked.length !== ids.length) throw new BatchConflict(`${ids.length - locked.length} posts of the batch were decided elsewhere`);
    const merges = new Map<number, number>();
    for (const d of decisions) if (d.type === 'merged') merges.set(d.incidentId, (merges.get(d.incidentId) ?? 0) + 1);
    const created = decisions.filter((d) => d.type === 'incident');
    if (created.length) await insertIncidents(tx, created, merges);
    const createdIds = new Set(created.map((d) => d.incidentId));
    const grown = [...merges].filter(([id]) => !createdIds.has(id)).map(([id, n]) => ({ id, n }));
    if (grown.length) {
      await tx.execute(sql`update ${incidents} set posts_count = posts_count + v.n, updated_at = ${at}::timestamptz
        from jsonb_to_recordset(${jsonRows(grown)}) as v(id int, n int) where ${incidents.id} = v.id`);
    }
    const events = decisions.flatMap((d): Array<{ incident_id: number; type: string; to_status: string | null; data: unknown }> =>
      d.type === 'incident'
        ? [{ incident_id: d.incidentId, type: 'created', to_status: 'new', data: d.row.event }]
        : d.type === 'merged'
          ? [{ incident_id: d.incidentId, type: 'merged', to_status: null, data: { postId: d.post.id, via: d.via } }]
          : [],
    );
    if (events.length) {
      await tx.execute(sql`insert into ${incidentEvents} (incident_id, at, actor, type, to_status, data)
        select incident_id, ${at}::timestamptz, 'pipeline', type, to_status, data
        from rows from (jsonb_to_recordset(${jsonRows(events)}) as (incident_id int, type text, to_status text, data jsonb)) with ordinality as e
        order by e.ordinality`);
    }
    for (const d of decisions) if (d.type !== 'other') crashPoint(deps.faults, 'decided');
    const decided = decisions.map((d) => ({ id: d.post.id, kind: d.cls.kind, incident_id: d.type === 'other' ? null : d.incidentId }));
    await tx.execute(sql`update ${posts} set processed_at = ${at}::timestamptz, decided_kind = v.kind, incident_id = v.incident_id, process_error = null
      from jsonb_to_recordset(${jsonRows(decided)}) as v(id bigint, kind text, incident_id int) where ${posts.id} = v.id`);
  });
}

/** New incidents with the ids taken ahead, in decision order (so their human numbers follow it). */
async function insertIncidents(tx: Db, created: Array<Extract<Decision, { type: 'incident' }>>, merges: Map<number, number>): Promise<void> {
  const rows = created.map((d) => {
    const v = d.row.values;
    return {
      id: d.incidentId, status: v.status, kind: v.kind, topic: v.topic, topic_group: v.topicGroup, department_code: v.departmentCode, territory: v.territory,
      priority: v.priority, confidence: v.confidence, classified_by: v.classifiedBy, needs_review: v.needsReview, route_reason: v.routeReason, channel: v.channel,
      first_post_id: v.firstPostId, posts_count: 1 + (merges.get(d.incidentId) ?? 0), summary: v.summary, is_repeat: v.isRepeat, repeat_of: v.repeatOf,
      detected_at: v.detectedAt, deadline_at: v.deadlineAt, updated_at: v.updatedAt,
    };
  });
  await tx.execute(sql`insert into ${incidents} (id, status, kind, topic, topic_group, department_code, territory, priority, confidence, classified_by, needs_review,
      route_reason, channel, first_post_id, posts_count, summary, is_repeat, repeat_of, detected_at, deadline_at, updated_at)
    select id, status, kind, topic, topic_group, department_code, territory, priority, confidence, classified_by, needs_review,
      route_reason, channel, first_post_id, posts_count, summary, is_repeat, repeat_of, detected_at, deadline_at, updated_at
    from rows from (jsonb_to_recordset(${jsonRows(rows)}) as (id int, status text, kind text, topic text, topic_group text, department_code text, territory text,
      priority text, confidence real, classified_by text, needs_review boolean, route_reason text, channel text, first_post_id bigint, posts_count int, summary text,
      is_repeat boolean, repeat_of int, detected_at timestamptz, deadline_at timestamptz, updated_at timestamptz)) with ordinality as x
    order by x.ordinality`);
}
