import { sql, type SQL } from 'drizzle-orm';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import type { EventHub } from '../events.js';

export interface MetricsDeps {
  db: Db;
  clock: Clock;
  events: EventHub;
}

type Row = Record<string, unknown>;

/** Rows of a raw query on either driver (postgres.js gives an array, PGlite `{ rows }`). */
async function rows(db: Db, query: SQL): Promise<Row[]> {
  const res = (await db.execute(query)) as unknown;
  return (Array.isArray(res) ? res : (res as { rows: Row[] }).rows) as Row[];
}

/**
 * The Prometheus registry of one instance. Counters (polls, job runs) count what this
 * process did since it started; gauges (posts, incidents, outbox, replies, sources) are read
 * from the database at each scrape, so every instance on one Postgres reports the same
 * totals — aggregate them with `max`, not `sum`.
 */
export function createMetrics(deps: MetricsDeps): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'otklik_' });
  const polls = new Counter({ name: 'otklik_polls_total', help: 'Source polls by this instance, by source and outcome (ok, retry, backoff, broken)', labelNames: ['source', 'channel', 'kind', 'outcome'], registers: [registry] });
  const fetched = new Counter({ name: 'otklik_posts_fetched_total', help: 'Posts returned by the adapters (re-reads included), by channel', labelNames: ['channel'], registers: [registry] });
  const jobs = new Counter({ name: 'otklik_job_runs_total', help: 'Scheduled job runs by this instance, by job and outcome (ok, error, skipped)', labelNames: ['job', 'outcome'], registers: [registry] });
  const jobSeconds = new Counter({ name: 'otklik_job_seconds_total', help: 'Time spent in scheduled jobs, by job', labelNames: ['job'], registers: [registry] });
  deps.events.on('poll', (e) => {
    polls.inc({ source: String(e.sourceId), channel: e.channel, kind: e.kind, outcome: e.outcome });
    if (e.posts) fetched.inc({ channel: e.channel }, e.posts);
  });
  deps.events.on('job', (e) => {
    jobs.inc({ job: e.job, outcome: e.outcome });
    jobSeconds.inc({ job: e.job }, e.seconds);
  });

  const up = new Gauge({ name: 'otklik_database_up', help: '1 when the database answered this scrape', registers: [registry] });
  const byLabel = (name: string, help: string, label: string, query: SQL) => {
    const g = new Gauge({ name, help, labelNames: [label], registers: [registry] });
    return async () => {
      g.reset();
      for (const r of await rows(deps.db, query)) g.set({ [label]: String(r.k ?? 'none') }, Number(r.n));
    };
  };
  const readers = [
    byLabel('otklik_posts', 'Stored posts by state: decided, pending (not decided yet), failed (kept with an error)', 'state',
      sql`select case when processed_at is not null then 'decided' when process_error is not null then 'failed' else 'pending' end as k, count(*)::int as n from posts group by 1`),
    byLabel('otklik_incidents', 'Incidents by status', 'status', sql`select status as k, count(*)::int as n from incidents group by 1`),
    byLabel('otklik_incidents_classified', 'Incidents by the classifier path that decided the topic (model, llm, rules)', 'by', sql`select coalesce(classified_by, 'none') as k, count(*)::int as n from incidents group by 1`),
    byLabel('otklik_outbox_messages', 'Staff bot outbox rows by status; pending + sending is the backlog', 'status', sql`select status as k, count(*)::int as n from outbox group by 1`),
    byLabel('otklik_replies', 'Public replies by status (failed and unconfirmed need a person)', 'status', sql`select status as k, count(*)::int as n from replies group by 1`),
    byLabel('otklik_sources', 'Enabled sources by status (ok, backoff, broken)', 'status', sql`select status as k, count(*)::int as n from sources where enabled group by 1`),
  ];
  const failures = new Gauge({ name: 'otklik_source_failures', help: 'Consecutive failed polls of each enabled source', labelNames: ['source', 'channel', 'kind'], registers: [registry] });
  const lastPoll = new Gauge({ name: 'otklik_last_poll_age_seconds', help: 'Seconds since any source was last polled (-1 before the first poll)', registers: [registry] });
  readers.push(async () => {
    failures.reset();
    const list = await rows(deps.db, sql`select id, channel, kind, failures, last_poll_at::text as last from sources where enabled`);
    let last = 0;
    for (const r of list) {
      failures.set({ source: String(r.id), channel: String(r.channel), kind: String(r.kind) }, Number(r.failures));
      if (r.last) last = Math.max(last, new Date(String(r.last)).getTime());
    }
    lastPoll.set(last ? Math.max(0, (deps.clock.now().getTime() - last) / 1000) : -1);
  });
  // One read of the database per scrape, before the registry renders.
  const metrics = registry.metrics.bind(registry);
  registry.metrics = async () => {
    try {
      for (const read of readers) await read();
      up.set(1);
    } catch {
      up.set(0);
    }
    return metrics();
  };
  return registry;
}
