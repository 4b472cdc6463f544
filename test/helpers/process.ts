import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stderr lines, empty ones dropped. */
  errLines: string[];
  ms: number;
}

/** Runs `otklik <argv>` as a real process (bin/otklik.js) with `env` over a clean base; resolves when it exits. */
export function otklik(argv: string[], env: NodeJS.ProcessEnv, opts: { input?: string; timeoutMs?: number; cwd?: string } = {}): Promise<Finished> {
  const started = Date.now();
  const child = spawnOtklik(argv, env, opts.cwd);
  if (opts.input !== undefined) child.stdin!.end(opts.input);
  else child.stdin!.end();
  return finished(child, started, opts.timeoutMs ?? 90_000);
}

export function spawnOtklik(argv: string[], env: NodeJS.ProcessEnv, cwd = ROOT): ChildProcess {
  // OTKLIK_FROM_SOURCE passes through: a spawned otklik runs the sources under test, never a stale build.
  const base = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'silent', ...(process.env.OTKLIK_FROM_SOURCE ? { OTKLIK_FROM_SOURCE: process.env.OTKLIK_FROM_SOURCE } : {}) };
  return spawn(process.execPath, [`${ROOT}/bin/otklik.js`, ...argv], { cwd, env: { ...base, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function finished(child: ChildProcess, started = Date.now(), timeoutMs = 90_000): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`otklik did not exit in ${timeoutMs} ms: ${stderr}`))), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, errLines: stderr.split('\n').filter(Boolean), ms: Date.now() - started });
    });
  });
}

/** Resolves when the child's stderr (pino JSON lines) shows a line with this `msg`. */
export function waitForLog(child: ChildProcess, msg: string, timeoutMs = 90_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`no "${msg}" log line in ${timeoutMs} ms: ${buffer}`)), timeoutMs);
    child.stderr!.on('data', (d) => {
      buffer += d;
      for (const line of buffer.split('\n')) {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          if (entry.msg === msg) return clearTimeout(timer), resolve(entry);
        } catch {
          // not JSON (a partial line): wait for more
        }
      }
    });
    child.on('close', () => reject(new Error(`exited before "${msg}": ${buffer}`)));
  });
}
