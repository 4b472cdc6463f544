/**
 * `npm run bench:report [-- --incidents N]`: the reports on a real Postgres filled with
 * N incidents (default 1,000,000) over three years, generated with set-based SQL.
 * Needs TEST_DATABASE_URL (a throwaway server: `bash test/helpers/pg-cluster.sh npm run
 * bench:report`); a fresh database is created on it and dropped afterwards.
 * Measures, median of 5 runs each: the weekly report (all its queries and the HTML),
 * the year report (the last full calendar year) and its XLSX. Prints wall time, CPU
 * seconds of this process and of the Postgres server (its own processes only), and the machine.
 *
 * `--keep-db NAME` keeps the filled database NAME on that server instead of dropping it,
 * and reuses it on the next run when it already holds N incidents (the fill takes minutes):
 * start a server once (`source test/helpers/pg-cluster.sh; pg_cluster_start`), run the bench
 * as often as needed with `--keep-db bench`, then `pg_cluster_stop`.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync, readdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { buildPeriodReport } from '../../src/reports/period.js';
import { reportTables } from '../../src/reports/tables.js';
import { reportXlsx } from '../../src/reports/xlsx.js';
import { buildWeeklyReport } from '../../src/reports/weekly.js';
import { renderWeeklyHtml } from '../../src/reports/weekly-html.js';
import { createTestApp } from '../helpers/app.js';
import { openTestDb } from '../helpers/db.js';
import { openDb, type DbHandle } from '../../src/db/client.js';
import { fillIncidents } from './report-fill.js';

const RUNS = 5;

function argNumber(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  return Number.isFinite(v) && v > 0 ? Math.trunc(v) : dflt;
}

function argString(name: string): string | null {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? null) : null;
}

/** A fresh throwaway database, or with `--keep-db NAME` that named one, kept after the run. */
async function openBenchDb(): Promise<{ handle: DbHandle; fresh: boolean }> {
  const keep = argString('keep-db');
  if (!keep) return { handle: await openTestDb(), fresh: true };
  if (!/^[a-z_][a-z0-9_]*$/.test(keep)) throw new Error(`--keep-db: bad database name "${keep}"`);
  const { default: postgres } = await import('postgres');
  const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  const [found] = await admin`select 1 from pg_database where datname = ${keep}`;
  if (!found) await admin.unsafe(`create database ${keep}`);
  await admin.end({ timeout: 5 });
  const u = new URL(process.env.TEST_DATABASE_URL!);
  u.pathname = `/${keep}`;
  return { handle: await openDb({ url: u.toString() }), fresh: !found };
}

function statOf(pid: string): { ppid: string; cpuS: number; childrenCpuS: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime + stime, and cutime + cstime (children that ended); USER_HZ = 100 on Linux.
    return { ppid: f[1]!, cpuS: (Number(f[11]) + Number(f[12])) / 100, childrenCpuS: (Number(f[13]) + Number(f[14])) / 100 };
  } catch {
    return null; // the process ended
  }
}

/**
 * CPU seconds of this bench's Postgres server: its postmaster, every live child of it
 * (backends, background processes) and the children that ended (parallel workers live
 * for one query) — not other servers on the machine.
 */
function serverCpuSeconds(postmaster: string): number {
  const pm = statOf(postmaster);
  let total = (pm?.cpuS ?? 0) + (pm?.childrenCpuS ?? 0);
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    const s = statOf(pid);
    if (s && s.ppid === postmaster) total += s.cpuS;
  }
  return total;
}

interface Sample {
  wallMs: number;
  cpuS: number;
  serverCpuS: number;
  rssMb: number;
}

