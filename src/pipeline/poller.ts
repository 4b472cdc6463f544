import { eq, sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { notices, sources } from '../db/schema.js';
import type { EventHub } from '../events.js';
import type { Channel } from '../domain/post.js';
import { SourceError, type ChannelAdapter, type PollOutcome, type PollRequest, type SourceRef } from '../domain/source.js';
import { redactSecretShapes, type Logger } from '../log.js';
import type { Notifier } from '../notify.js';
import { crashPoint, type PipelineStep } from './process.js';
import { storePosts } from './store.js';

export interface PollerDeps {
  db: Db;
  adapters: ReadonlyMap<Channel, ChannelAdapter>;
  clock: Clock;
  log: Logger;
  notifier: Notifier;
  /** This instance's name in leases. */
  instance: string;
  /** How long a claimed source stays ours if we die mid-poll. */
  leaseMs?: number;
  faults?: (step: PipelineStep) => void;
  /** Reports each source polled (metrics). */
  events?: EventHub;
  /**
   * Aborted when the process is asked to stop: no new cycle starts and no further source of
   * a cycle is polled (their leases are released); a poll already under way is finished and stored.
   */
  stopping?: AbortSignal;
  /** Strips tokens from error text before it is stored, logged or told to admins (default: token shapes only). */
  redact?: (text: string) => string;
}

export interface PollCycleStats {
  polled: number;
  failed: number;
  /** Posts the adapters returned (re-reads included). */
  fetched: number;
  /** Posts stored for the first time. */
  newPosts: number;
}

type SourceRow = typeof sources.$inferSelect;

const BROKEN_RETRY_MS = 6 * 3_600_000;
const MAX_RETRY_BACKOFF_MS = 15 * 60_000;

/**
 * Polls due sources once: claims them with a lease (one instance per source),
 * asks each adapter (batched where it can), stores posts, and only then moves
 * each source's cursor. A failing source is paused or marked broken; the others go on.
 */
export function createPoller(deps: PollerDeps) {
  const leaseMs = deps.leaseMs ?? 10 * 60_000;
  const redact = deps.redact ?? redactSecretShapes;

  /** Due sources not leased by another live instance; our own name's leases (a restart after a crash) are ours. */
  async function claimDue(force: boolean, onlyIds?: number[], leaseFor = leaseMs): Promise<SourceRow[]> {
    const now = deps.clock.now();
    // postgres.js cannot bind a Date inside raw SQL; pass an ISO string cast to timestamptz.
    const at = sql`${now.toISOString()}::timestamptz`;
    const due = force
      ? sql`true`
      : sql`(${sources.lastPollAt} is null or ${sources.lastPollAt} + make_interval(secs => ${sources.intervalSec}) <= ${at})
            and (${sources.backoffUntil} is null or ${sources.backoffUntil} <= ${at})`;
    const ids = onlyIds?.length ? sql`and ${sources.id} in (${sql.join(onlyIds.map((i) => sql`${i}`), sql`, `)})` : sql``;
    const candidates = sql`select ${sources.id} from ${sources}
      where ${sources.enabled} and ${due} ${ids}
        and (${sources.leaseUntil} is null or ${sources.leaseUntil} < ${at} or ${sources.leaseOwner} = ${deps.instance})
      order by ${sources.lastPollAt} nulls first
      for update skip locked`;
    return deps.db
      .update(sources)
      .set({ leaseOwner: deps.instance, leaseUntil: new Date(now.getTime() + leaseFor) })
      .where(sql`${sources.id} in (${candidates})`)
      .returning();
  }

  async function pollAdapter(adapter: ChannelAdapter, rows: SourceRow[]): Promise<PollOutcome[]> {
    const requests: PollRequest[] = rows.map((r) => ({ source: toRef(r), cursor: r.cursor }));
    if (adapter.pollBatch && requests.length > 1) {
      try {
        return await adapter.pollBatch(requests);
      } catch (err) {
        return requests.map((r) => ({ ok: false as const, sourceId: r.source.id, error: asSourceError(err) }));
      }
    }
    const out: PollOutcome[] = [];
    for (const r of requests) {
      if (deps.stopping?.aborted) break;
      try {
        out.push({ ok: true, sourceId: r.source.id, ...(await adapter.poll(r.source, r.cursor)) });
      } catch (err) {
        out.push({ ok: false, sourceId: r.source.id, error: asSourceError(err) });
      }
    }
    return out;
  }

  async function settle(row: SourceRow, outcome: PollOutcome, stats: PollCycleStats): Promise<void> {
    const now = deps.clock.now();
    if (outcome.ok) {
      crashPoint(deps.faults, 'fetched');
      const inserted = await storePosts(deps.db, row.id, row.channel as Channel, outcome.posts, now);
      crashPoint(deps.faults, 'stored');
      const refused = refusedSummary(outcome.refused, redact);
      if (refused) deps.log.warn({ sourceId: row.id, refused: outcome.refused!.length, first: refused }, 'records refused');
      // The cursor moves only now that its posts are committed.
      await deps.db
        .update(sources)
        .set({ cursor: outcome.cursor, lastPollAt: now, lastSuccessAt: now, status: 'ok', failures: 0, backoffUntil: null, lastError: refused, lastErrorAt: refused ? now : row.lastErrorAt, postsSeen: sql`${sources.postsSeen} + ${inserted}`, leaseOwner: null, leaseUntil: null })
        .where(eq(sources.id, row.id));
      await deps.db.delete(notices).where(eq(notices.key, brokenKey(row.id)));
      stats.polled++;
      deps.events?.emit('poll', { sourceId: row.id, channel: row.channel, kind: row.kind, outcome: 'ok', posts: outcome.posts.length });
      stats.fetched += outcome.posts.length;
      stats.newPosts += inserted;
      return;
    }
    stats.failed++;
    await recordFailure(row, outcome.error, now);
  }

  async function recordFailure(row: SourceRow, raw: SourceError, now: Date): Promise<void> {
    // Library errors embed request URLs (Telegram: /bot<token>/); nothing stored or shown keeps them.
    const error = new SourceError(raw.kind, redact(raw.message), raw.details);
    const failures = row.failures + 1;
    const wait =
      error.kind === 'broken'
        ? BROKEN_RETRY_MS
        : error.kind === 'backoff'
          ? (error.details.retryAfterMs ?? 60_000)
          : Math.min(MAX_RETRY_BACKOFF_MS, 15_000 * 2 ** Math.min(failures - 1, 6)) * (0.75 + Math.random() / 2);
    await deps.db
      .update(sources)
      .set({ status: statusAfter(error), failures, lastPollAt: now, lastError: error.message, lastErrorAt: now, backoffUntil: new Date(now.getTime() + wait), leaseOwner: null, leaseUntil: null })
      .where(eq(sources.id, row.id));
    deps.events?.emit('poll', { sourceId: row.id, channel: row.channel, kind: row.kind, outcome: error.kind, posts: 0 });
    deps.log.warn({ sourceId: row.id, channel: row.channel, kind: error.kind, code: error.details.code, err: error.message }, 'source poll failed');
    if (error.kind === 'broken') await tellAdminsOnce(row, error, now);
  }

  /** Sources claimed but not polled (the process is stopping) go back to the pool at once. */
  async function releaseLeases(ids: number[]): Promise<void> {
    await deps.db.update(sources).set({ leaseOwner: null, leaseUntil: null }).where(sql`${sources.id} in (${sql.join(ids.map((i) => sql`${i}`), sql`, `)}) and ${sources.leaseOwner} = ${deps.instance}`);
  }

  async function tellAdminsOnce(row: SourceRow, error: SourceError, now: Date): Promise<void> {
    const fresh = await deps.db.insert(notices).values({ key: brokenKey(row.id), createdAt: now }).onConflictDoNothing().returning();
    if (!fresh.length) return;
    const name = row.name ?? `${row.channel}:${row.kind}:${row.reference}`;
    await deps.notifier.toAdmins(`⚠️ Источник «${name}» перестал читаться: ${error.message}. Остальные источники работают.`).catch((err) => deps.log.error({ err }, 'cannot notify admins'));
  }

  return {
    /**
     * One cycle. `force` ignores intervals and backoff (CLI `poll --once`). `leaseMs`: how long
     * the claimed sources stay this instance's if it dies mid-poll (a short poll, such as the
     * staff bot's long poll, is taken over sooner by another instance).
     */
    async pollOnce(opts: { force?: boolean; sourceIds?: number[]; leaseMs?: number } = {}): Promise<PollCycleStats> {
      const stats: PollCycleStats = { polled: 0, failed: 0, fetched: 0, newPosts: 0 };
      if (deps.stopping?.aborted) return stats;
      const rows = await claimDue(opts.force ?? false, opts.sourceIds, opts.leaseMs);
      const byChannel = new Map<string, SourceRow[]>();
      for (const r of rows) byChannel.set(r.channel, [...(byChannel.get(r.channel) ?? []), r]);
      await Promise.all(
        [...byChannel].map(async ([channel, group]) => {
          const adapter = deps.adapters.get(channel as Channel);
          const outcomes = adapter
            ? await pollAdapter(adapter, group)
            : group.map((r) => ({ ok: false as const, sourceId: r.id, error: new SourceError('broken', `канал «${channel}» не настроен: нет токена или адаптера`) }));
          const byId = new Map(group.map((r) => [r.id, r]));
          for (const o of outcomes) await settle(byId.get(o.sourceId)!, o, stats);
          const skipped = group.filter((r) => !outcomes.some((o) => o.sourceId === r.id)).map((r) => r.id);
          if (skipped.length) await releaseLeases(skipped);
        }),
      );
      return stats;
    },
  };
}

/** What `sources` shows for a page with refused records: how many and the first reason. */
function refusedSummary(refused: string[] | undefined, redact: (s: string) => string): string | null {
  if (!refused?.length) return null;
  return redact(`пропущено записей: ${refused.length}; первая: ${refused[0]}`);
}

/** A source that keeps failing must not read «ok»: a transient error shows as backoff until the next success. */
function statusAfter(error: SourceError): 'backoff' | 'broken' {
  return error.kind === 'broken' ? 'broken' : 'backoff';
}

function brokenKey(sourceId: number): string {
  return `source-broken:${sourceId}`;
}

function toRef(r: SourceRow): SourceRef {
  return { id: r.id, channel: r.channel as Channel, kind: r.kind, reference: r.reference, options: r.options ?? {} };
}

function asSourceError(err: unknown): SourceError {
  if (err instanceof SourceError) return err;
  return new SourceError('retry', err instanceof Error ? err.message : String(err), { cause: err });
}

