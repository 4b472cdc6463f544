/**
 * The scenarios of `bench:ingest`, each run in its own process (so peak RSS is
 * that scenario's): the real poller + pipeline over generated posts, the raw
 * batched INSERT of the same rows, and the cost of one post beside N open incidents.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../src/db/client.js';
import { incidents, posts } from '../../src/db/schema.js';
import type { RawPost } from '../../src/domain/post.js';
import type { ChannelAdapter } from '../../src/domain/source.js';
import { jsonRows } from '../../src/pipeline/bulk.js';
import { normalizeText } from '../../src/pipeline/normalize.js';
import { createTestApp, testInstallation } from '../helpers/app.js';
import { generatePosts, type FeedOptions } from './feed.js';
import { cpuMeter, openBenchDb, rssSampler, type BenchDb } from './measure.js';

export interface PhaseResult {
  n: number;
  wallS: number;
  nodeCpuS: number;
  pgCpuS: number | null;
  peakRssMb: number;
  /** process.memoryUsage() at the largest sampled RSS (MB): JS heap, and external (PGlite's WebAssembly memory). */
  atPeak?: { rss: number; heapTotal: number; heapUsed: number; external: number };
  incidents?: number;
  merged?: number;
}

const PAGE = 500;

/** A source that hands out the generated feed page by page, as the file adapter does with a file; nothing is held but the page. */
function feedAdapter(total: number, feed: FeedOptions): ChannelAdapter {
  const it = generatePosts(total, feed);
  let handed = 0;
  return {
    channel: 'file',
    kinds: ['jsonl'],
    async poll(_source, cursor) {
      if (Number(cursor ?? 0) !== handed) throw new Error(`bench feed: cursor ${cursor}, expected ${handed}`);
      const page: RawPost[] = [];
      while (page.length < PAGE) {
        const r = it.next();
        if (r.done) break;
        page.push(r.value);
      }
      handed += page.length;
      return { posts: page, cursor: String(handed) };
    },
  };
}

async function measure(db: BenchDb, n: number, body: (sample: () => void) => Promise<Partial<PhaseResult> | void>, opts: { fromStart?: boolean } = {}): Promise<PhaseResult> {
  const rss = rssSampler(opts);
  const cpu = cpuMeter(db.pgPort);
  const t0 = performance.now();
  const extra = (await body(rss.sample)) ?? {};
  const wallS = (performance.now() - t0) / 1000;
  const used = cpu();
  rss.stop();
  return { n, wallS, nodeCpuS: used.node, pgCpuS: used.pg, peakRssMb: rss.peakMb(), atPeak: rss.atPeakMb(), ...extra };
}

/**
 * `otklik poll --once` until drained, in process: every post fetched, stored and decided.
 * `fromStart`: its peak RSS is the process's since it started (opening the database included).
 */
export async function pipelinePhase(db: BenchDb, n: number, feed: FeedOptions = {}, opts: { warmIndex?: boolean; fromStart?: boolean } = {}): Promise<PhaseResult> {
  const app = await createTestApp(db, {
    installation: testInstallation([{ channel: 'file', kind: 'jsonl', ref: 'bench-feed', enabled: true, interval: 60, options: {} }]),
    createAdapters: () => new Map([['file', feedAdapter(n, feed)]]),
  });
  // The near-duplicate index reads the open incidents once (then every 5 minutes): outside the per-post cost.
  if (opts.warmIndex) await app.pipeline.dedupe.find('', null, app.clock.now());
  return measure(db, n, async (sample) => {
    let incidentsOpened = 0;
    let merged = 0;
    for (;;) {
      const cycle = await app.poller.pollOnce({ force: true });
      if (cycle.failed) throw new Error('bench feed failed');
      const done = await app.processPending();
      incidentsOpened += done.incidents;
      merged += done.merged;
      sample();
      if (cycle.fetched === 0 && done.processed === 0) break;
    }
    return { incidents: incidentsOpened, merged };
  }, opts);
}

