import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { EXAMPLE_CONFIG } from './app.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A real `otklik` process (the CLI through tsx, as `npm run otklik` runs it) with its output collected. */
export interface OtklikProcess {
  child: ChildProcess;
  /** Parsed JSON log lines (stderr) so far. */
  logs: Array<Record<string, unknown>>;
  stdout: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first log line the predicate accepts (already seen or still to come). */
  waitForLog(pred: (l: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  kill(signal?: NodeJS.Signals): void;
}

/** Spawns `otklik <args>` with only the given environment (plus PATH/HOME), cwd = the repo. */
export function spawnOtklik(args: string[], env: Record<string, string>): OtklikProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<() => void>();
  const lines = (stream: NodeJS.ReadableStream, onLine: (l: string) => void) => {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        onLine(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    });
  };
  lines(child.stdout!, (l) => stdout.push(l));
  // OTKLIK_TEST_LOG_DIR: every spawned process's stderr is also written there (for a failing run's post-mortem).
  const logFile = process.env.OTKLIK_TEST_LOG_DIR ? `${process.env.OTKLIK_TEST_LOG_DIR}/${Date.now()}-${args[0] ?? 'otklik'}-${process.pid}.log` : null;
  lines(child.stderr!, (l) => {
    stderr.push(l);
    if (logFile) appendFileSync(logFile, `${l}\n`);
    try {
      logs.push(JSON.parse(l) as Record<string, unknown>);
    } catch {
      // not a log line (a one-line CLI error)
    }
    for (const w of waiters) w();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child, logs, stdout, stderr, exited,
    kill: (signal = 'SIGTERM') => void child.kill(signal),
    waitForLog(pred, timeoutMs = 150_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = logs.find(pred);
          if (hit) return done(() => resolve(hit));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`log line not seen in ${timeoutMs} ms; stderr:\n${stderr.slice(-20).join('\n')}`))), timeoutMs);
        const onExit = () => setTimeout(() => done(() => reject(new Error(`process exited; stderr:\n${stderr.slice(-20).join('\n')}`))), 50);
        const done = (f: () => void) => (clearTimeout(timer), waiters.delete(check), child.off('exit', onExit), f());
        waiters.add(check);
        child.once('exit', onExit);
        check();
      });
    },
  };
}

/** A free loopback port (bound and released). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** The example installation with the given sources and schedule, written to a temp file. */
export function writeConfig(over: { sources: unknown[]; schedule?: Record<string, string>; chats?: Record<string, string> }): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'otklik-proc-'));
  const config = parse(readFileSync(EXAMPLE_CONFIG, 'utf8')) as Record<string, unknown>;
  config.sources = over.sources;
  // Cron with seconds; jobs that are not under test run far in the future.
  config.schedule = { poll: '* * * * * *', deadlines: '0 0 1 1 *', weekly_report: '0 0 1 1 *', retrain: '0 0 1 1 *', ...over.schedule };
  if (over.chats) config.chats = over.chats;
  const path = join(dir, 'config.yaml');
  writeFileSync(path, stringify(config));
  return { dir, path };
}

/** Waits until `probe` returns a value (not undefined), polling every 200 ms. */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Replaces the sources of a config written by writeConfig. */
export function writeConfigSources(path: string, sources: unknown[]): void {
  const config = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  config.sources = sources;
  writeFileSync(path, stringify(config));
}
