import { and, eq, gte, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { incidents, posts } from '../db/schema.js';
import { isOpen, type Status } from '../domain/status.js';
import type { Gazetteer } from '../routing/territory.js';
import { fingerprint, isNearDuplicate, type Fingerprint } from './dedupe.js';

interface Entry extends Fingerprint {
  id: number;
  topic: string | null;
  status: Status;
  detectedAt: Date;
}

export interface DedupeMatch {
  incidentId: number;
  /** open: merge into it; answered/closed: the new incident is a repeat of it. */
  open: boolean;
}

const WATCHED: Status[] = ['new', 'assigned', 'in_work', 'interim', 'answered', 'closed'];
const REFRESH_MS = 5 * 60_000;

/**
 * Recent incidents held in memory with their fingerprints, so each new post is
 * compared without a query. Reloaded every few minutes to see incidents other
 * instances opened.
 */
export function createDedupeIndex(db: Db, gazetteer: Gazetteer, opts: { windowHours: number; threshold: number }) {
  const print = (text: string) => fingerprint(text, gazetteer.find(text).street);
  const entries = new Map<number, Entry>();
  let loadedAt = -Infinity;
  const windowMs = opts.windowHours * 3_600_000;

  async function load(now: Date): Promise<void> {
    const since = new Date(now.getTime() - windowMs);
    const rows = await db
      .select({ id: incidents.id, topic: incidents.topic, status: incidents.status, detectedAt: incidents.detectedAt, text: posts.text })
      .from(incidents)
      .innerJoin(posts, eq(posts.id, incidents.firstPostId))
      .where(and(gte(incidents.detectedAt, since), inArray(incidents.status, WATCHED)));
    entries.clear();
    for (const r of rows) entries.set(r.id, { ...print(r.text), id: r.id, topic: r.topic, status: r.status as Status, detectedAt: r.detectedAt });
    loadedAt = now.getTime();
  }

  return {
    async find(text: string, topic: string | null, now: Date): Promise<DedupeMatch | null> {
      if (now.getTime() - loadedAt > REFRESH_MS || now.getTime() < loadedAt) await load(now);
      const fp = { ...print(text), topic };
      const since = now.getTime() - windowMs;
      let best: Entry | null = null;
      for (const e of entries.values()) {
        if (e.detectedAt.getTime() < since || !WATCHED.includes(e.status)) continue;
        if (!isNearDuplicate(fp, e, opts.threshold)) continue;
        // Prefer an open incident over an answered one, then the newest.
        if (!best || (isOpen(e.status) && !isOpen(best.status)) || (isOpen(e.status) === isOpen(best.status) && e.detectedAt > best.detectedAt)) best = e;
      }
      return best ? { incidentId: best.id, open: isOpen(best.status) } : null;
    },
    /** Records an incident this process just created. */
    add(id: number, text: string, topic: string | null, detectedAt: Date): void {
      entries.set(id, { ...print(text), id, topic, status: 'new', detectedAt });
    },
    /** Forget cached state (after status changes made elsewhere). */
    invalidate(): void {
      loadedAt = -Infinity;
    },
  };
}

export type DedupeIndex = ReturnType<typeof createDedupeIndex>;