/**
 * The same rows the pipeline stores, written with plain batched INSERTs and
 * nothing else — the cheapest way we know (rows as one JSON parameter, as
 * storePosts does), so the ratio is against the best raw write, not a slow one.
 */
export async function rawPhase(db: BenchDb, n: number, feed: FeedOptions = {}): Promise<PhaseResult> {
  return measure(db, n, async () => {
    const now = new Date();
    let page: object[] = [];
    const flush = async () => {
      if (!page.length) return;
      await db.db.execute(sql`insert into posts (channel, external_id, kind, parent_external_id, repost_of_external_id, author_id, url, text, published_at, fetched_at, raw)
        select channel, external_id, kind, parent_external_id, repost_of_external_id, author_id, url, text, published_at, fetched_at, raw
        from jsonb_to_recordset(${jsonRows(page)}) as x(channel text, external_id text, kind text, parent_external_id text, repost_of_external_id text, author_id text,
          url text, text text, published_at timestamptz, fetched_at timestamptz, raw jsonb)`);
      page = [];
    };
    for (const p of generatePosts(n, feed)) {
      page.push({ channel: 'vk', external_id: p.externalId, kind: p.kind, parent_external_id: p.parentExternalId ?? null, repost_of_external_id: p.repostOfExternalId ?? null, author_id: p.authorId ?? null, url: p.url ?? null, text: p.text, published_at: p.publishedAt, fetched_at: now, raw: p.raw });
      if (page.length === PAGE) await flush();
    }
    await flush();
  });
}

/** Puts `count` open incidents (with their first posts) straight into the database, as if decided earlier today. */
export async function seedOpenIncidents(db: DbHandle, count: number, detectedAt: Date): Promise<void> {
  const feed = generatePosts(count, { seed: 7, comments: 0, reposts: 0, others: 0, houses: 200 });
  let batch: RawPost[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const rows = await db.db
      .insert(posts)
      .values(batch.map((p) => ({ channel: 'vk', externalId: `seed${p.externalId}`, kind: 'post', text: normalizeText(p.text), publishedAt: p.publishedAt, fetchedAt: detectedAt, processedAt: detectedAt, decidedKind: 'complaint' })))
      .returning({ id: posts.id, text: posts.text });
    await db.db.insert(incidents).values(rows.map((r) => ({ status: 'new', kind: 'complaint', channel: 'vk', firstPostId: r.id, summary: r.text.slice(0, 160), detectedAt, updatedAt: detectedAt })));
    batch = [];
  };
  for (const p of feed) {
    batch.push(p);
    if (batch.length === PAGE) await flush();
  }
  await flush();
}

/** `dirs`: prepared PGlite directories, one a phase (absent on Postgres). */
export type Scenario = { kind: 'ingest'; n: number; url?: string; dirs?: string[] } | { kind: 'flat'; open: number; n: number; url?: string; dirs?: string[] };

/** Runs one scenario and returns its phases (pipeline first, then raw, so the pipeline's peak RSS is its own). */
export async function runScenario(s: Scenario): Promise<{ db: string; phases: Record<string, PhaseResult> }> {
  if (s.kind === 'ingest') {
    const a = await openBenchDb(s.url, s.dirs?.[0]);
    const pipeline = await pipelinePhase(a, s.n, {}, { fromStart: true }).finally(() => a.close());
    globalThis.gc?.();
    const b = await openBenchDb(s.url, s.dirs?.[1]);
    const raw = await rawPhase(b, s.n).finally(() => b.close());
    return { db: a.label, phases: { pipeline, raw } };
  }
  const db = await openBenchDb(s.url, s.dirs?.[0]);
  try {
    await seedOpenIncidents(db, s.open, new Date('2026-11-16T08:00:00+03:00'));
    // New posts about other houses, so the cost is the search, not a wave of merges.
    const pipeline = await pipelinePhase(db, s.n, { seed: 8, houses: 40 }, { warmIndex: true });
    return { db: db.label, phases: { pipeline } };
  } finally {
    await db.close();
  }
}
