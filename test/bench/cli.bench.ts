/**
 * `npm run bench:cli`: start-up of the command line as a user runs it
 * (`node bin/otklik.js`): `--help`, and `incidents` on an existing embedded
 * database holding 1,000 incidents. Each command runs 3 times; the table shows
 * the median wall time, its CPU seconds (user + system of the child) and max RSS.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb } from '../../src/db/client.js';
import { seedOpenIncidents } from './ingest-run.js';
import { printTable, type BenchRow } from './measure.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/otklik.js');

interface Run {
  wallS: number;
  cpuS: number;
  rssMb: number;
}

function timeOnce(args: string[], env: NodeJS.ProcessEnv): Run {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', process.execPath, BIN, ...args], { cwd: ROOT, env, encoding: 'utf8' });
  const line = r.stderr.split('\n').find((l) => l.startsWith('TIME '));
  if (r.status !== 0 || !line) throw new Error(`otklik ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.slice(-1000)}`);
  const [wall, user, sys, rssKb] = line.slice(5).split(' ').map(Number);
  return { wallS: wall!, cpuS: user! + sys!, rssMb: Math.round(rssKb! / 1024) };
}

function median(runs: Run[]): Run {
  const sorted = [...runs].sort((a, b) => a.wallS - b.wallS);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function runCliBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'otklik-bench-cli-'));
  try {
    const db = await openDb({ dataDir: dir });
    await seedOpenIncidents(db, 1000, new Date());
    await db.close();
    const env = { ...process.env, OTKLIK_DATA_DIR: dir, LOG_LEVEL: 'silent', DATABASE_URL: '' };
    const cases = [
      { scenario: 'otklik --help', args: ['--help'], target: '< 0.5 s' },
      { scenario: 'otklik incidents (existing PGlite db, 1,000 incidents)', args: ['incidents'], target: '< 2 s' },
    ];
    return cases.map((c) => {
      const m = median([0, 1, 2].map(() => timeOnce(c.args, env)));
      return { bench: 'cli', scenario: c.scenario, db: c.args[0] === '--help' ? '—' : 'PGlite', n: null, wallS: m.wallS, nodeCpuS: m.cpuS, pgCpuS: null, measured: `${m.wallS.toFixed(2)} s wall, ${m.cpuS.toFixed(2)} s CPU`, vsRaw: '—', peakRssMb: m.rssMb, target: c.target };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runCliBench().then(
    (rows) => {
      console.log(`bench:cli — node ${process.version}, median of 3 runs (the machine may be shared)`);
      printTable(rows);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
