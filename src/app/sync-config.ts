import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { Installation } from '../config/installation.js';
import type { Db } from '../db/client.js';
import { departments, sources, topics } from '../db/schema.js';

/**
 * Makes the database's departments, topics and sources match the installation
 * config. Cursors and poll state of existing sources are kept; sources no longer
 * in the config are disabled, not deleted (their posts stay linked).
 */
export async function syncConfig(db: Db, cfg: Installation): Promise<void> {
  for (const d of cfg.departments) {
    await db
      .insert(departments)
      .values({ code: d.code, name: d.name, chatId: d.chat ?? null, active: true })
      .onConflictDoUpdate({ target: departments.code, set: { name: d.name, chatId: d.chat ?? null, active: true } });
  }
  const codes = cfg.departments.map((d) => d.code);
  await db.update(departments).set({ active: false }).where(notInArray(departments.code, codes));

  for (const t of cfg.topics) {
    const values = { groupName: t.group, name: t.name, departmentCode: t.department ?? null, priority: t.priority, slaHours: t.sla_hours ?? null };
    await db.insert(topics).values(values).onConflictDoUpdate({ target: [topics.groupName, topics.name], set: values });
  }

  const keep: number[] = [];
  for (const s of cfg.sources) {
    const values = { channel: s.channel, kind: s.kind, reference: s.ref, name: s.name ?? null, enabled: s.enabled, intervalSec: s.interval, options: s.options };
    const [row] = await db
      .insert(sources)
      .values(values)
      .onConflictDoUpdate({ target: [sources.channel, sources.kind, sources.reference], set: { name: values.name, enabled: values.enabled, intervalSec: values.intervalSec, options: values.options } })
      .returning({ id: sources.id });
    if (row) keep.push(row.id);
  }
  await db
    .update(sources)
    .set({ enabled: false })
    .where(keep.length ? and(eq(sources.enabled, true), notInArray(sources.id, keep)) : sql`true`);
}
