import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDataDir, lockOwnerName } from '../../src/db/dir-lock.js';
import { OperatorError } from '../../src/operator-error.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'otklik-lock-'));
const writeLock = (dir: string, owner: object) => writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ host: hostname(), since: 'x', ...owner }));

/** A pid that certainly belongs to no process: one that ran and exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('data directory lock', () => {
  it('is written owner-only with this pid and command, refuses a second taker, and is removed on release', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir, 'otklik start');
    const file = join(dir, LOCK_FILE);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, command: 'otklik start' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(() => lockDataDir(dir, 'otklik incidents')).toThrow(
      new OperatorError(`база занята процессом ${process.pid} (otklik start): остановите его или используйте DATABASE_URL (папка ${dir})`),
    );
    lock.release();
    expect(existsSync(file)).toBe(false);
    lockDataDir(dir, 'otklik incidents').release();
  });

  it('refuses while another live otklik (node) process holds it', async () => {
    const dir = freshDir();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeLock(dir, { pid: holder.pid, command: 'otklik start' });
      expect(() => lockDataDir(dir, 'otklik report')).toThrow(`база занята процессом ${holder.pid} (otklik start): остановите его или используйте DATABASE_URL`);
    } finally {
      holder.kill();
    }
  });

  it('takes over a lock whose process is gone', () => {
    const dir = freshDir();
    writeLock(dir, { pid: deadPid(), command: 'otklik start' });
    const lock = lockDataDir(dir, 'otklik poll');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock whose pid now belongs to a process that is not otklik', () => {
    const dir = freshDir();
    const other = spawn('sleep', ['60']);
    try {
      writeLock(dir, { pid: other.pid, command: 'otklik start' });
      lockDataDir(dir, 'otklik poll').release();
    } finally {
      other.kill();
    }
  });

  it('takes over a half-written lock file', () => {
    const dir = freshDir();
    writeFileSync(join(dir, LOCK_FILE), '{"pi');
    lockDataDir(dir, 'otklik poll').release();
  });

  it('names the holder as the operator typed it', () => {
    expect(lockOwnerName(['node', '/app/bin/otklik.js', 'start'])).toBe('otklik start');
    expect(lockOwnerName(['node', '/app/src/main.ts', 'poll', '--once'])).toBe('otklik poll');
    expect(lockOwnerName(['node', '/x/vitest.mjs'])).toBe('vitest.mjs');
  });
});
