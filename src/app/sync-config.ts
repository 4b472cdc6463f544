import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { Installation } from '../config/installation.js';
import type { Db } from '../db/client.js';
import { departments, sources, topics } from '../db/schema.js';

const CHUNK = 500;

/** The last of several rows with one key wins, as it would row by row (one INSERT may not touch a key twice). */
function lastByKey<T>(rows: T[], key: (r: T) => string): T[] {
  return [...new Map(rows.map((r) => [key(r), r])).values()];
}

/**
 * Makes the database's departments, topics and sources match the installation
 * config. Cursors and poll state of existing sources are kept; sources no longer
 * in the config are disabled, not deleted (their posts stay linked). One
 * statement per table (every command runs this at start, so it must be cheap).
 */
export async function syncConfig(db: Db, cfg: Installation): Promise<void> {
  const deps = lastByKey(cfg.departments, (d) => d.code).map((d) => ({ code: d.code, name: d.name, chatId: d.chat ?? null, active: true }));
  if (deps.length) {
    await db.insert(departments).values(deps).onConflictDoUpdate({ target: departments.code, set: { name: sql`excluded.name`, chatId: sql`excluded.chat_id`, active: true } });
  }
  await db.update(departments).set({ active: false }).where(notInArray(departments.code, deps.length ? deps.map((d) => d.code) : ['']));

  const tops = lastByKey(cfg.topics, (t) => `${t.group}\u0001${t.name}`).map((t) => ({ groupName: t.group, name: t.name, departmentCode: t.department ?? null, priority: t.priority, slaHours: t.sla_hours ?? null }));
  if (tops.length) {
    await db
      .insert(topics)
      .values(tops)
      .onConflictDoUpdate({ target: [topics.groupName, topics.name], set: { departmentCode: sql`excluded.department_code`, priority: sql`excluded.priority`, slaHours: sql`excluded.sla_hours` } });
  }

  const srcs = lastByKey(cfg.sources, (s) => `${s.channel}\u0001${s.kind}\u0001${s.ref}`).map((s) => ({
    channel: s.channel, kind: s.kind, reference: s.ref, name: s.name ?? null, enabled: s.enabled, intervalSec: s.interval, options: s.options,
  }));
  const keep: number[] = [];
  for (let i = 0; i < srcs.length; i += CHUNK) {
    const rows = await db
      .insert(sources)
      .values(srcs.slice(i, i + CHUNK))
      .onConflictDoUpdate({
        target: [sources.channel, sources.kind, sources.reference],
        set: { name: sql`excluded.name`, enabled: sql`excluded.enabled`, intervalSec: sql`excluded.interval_sec`, options: sql`excluded.options` },
      })
      .returning({ id: sources.id });
    keep.push(...rows.map((r) => r.id));
  }
  await db
    .update(sources)
    .set({ enabled: false })
    .where(keep.length ? and(eq(sources.enabled, true), notInArray(sources.id, keep)) : sql`true`);
}
