/**
 * Measuring helpers shared by the benchmarks: CPU seconds of this process and of
 * a local Postgres server, peak RSS, throwaway databases, and the one table format.
 * CPU seconds, not wall time, are the primary numbers: the machine may be shared.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type DbHandle } from '../../src/db/client.js';

/** VmHWM of this process (its peak RSS so far), in bytes, from /proc; null where there is no /proc. */
function highWaterMark(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Peak resident set size of a phase: the kernel's high-water mark (VmHWM), so a
 * peak between samples is not missed — PGlite answers synchronously, so a run of
 * queries is a chain of microtasks and a timer may not fire for seconds. `fromStart`
 * keeps the peak since the process started (opening the database included, as in
 * an `otklik poll` process); otherwise the mark is reset first (Linux clear_refs).
 * process.memoryUsage() is sampled on a timer and at `sample()` calls, to show
 * where the memory was at the largest RSS seen.
 */
export function rssSampler(opts: { fromStart?: boolean } = {}) {
  if (!opts.fromStart) {
    try {
      writeFileSync('/proc/self/clear_refs', '5');
    } catch {
      // not Linux: the samples below are the measure
    }
  }
  let peak = process.memoryUsage().rss;
  let atPeak = process.memoryUsage();
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peak) (peak = m.rss), (atPeak = m);
  };
  const timer = setInterval(sample, 25);
  timer.unref();
  return {
    sample,
    peakMb: () => Math.round(Math.max(peak, process.memoryUsage().rss, highWaterMark() ?? 0) / 2 ** 20),
    stop: () => clearInterval(timer),
    /** Where the memory was at the largest sampled RSS, in MB: the JS heap, and `external` (PGlite's WebAssembly memory is counted there). */
    atPeakMb: () => ({ rss: Math.round(atPeak.rss / 2 ** 20), heapTotal: Math.round(atPeak.heapTotal / 2 ** 20), heapUsed: Math.round(atPeak.heapUsed / 2 ** 20), external: Math.round(atPeak.external / 2 ** 20) }),
  };
}

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) of the Postgres server listening on `port` on this machine, or null when it is not local. */
export function pgServerCpu(port: number): number | null {
  let postmaster: number | null = null;
  const procs: Array<{ pid: number; ppid: number; cpu: number; children: number }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const p = { pid: Number(name), ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / TICKS, children: (Number(f[13]) + Number(f[14])) / TICKS };
      procs.push(p);
      if (postmaster === null && stat.includes('(postgres)')) {
        const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
        const i = cmd.indexOf('-p');
        if (i >= 0 && Number(cmd[i + 1]) === port) postmaster = p.pid;
      }
    } catch {
      // the process ended while we looked
    }
  }
  if (postmaster === null) return null;
  // Exited backends are counted in the postmaster's children time once reaped.
  return procs.filter((p) => p.pid === postmaster || p.ppid === postmaster).reduce((s, p) => s + p.cpu + (p.pid === postmaster ? p.children : 0), 0);
}

/** CPU seconds of this process (PGlite runs inside it) plus the local Postgres server's, between start and stop. */
export function cpuMeter(pgPort: number | null) {
  const n0 = process.cpuUsage();
  const p0 = pgPort ? pgServerCpu(pgPort) : null;
  return () => {
    const n = process.cpuUsage(n0);
    const p1 = pgPort ? pgServerCpu(pgPort) : null;
    return { node: (n.user + n.system) / 1e6, pg: p0 !== null && p1 !== null ? p1 - p0 : null };
  };
}

export interface BenchDb extends DbHandle {
  label: string;
  /** Port of a local Postgres server whose CPU can be read, else null. */
  pgPort: number | null;
}

/**
 * A database for one phase: PGlite in `dataDir` (a directory prepared beforehand
 * by `preparePgliteDir`, as a running installation has), or a new database on the
 * Postgres at `url` (dropped on close).
 */
export async function openBenchDb(url: string | undefined, dataDir?: string): Promise<BenchDb> {
  if (!url) return { ...(await openDb({ dataDir: dataDir ?? 'memory://' })), label: 'PGlite', pgPort: null };
  const { default: postgres } = await import('postgres');
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const name = `otklik_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.unsafe(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const handle = await openDb({ url: u.toString() });
  const port = Number(u.port || 5432);
  return {
    ...handle,
    label: 'Postgres',
    pgPort: pgServerCpu(port) === null ? null : port,
    async close() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/**
 * Creates and migrates a PGlite directory. Run in the orchestrating process, so
 * the scenario's process opens an existing database as `otklik start` does and
 * its peak RSS is not that of a first-time initdb (about 0.8 GB, once per install).
 */
export async function preparePgliteDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'otklik-bench-'));
  const h = await openDb({ dataDir: dir });
  await h.close();
  return dir;
}

/** One line of the `npm run bench` table: what was measured, and the target beside it. */
export interface BenchRow {
  bench: string;
  scenario: string;
  db: string;
  n: number | null;
  wallS: number | null;
  nodeCpuS: number | null;
  pgCpuS: number | null;
  /** The measured figure, with its unit (posts per CPU-second, requests per community, seconds). */
  measured: string;
  /** Ratio to the raw baseline of the same run, when there is one. */
  vsRaw: string;
  peakRssMb: number | null;
  target: string;
}

const fmt = (x: number | null, digits = 2) => (x === null ? '—' : x.toFixed(digits));

export function printTable(rows: BenchRow[], out: (l: string) => void = console.log): void {
  const header = ['bench', 'scenario', 'db', 'n', 'wall s', 'node CPU s', 'pg CPU s', 'measured', 'vs raw', 'peak RSS MB', 'target'];
  const body = rows.map((r) => [r.bench, r.scenario, r.db, r.n === null ? '—' : String(r.n), fmt(r.wallS), fmt(r.nodeCpuS), fmt(r.pgCpuS), r.measured, r.vsRaw, r.peakRssMb === null ? '—' : String(r.peakRssMb), r.target]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const left = new Set([0, 1, 2, 7, 8, 10]);
  const line = (cells: string[]) => cells.map((c, i) => (left.has(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  out(line(header));
  out(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) out(line(b));
}

export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
