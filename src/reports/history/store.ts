import { inArray, sql } from 'drizzle-orm';
import type { Installation } from '../../config/installation.js';
import type { Db } from '../../db/client.js';
import { incidentEvents, incidentExecutors, incidents, posts } from '../../db/schema.js';
import { computeDeadline } from '../../sla/deadline.js';
import type { WorkCalendar } from '../../sla/calendar.js';
import { clip } from '../labels.js';
import type { ImportRecord } from './parse.js';

export interface StoreDeps {
  db: Db;
  installation: Installation;
  calendar: WorkCalendar;
  now: Date;
}

const norm = (s: string) => s.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
const MAX_INT = 2_147_483_647;

/** Executor names or codes of the file → department codes of the config, names kept as given when unknown. */
export function departmentResolver(inst: Installation): (given: string) => string {
  const map = new Map<string, string>();
  for (const d of inst.departments) map.set(norm(d.code), d.code).set(norm(d.name), d.code);
  return (given) => map.get(norm(given)) ?? given;
}

/** The deadline our SLA gives an incident of this topic created then (imports carry no deadline). */
function deadlineOf(deps: StoreDeps, topic: string | null, created: Date): Date {
  const t = deps.installation.topics.find((x) => topic && norm(x.name) === norm(topic));
  const hours = t?.sla_hours ?? deps.installation.sla.default_hours;
  return computeDeadline({ from: created, hours, mode: deps.installation.sla.mode }, deps.calendar);
}

/**
 * Stores one chunk of checked records in one transaction: a post (the text, link and
 * source), the incident with its own number and dates, its co-executors, an `import`
 * event, and a training label (joined to a label `train` already made from the same
 * text instead of a second one). Records whose number is already stored are skipped,
 * so importing a file again adds nothing. Returns how many were new.
 */
export async function storeChunk(deps: StoreDeps, chunk: ImportRecord[]): Promise<number> {
  const dept = departmentResolver(deps.installation);
  return deps.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    const known = new Set((await db.select({ n: incidents.externalNumber }).from(incidents).where(inArray(incidents.externalNumber, chunk.map((r) => r.externalNumber)))).map((r) => r.n));
    const seen = new Set<string>();
    const fresh = chunk.filter((r) => !known.has(r.externalNumber) && !seen.has(r.externalNumber) && seen.add(r.externalNumber));
    if (!fresh.length) return 0;
    const wanted = fresh.map((r) => Number(r.externalNumber)).filter((n) => Number.isInteger(n) && n > 0 && n <= MAX_INT);
    const taken = new Set(wanted.length ? (await db.select({ n: incidents.number }).from(incidents).where(inArray(incidents.number, wanted))).map((r) => r.n) : []);
    const postRows = await db
      .insert(posts)
      .values(fresh.map((r) => ({ channel: r.channel, externalId: `im:${r.externalNumber}`, kind: 'post', url: r.url, text: r.text, publishedAt: r.createdAt, fetchedAt: r.createdAt, decidedKind: 'complaint', processedAt: r.createdAt })))
      .onConflictDoUpdate({ target: [posts.channel, posts.externalId], set: { text: sql`excluded.text` } })
      .returning({ id: posts.id, externalId: posts.externalId });
    const postId = new Map(postRows.map((p) => [p.externalId, p.id]));
    const incRows = await db
      .insert(incidents)
      .values(fresh.map((r) => incidentValues(deps, r, postId.get(`im:${r.externalNumber}`)!, taken, dept)))
      .returning({ id: incidents.id, externalNumber: incidents.externalNumber, firstPostId: incidents.firstPostId });
    const idOf = new Map(incRows.map((i) => [i.externalNumber!, i.id]));
    await db.execute(sql`update posts p set incident_id = i.id from incidents i where p.id = i.first_post_id and i.id in (${sql.join(incRows.map((i) => sql`${i.id}`), sql`, `)})`);
    const executors = fresh.flatMap((r) => [...new Set(r.executors.slice(1).map(dept))].filter((d) => d !== dept(r.executors[0] ?? '')).map((d) => ({ incidentId: idOf.get(r.externalNumber)!, department: d })));
    if (executors.length) await db.insert(incidentExecutors).values(executors).onConflictDoNothing();
    await db.insert(incidentEvents).values(fresh.map((r) => ({ incidentId: idOf.get(r.externalNumber)!, at: r.createdAt, actor: 'import:im', type: 'import', toStatus: r.status, data: { number: r.externalNumber, importedAt: deps.now.toISOString() } })));
    await keepLabels(db, fresh.map((r) => ({ id: idOf.get(r.externalNumber)!, text: r.text, topic: r.topic, dept: r.executors[0] ? dept(r.executors[0]) : null })), deps.now);
    return fresh.length;
  });
}

function incidentValues(deps: StoreDeps, r: ImportRecord, firstPostId: number, taken: Set<number>, dept: (s: string) => string): typeof incidents.$inferInsert {
  const n = Number(r.externalNumber);
  const own = Number.isInteger(n) && n > 0 && n <= MAX_INT && !taken.has(n) ? n : undefined;
  const answered = r.firstAnswerAt && ['answered', 'closed'].includes(r.status) ? r.firstAnswerAt : null;
  const closed = r.closedAt ?? (['closed', 'rejected', 'redirected', 'duplicate'].includes(r.status) ? (r.firstAnswerAt ?? r.createdAt) : null);
  return {
    number: own,
    externalNumber: r.externalNumber,
    status: r.status,
    kind: 'complaint',
    topic: r.topic,
    topicGroup: r.group,
    departmentCode: r.executors[0] ? dept(r.executors[0]) : null,
    territory: r.address.settlement ?? r.address.municipality ?? null,
    address: r.address,
    channel: r.channel,
    firstPostId,
    summary: clip(r.text, 200),
    outcome: r.outcome,
    detectedAt: r.createdAt,
    deadlineAt: deadlineOf(deps, r.topic, r.createdAt),
    firstResponseAt: r.firstAnswerAt,
    answeredAt: answered,
    closedAt: closed,
    updatedAt: deps.now,
    classifiedBy: 'import',
  };
}

/** Imported incidents become training labels; a label `train` made from the same text is linked, not doubled. */
async function keepLabels(db: Db, rows: Array<{ id: number; text: string; topic: string | null; dept: string | null }>, now: Date): Promise<void> {
  const useful = rows.filter((r) => r.topic || r.dept);
  if (!useful.length) return;
  const v = sql`jsonb_to_recordset(${JSON.stringify(useful)}::jsonb) as v(id int, text text, topic text, dept text)`;
  await db.execute(sql`update labels l set incident_id = v.id from ${v} where l.origin = 'import' and l.incident_id is null and l.text = v.text`);
  await db.execute(sql`insert into labels (text, kind, topic, department_code, origin, incident_id, created_at)
    select v.text, 'complaint', v.topic, v.dept, 'import', v.id, ${now.toISOString()}::timestamptz from ${v}
    where not exists (select 1 from labels l where l.origin = 'import' and l.text = v.text)`);
}

/** After imports with their own numbers, our sequence continues above the largest one. */
export async function bumpNumberSequence(db: Db): Promise<void> {
  await db.execute(sql`select setval('incident_number_seq', greatest((select coalesce(max(number), 0) from incidents), (select last_value from incident_number_seq)))`);
}
