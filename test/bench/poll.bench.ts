/**
 * `npm run bench:poll [-- --communities N]`: the real poller + VK adapter (vk-io) +
 * storePosts into in-memory PGlite, against the local VK fake (127.0.0.1 only; no
 * ../shared needed). Two scenarios, two cycles each (first read, then a steady-state
 * cycle one interval later with nothing new):
 *  - walls: N communities (default 1,000) × 20 new posts;
 *  - comments: 100 communities × 10 recent posts × 3 comments.
 * Prints HTTP requests per cycle and per community beside the `execute` limit, posts per
 * second, cycle time, the ratio to issue 3's limit (45 requests per 1,000 walls / per
 * 100 comment sources), how long the cycle would take against real VK at 3 and 20 req/s,
 * and peak RSS.
 */
import { fileURLToPath } from 'node:url';
import { openDb } from '../../src/db/client.js';
import type { BenchRow } from './measure.js';
import { createTestApp, testInstallation } from '../helpers/app.js';
import { countRequests, range, seedThreads, seedWalls, startVkWorld, vkSources } from '../e2e/vk-world.js';

interface Row {
  scenario: string;
  cycle: string;
  communities: number;
  requests: number;
  /** Theoretical requests per community with `execute` (25 calls per request). */
  limitPerCommunity: number;
  /** Issue 3's ceiling for this many communities. */
  issueLimit: number;
  fetched: number;
  newPosts: number;
  ms: number;
}

function argNumber(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  return Number.isFinite(v) && v > 0 ? Math.trunc(v) : dflt;
}

/** Peak resident set size, sampled while the bench runs. */
function rssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  timer.unref();
  return { peakMb: () => Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20), stop: () => clearInterval(timer) };
}

async function runScenario(o: { scenario: string; kind: 'wall' | 'comments'; communities: number; seed: (w: Awaited<ReturnType<typeof startVkWorld>>, ids: number[]) => void; limitPerCommunity: number; issueLimit: number; options?: Record<string, unknown> }): Promise<{ rows: Row[]; setupMs: number }> {
  const world = await startVkWorld();
  const handle = await openDb({ dataDir: 'memory://' });
  try {
    const ids = range(1_000_001, o.communities);
    o.seed(world, ids);
    const t0 = performance.now();
    const app = await createTestApp(handle, { installation: testInstallation(vkSources(o.kind, ids).map((src) => ({ ...src, options: o.options ?? {} }))), createAdapters: () => world.adapters(), clock: world.clock });
    const setupMs = performance.now() - t0;
    const rows: Row[] = [];
    for (const cycle of ['first', 'steady'] as const) {
      if (cycle === 'steady') world.clock.advance(5 * 60_000);
      const start = performance.now();
      const { result, requests } = await countRequests(world.fake, () => app.poller.pollOnce({ force: cycle === 'first' }));
      const ms = performance.now() - start;
      if (result.failed) throw new Error(`${result.failed} sources failed in the ${cycle} cycle`);
      rows.push({ scenario: o.scenario, cycle, communities: o.communities, requests, limitPerCommunity: o.limitPerCommunity, issueLimit: o.issueLimit, fetched: result.fetched, newPosts: result.newPosts, ms });
    }
    return { rows, setupMs };
  } finally {
    await handle.close();
    await world.close();
  }
}

function printTable(rows: Row[]): void {
  const header = ['scenario', 'cycle', 'communities', 'requests', 'req/community', 'limit (execute)', 'vs issue limit', 'posts fetched', 'new posts', 'posts/s', 'cycle ms', 'VK @3 rps, s', 'VK @20 rps, s'];
  const body = rows.map((r) => [
    r.scenario,
    r.cycle,
    String(r.communities),
    String(r.requests),
    (r.requests / r.communities).toFixed(3),
    r.limitPerCommunity.toFixed(3),
    `${r.requests}/${r.issueLimit} = ${(r.requests / r.issueLimit).toFixed(2)}`,
    String(r.fetched),
    String(r.newPosts),
    String(Math.round(r.fetched / (r.ms / 1000))),
    String(Math.round(r.ms)),
    (r.requests / 3).toFixed(1),
    (r.requests / 20).toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

/** Both scenarios, for `npm run bench`'s one table. */
export async function runPollBench(communities: number): Promise<BenchRow[]> {
  const rss = rssSampler();
  const cpu0 = process.cpuUsage();
  const { walls, comments } = await scenarios(communities);
  const cpu = process.cpuUsage(cpu0);
  rss.stop();
  return [...walls.rows, ...comments.rows].map((r): BenchRow => ({
    bench: 'poll', scenario: `${r.scenario}, ${r.cycle} cycle`, db: 'PGlite', n: r.communities, wallS: r.ms / 1000, nodeCpuS: null, pgCpuS: null,
    measured: `${(r.requests / r.communities).toFixed(3)} req/community (${r.requests} requests, ${r.fetched} posts)`, vsRaw: '—', peakRssMb: null,
    target: r.scenario.includes('photo') && r.cycle === 'first' ? 'all read; 25 walls ≈ 9 MB > 5 MB, so error 13 splits (ideal 0.080)' : `≤ ${r.limitPerCommunity.toFixed(3)} req/community`,
  })).concat([{ bench: 'poll', scenario: 'all scenarios, whole process', db: 'PGlite', n: communities, wallS: null, nodeCpuS: (cpu.user + cpu.system) / 1e6, pgCpuS: null, measured: '—', vsRaw: '—', peakRssMb: rss.peakMb(), target: '—' }]);
}

async function scenarios(communities: number) {
  const walls = await runScenario({
    scenario: 'walls × 20 posts', kind: 'wall', communities,
    seed: (w, ids) => seedWalls(w.fake, ids, 20),
    limitPerCommunity: 1 / 25, issueLimit: Math.ceil((45 * communities) / 1000),
  });
  const comments = await runScenario({
    scenario: 'comments × 10 posts', kind: 'comments', communities: 100,
    seed: (w, ids) => seedThreads(w.fake, ids, 10, 3),
    // One wall.get plus ten wall.getComments per community, 25 calls per execute.
    limitPerCommunity: 11 / 25, issueLimit: 45,
  });
  // Real walls: 100 posts with a photo each (~9 MB per 25 walls, over VK's 5 MB execute limit), the first cycle reading all 100.
  const photos = await runScenario({
    scenario: 'walls × 100 photo posts (count 100)', kind: 'wall', communities: 100,
    seed: (w, ids) => seedWalls(w.fake, ids, 100, { photos: true }),
    limitPerCommunity: 1 / 25, issueLimit: 5, options: { count: 100 },
  });
  return { walls, comments: { rows: [...comments.rows, ...photos.rows], setupMs: comments.setupMs } };
}

async function main(): Promise<void> {
  const communities = argNumber('communities', 1000);
  const rss = rssSampler();
  console.log(`bench:poll — VK fake on 127.0.0.1, real poller + vk-io + PGlite in memory (node ${process.version})`);
  const { walls, comments } = await scenarios(communities);
  rss.stop();
  console.log('');
  printTable([...walls.rows, ...comments.rows]);
  console.log('');
  console.log(`config sync of the sources (not part of a cycle): walls ${Math.round(walls.setupMs)} ms, comments ${Math.round(comments.setupMs)} ms`);
  console.log('"posts/s" = posts fetched and handed to storePosts per second of cycle time (new ones and re-reads inside the overlap window).');
  console.log('"VK @N rps" = requests / N: the cycle time against real VK at the token\'s rate limit (3 user, 20 community).');
  console.log(`peak RSS: ${rss.peakMb()} MB`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
