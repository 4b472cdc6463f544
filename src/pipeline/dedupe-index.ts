import { and, asc, count, eq, gte, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { incidents, posts } from '../db/schema.js';
import { isOpen, type Status } from '../domain/status.js';
import type { Gazetteer } from '../routing/territory.js';
import { fingerprint, type Fingerprint } from './dedupe.js';
import { createDedupeMemory, WATCHED } from './dedupe-candidates.js';

export interface DedupeMatch {
  incidentId: number;
  /** open: merge into it; answered/closed: the new incident is a repeat of it. */
  open: boolean;
  /** The incident's topic (a comment naming another topic does not join it). */
  topic: string | null;
}

const REFRESH_MS = 5 * 60_000;
const LOAD_PAGE = 2000;

/**
 * Recent incidents held in memory with their fingerprints and an index (see
 * dedupe-candidates.ts), so each new post is compared with a few candidates and
 * without a query. Reloaded every few minutes to see incidents other instances opened.
 */
export function createDedupeIndex(db: Db, gazetteer: Gazetteer, opts: { windowHours: number; threshold: number }) {
  const windowMs = opts.windowHours * 3_600_000;
  const memory = createDedupeMemory({ threshold: opts.threshold, windowMs });
  // A new incident's text is printed by find and again by add: the last one is kept.
  let last: { text: string; fp: Fingerprint } | null = null;
  const print = (text: string): Fingerprint => {
    if (last?.text === text) return last.fp;
    const place = gazetteer.find(text);
    last = { text, fp: fingerprint(text, place.street, place.settlement?.name ?? null) };
    return last.fp;
  };
  let loadedAt = -Infinity;
  /** Incidents in the database as this index knows them: the count at load plus those added since. */
  let known = 0;
  const countIncidents = async (on: Db) => (await on.select({ n: count() }).from(incidents))[0]?.n ?? 0;

  /** Reads the window page by page, in id (creation) order, so the index lists stay oldest first. */
  async function load(now: Date): Promise<void> {
    const since = new Date(now.getTime() - windowMs);
    memory.clear();
    known = await countIncidents(db);
    for (let after = 0; ; ) {
      const rows = await db
        .select({ id: incidents.id, topic: incidents.topic, status: incidents.status, detectedAt: incidents.detectedAt, text: posts.text })
        .from(incidents)
        .innerJoin(posts, eq(posts.id, incidents.firstPostId))
        .where(and(gte(incidents.detectedAt, since), inArray(incidents.status, [...WATCHED]), gte(incidents.id, after + 1)))
        .orderBy(asc(incidents.id))
        .limit(LOAD_PAGE);
      for (const r of rows) memory.add({ ...print(r.text), id: r.id, topic: r.topic, status: r.status as Status, detectedAt: r.detectedAt });
      if (rows.length < LOAD_PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
    loadedAt = now.getTime();
  }

  return {
    async find(text: string, topic: string | null, now: Date): Promise<DedupeMatch | null> {
      if (now.getTime() - loadedAt > REFRESH_MS || now.getTime() < loadedAt) await load(now);
      const best = memory.find(print(text), topic, now);
      return best ? { incidentId: best.id, open: isOpen(best.status), topic: best.topic } : null;
    },
    /** Records an incident this process just created. */
    add(id: number, text: string, topic: string | null, detectedAt: Date): void {
      memory.add({ ...print(text), id, topic, status: 'new', detectedAt });
      known++;
    },
    /**
     * True when the database holds incidents this index has not seen (another instance
     * opened them). Asked under the decide lock, so the answer holds until the commit.
     */
    async changedElsewhere(on: Db): Promise<boolean> {
      return loadedAt !== -Infinity && (await countIncidents(on)) !== known;
    },
    /** Forget cached state (after status changes made elsewhere). */
    invalidate(): void {
      loadedAt = -Infinity;
    },
  };
}

export type DedupeIndex = ReturnType<typeof createDedupeIndex>;
