import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { OperatorError } from '../operator-error.js';

/** Who holds a data directory: written into `otklik.lock` inside it. */
export interface LockOwner {
  pid: number;
  /** The command line that holds it, e.g. `otklik start`. */
  command: string;
  host: string;
  since: string;
}

export interface DirLock {
  /** Removes the lock if it is still ours; safe to call twice. */
  release(): void;
}

export const LOCK_FILE = 'otklik.lock';

/**
 * Takes the embedded database directory for this process. PGlite is one
 * Postgres backend in-process: two processes on one directory corrupt it, so a
 * second process is refused with one line naming the holder. A lock left by a
 * process that is gone (or whose pid now belongs to something that is not
 * otklik) is stale and taken over.
 */
export function lockDataDir(dir: string, command: string): DirLock {
  const path = join(dir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, command, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path, me)) return ownLock(path, me);
    const holder = readOwner(path);
    if (holder && !isStale(holder)) throw busy(holder, dir);
    clearStale(path, holder);
  }
  throw new OperatorError(`не удалось занять базу ${dir}: файл ${path} появляется снова; проверьте, не запущен ли otklik`);
}

/**
 * Refuses early (before the heavy modules load) when a live process holds `dir`;
 * takes nothing. The lock itself is still taken when the database opens.
 */
export function probeDataDir(dir: string): void {
  const holder = readOwner(join(dir, LOCK_FILE));
  if (holder && !isStale(holder)) throw busy(holder, dir);
}

function tryCreate(path: string, me: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(me));
  } finally {
    closeSync(fd);
  }
  return true;
}

function readOwner(path: string): LockOwner | null {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof data.pid === 'number' ? { pid: data.pid, command: String(data.command ?? 'otklik'), host: String(data.host ?? ''), since: String(data.since ?? '') } : null;
  } catch {
    return null; // vanished, or half-written by a process that died: stale
  }
}

/** Alive and still an otklik (node) process on this host, or on another host (cannot tell: assume alive). */
function isStale(owner: LockOwner): boolean {
  if (owner.host && owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const name = processName(owner.pid);
  return name !== null && !/node|otklik|tsx/.test(name);
}

function processName(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return null; // no /proc (macOS): the pid is alive, trust it
  }
}

/** Moves the stale file aside atomically, so two processes clearing it at once cannot remove a fresh lock. */
function clearStale(path: string, seen: LockOwner | null): void {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = readOwner(aside);
  if (moved && seen && (moved.pid !== seen.pid || moved.since !== seen.since) && !isStale(moved)) {
    renameSync(aside, path); // someone else's fresh lock: put it back
    throw busy(moved, dirOf(path));
  }
  unlinkSync(aside);
}

const dirOf = (lockPath: string) => lockPath.slice(0, -LOCK_FILE.length - 1);

function busy(owner: LockOwner, dir: string): OperatorError {
  const where = owner.host && owner.host !== hostname() ? ` на ${owner.host}` : '';
  return new OperatorError(`база занята процессом ${owner.pid}${where} (${owner.command}): остановите его или используйте DATABASE_URL (папка ${dir})`);
}

function ownLock(path: string, me: LockOwner): DirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const now = readOwner(path);
    if (now && now.pid === me.pid && now.since === me.since) unlinkSync(path);
  };
  process.on('exit', release);
  return { release };
}

/** How this process is named in the lock: `otklik start` for the CLI, the script name otherwise. */
export function lockOwnerName(argv: readonly string[] = process.argv): string {
  const script = basename(argv[1] ?? 'node');
  if (/otklik|main\.[tj]s$/.test(script)) return ['otklik', ...argv.slice(2).filter((a) => !a.startsWith('-'))].slice(0, 2).join(' ');
  return script;
}
