/**
 * `npm run bench:ingest [-- --sizes 20000,100000 --open 100,10000 --db pglite,postgres --cpu-prof DIR]`
 *
 * Ingest + decide of generated posts through the real poller and pipeline, beside
 * a raw batched INSERT of the same rows in the same process; and the cost of one
 * post beside 100 vs 10,000 open incidents. Each scenario runs in its own process
 * so its peak RSS is its own. Postgres: BENCH_DATABASE_URL or TEST_DATABASE_URL
 * (e.g. `bash test/helpers/pg-cluster.sh npm run bench:ingest`); its server CPU is
 * counted when the server runs on this machine.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { argValue, preparePgliteDir, printTable, type BenchRow } from './measure.js';
import { runScenario, type PhaseResult, type Scenario } from './ingest-run.js';

const SELF = fileURLToPath(import.meta.url);
const ROOT = join(dirname(SELF), '..', '..');

/**
 * The scenarios run plain JavaScript, as `npm start` runs dist/ without tsx (whose
 * loader alone is about 35 MB of RSS): this file is bundled once per run with esbuild
 * (packages stay imports of node_modules) into dist/bench/ (removed at exit), two levels below the root
 * like src/<area>/, so the sources' paths relative to their module still resolve.
 */
async function compiled(): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = join(ROOT, 'dist', 'bench', `ingest-${process.pid}.mjs`);
  process.once('exit', () => rmSync(outfile, { force: true }));
  await build({ entryPoints: [SELF], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
  return outfile;
}
let bundle: Promise<string> | undefined;

async function runChild(s: Scenario, profDir?: string): Promise<{ db: string; phases: Record<string, PhaseResult> }> {
  const dirs = s.url ? [] : [await preparePgliteDir(), await preparePgliteDir()];
  try {
    return spawnScenario(await (bundle ??= compiled()), { ...s, ...(dirs.length ? { dirs } : {}) }, profDir);
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

function spawnScenario(script: string, s: Scenario, profDir?: string): { db: string; phases: Record<string, PhaseResult> } {
  // --expose-gc: between phases the closed database's WebAssembly memory is collected, so each phase's peak is its own.
  const args = ['--expose-gc', ...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []), script, '--scenario', JSON.stringify(s)];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 2 ** 20 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.status !== 0 || !line) throw new Error(`scenario ${JSON.stringify(s)} failed (exit ${r.status}): ${r.stdout.slice(-2000)}`);
  return JSON.parse(line.slice(7));
}

const cpuOf = (p: PhaseResult) => p.nodeCpuS + (p.pgCpuS ?? 0);
/** Where the memory was at the largest sampled RSS: JS heap, and external memory (PGlite's 128 MB of WebAssembly memory is counted there whole, resident or not). */
const memNote = (p: PhaseResult) => (p.atPeak ? `; at ${p.atPeak.rss} MB RSS: JS heap ${p.atPeak.heapTotal} MB, external ${p.atPeak.external} MB` : '');
const cpuNote = (p: PhaseResult) => (p.pgCpuS === null ? 'node' : 'node+pg');

function ingestRows(db: string, p: PhaseResult, raw: PhaseResult): BenchRow[] {
  const ratio = cpuOf(p) / cpuOf(raw);
  return [
    { bench: 'ingest', scenario: `ingest + decide (${p.incidents} incidents, ${p.merged} merged)`, db, n: p.n, wallS: p.wallS, nodeCpuS: p.nodeCpuS, pgCpuS: p.pgCpuS, measured: `${Math.round(p.n / cpuOf(p))} posts/CPU-s (${cpuNote(p)}); ${Math.round(p.n / p.wallS)} posts/s wall${memNote(p)}`, vsRaw: `${ratio.toFixed(1)}× raw CPU`, peakRssMb: p.peakRssMb, target: p.n >= 100_000 ? '≥ 2,000 posts/s; RSS < 300 MB' : '≥ 2,000 posts/s' },
    { bench: 'ingest', scenario: 'raw batched INSERT, same rows', db, n: raw.n, wallS: raw.wallS, nodeCpuS: raw.nodeCpuS, pgCpuS: raw.pgCpuS, measured: `${Math.round(raw.n / cpuOf(raw))} posts/CPU-s (${cpuNote(raw)}); ${Math.round(raw.n / raw.wallS)} posts/s wall`, vsRaw: 'baseline', peakRssMb: raw.peakRssMb, target: '—' },
  ];
}

export async function runIngestBench(opts: { sizes: number[]; open: number[]; urls: Array<string | undefined>; profDir?: string }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const url of opts.urls) {
    for (const n of opts.sizes) {
      const r = await runChild({ kind: 'ingest', n, ...(url ? { url } : {}) }, opts.profDir);
      rows.push(...ingestRows(r.db, r.phases.pipeline!, r.phases.raw!));
    }
    const flat: Array<{ open: number; p: PhaseResult; db: string }> = [];
    for (const open of opts.open) {
      const r = await runChild({ kind: 'flat', open, n: 1000, ...(url ? { url } : {}) }, opts.profDir);
      flat.push({ open, p: r.phases.pipeline!, db: r.db });
    }
    const base = flat[0] ? cpuOf(flat[0].p) / flat[0].p.n : 0;
    for (const { open, p, db } of flat) {
      const perPost = cpuOf(p) / p.n;
      rows.push({ bench: 'ingest', scenario: `one post beside ${open} open incidents`, db, n: p.n, wallS: p.wallS, nodeCpuS: p.nodeCpuS, pgCpuS: p.pgCpuS, measured: `${(perPost * 1000).toFixed(2)} ms CPU/post (${cpuNote(p)})`, vsRaw: `${(perPost / base).toFixed(2)}× the ${flat[0]!.open} case`, peakRssMb: p.peakRssMb, target: 'flat (≈1×)' });
    }
  }
  return rows;
}

export function benchUrls(spec = argValue('db')): Array<string | undefined> {
  const pg = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const wanted = (spec ?? (pg ? 'pglite,postgres' : 'pglite')).split(',');
  if (wanted.includes('postgres') && !pg) throw new Error('--db postgres needs BENCH_DATABASE_URL or TEST_DATABASE_URL (bash test/helpers/pg-cluster.sh npm run bench)');
  return [...(wanted.includes('pglite') ? [undefined] : []), ...(wanted.includes('postgres') ? [pg] : [])];
}

const list = (v: string | undefined, d: number[]) => (v ? v.split(',').map(Number) : d);

async function main(): Promise<void> {
  const scenario = argValue('scenario');
  if (scenario) {
    const result = await runScenario(JSON.parse(scenario) as Scenario);
    console.log(`RESULT ${JSON.stringify(result)}`);
    return;
  }
  const profDir = argValue('cpu-prof');
  const rows = await runIngestBench({ sizes: list(argValue('sizes'), [20_000, 100_000]), open: list(argValue('open'), [100, 10_000]), urls: benchUrls(), ...(profDir ? { profDir } : {}) });
  console.log(`bench:ingest — node ${process.version}; CPU seconds of this process and of the local Postgres server (the machine may be shared: compare CPU, not wall)`);
  printTable(rows);
}

if (process.argv[1] === SELF) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