async function measure(fn: () => Promise<unknown>, postmaster: string): Promise<Sample> {
  const c0 = process.cpuUsage();
  const s0 = serverCpuSeconds(postmaster);
  const t0 = performance.now();
  await fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wallMs, cpuS: (c.user + c.system) / 1e6, serverCpuS: serverCpuSeconds(postmaster) - s0, rssMb: process.memoryUsage().rss / 2 ** 20 };
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL) {
    console.error('bench:report needs a Postgres: bash test/helpers/pg-cluster.sh npm run bench:report');
    process.exit(2);
  }
  const n = argNumber('incidents', 1_000_000);
  const { handle: h, fresh } = await openBenchDb();
  try {
    const app = await createTestApp(h);
    const now = new Date('2026-11-23T09:00:00+03:00');
    const [had] = (await h.db.execute(sql`select count(*)::int as n from incidents`)) as unknown as Array<{ n: number }>;
    if (!fresh && had!.n !== n) throw new Error(`--keep-db: the database holds ${had!.n} incidents, not ${n}: drop it or name another`);
    const fill = fresh ? await fillIncidents(h.db, n, new Date('2023-11-23T00:00:00+03:00'), now, app.calendar) : null;
    // The server runs on this machine (pg-cluster.sh): its postmaster is our backend's parent.
    const [backend] = (await h.db.execute(sql`select pg_backend_pid()::text as pid`)) as unknown as Array<{ pid: string }>;
    const postmaster = statOf(backend!.pid)?.ppid ?? '0';
    const tz = app.installation.timezone;
    const weekStart = DateTime.fromJSDate(now, { zone: tz }).startOf('week').minus({ weeks: 1 }).toJSDate();
    const year = { from: DateTime.fromObject({ year: 2025 }, { zone: tz }).toJSDate(), to: DateTime.fromObject({ year: 2026 }, { zone: tz }).toJSDate() };
    const [counts] = (await h.db.execute(sql`select count(*)::int as n, count(*) filter (where detected_at >= ${year.from.toISOString()}::timestamptz and detected_at < ${year.to.toISOString()}::timestamptz)::int as y,
      count(*) filter (where detected_at >= ${weekStart.toISOString()}::timestamptz and detected_at < ${weekStart.toISOString()}::timestamptz + interval '7 days')::int as w from incidents`)) as unknown as Array<{ n: number; y: number; w: number }>;
    const cases: Array<[string, string, () => Promise<unknown>]> = [
      ['weekly report (queries + HTML)', '300 ms', async () => renderWeeklyHtml(await buildWeeklyReport({ db: h.db, calendar: app.calendar, minIncidents: 3 }, weekStart, now), tz, 'Курск')],
      ['year report (2025)', '2 s', () => buildPeriodReport(h.db, year.from, year.to, now, { calendar: app.calendar })],
      ['year report XLSX', '—', async () => reportXlsx(reportTables(await buildPeriodReport(h.db, year.from, year.to, now, { calendar: app.calendar }), tz), 'bench')],
    ];
    const rows = [];
    for (const [name, target, fn] of cases) {
      await fn(); // warm-up: plans, caches
      const s: Sample[] = [];
      for (let i = 0; i < RUNS; i++) s.push(await measure(fn, postmaster));
      rows.push({ case: name, 'median wall ms': Math.round(med(s.map((x) => x.wallMs))), 'node CPU s': med(s.map((x) => x.cpuS)).toFixed(3), 'postgres CPU s': med(s.map((x) => x.serverCpuS)).toFixed(3), 'node RSS MB': Math.round(Math.max(...s.map((x) => x.rssMb))), target });
    }
    console.log(`\nbench:report — ${counts!.n.toLocaleString('en')} incidents (${counts!.y.toLocaleString('en')} in 2025, ${counts!.w.toLocaleString('en')} in the week), ${fill ? `filled in ${(fill.fillMs / 1000).toFixed(1)} s, of which caching the working minutes of ${fill.cached.toLocaleString('en')} answered incidents (once, fillWorkMinutes) ${(fill.cacheMs / 1000).toFixed(1)} s` : 'reused (--keep-db)'}; median of ${RUNS} runs after a warm-up`);
    console.table(rows);
    const [ver] = (await h.db.execute(sql`select version() as v`)) as unknown as Array<{ v: string }>;
    console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GB RAM, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (shared machine: other work was running), Node ${process.version}, ${ver?.v.split(',')[0]}`);
  } finally {
    await h.close();
  }
}

await main();
