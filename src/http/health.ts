import { sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';

export interface Health {
  ok: boolean;
  database: 'ok' | 'unreachable';
  sources: { enabled: number; ok: number; backoff: number; broken: number };
  /** Seconds since the last poll of any source; null before the first. */
  lastPollAgeSeconds: number | null;
  /** Why `ok` is false, in Russian for the operator. */
  problems: string[];
}

/** A poll older than this many times the longest source interval means the pollers stopped. */
const STALE_FACTOR = 3;
const MIN_STALE_SECONDS = 15 * 60;

/**
 * The instance is healthy when the database answers, not every enabled source is broken,
 * and some source was polled recently (relative to the intervals configured).
 */
export async function checkHealth(db: Db, clock: Clock, timeoutMs = 3000): Promise<Health> {
  const empty = { enabled: 0, ok: 0, backoff: 0, broken: 0 };
  let row: { enabled: number; ok: number; backoff: number; broken: number; last: string | null; maxInterval: number | null } | undefined;
  try {
    const q = db.execute<{ enabled: number; ok: number; backoff: number; broken: number; last: string | null; maxInterval: number | null }>(sql`
      select count(*)::int as enabled,
             count(*) filter (where status = 'ok')::int as ok,
             count(*) filter (where status = 'backoff')::int as backoff,
             count(*) filter (where status = 'broken')::int as broken,
             max(last_poll_at)::text as last,
             max(interval_sec)::int as "maxInterval"
      from sources where enabled`);
    const res = await withTimeout(q, timeoutMs);
    row = (Array.isArray(res) ? res : (res as { rows: unknown[] }).rows)[0] as typeof row;
  } catch {
    return { ok: false, database: 'unreachable', sources: empty, lastPollAgeSeconds: null, problems: ['база данных не отвечает'] };
  }
  const sources = { enabled: row?.enabled ?? 0, ok: row?.ok ?? 0, backoff: row?.backoff ?? 0, broken: row?.broken ?? 0 };
  const age = row?.last ? Math.max(0, Math.round((clock.now().getTime() - new Date(row.last).getTime()) / 1000)) : null;
  const problems: string[] = [];
  if (sources.enabled > 0 && sources.broken === sources.enabled) problems.push('все источники сломаны');
  const stale = Math.max(MIN_STALE_SECONDS, STALE_FACTOR * (row?.maxInterval ?? 0));
  if (age !== null && age > stale) problems.push(`источники не опрашивались ${age} с`);
  return { ok: problems.length === 0, database: 'ok', sources, lastPollAgeSeconds: age, problems };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
