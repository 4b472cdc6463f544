import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { COMMANDS } from '../src/cli/registry.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The database the help must not touch: a TCP listener standing in for Postgres
 * (DATABASE_URL points at it; any connection is counted) and a PGlite directory
 * that must not come into existence.
 */
let server: Server;
let connections = 0;
let env: NodeJS.ProcessEnv;
let dataDir: string;

beforeAll(async () => {
  server = createServer((socket) => (connections++, socket.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  dataDir = join(mkdtempSync(join(tmpdir(), 'otklik-help-')), 'data');
  env = { LOG_LEVEL: 'silent', DATABASE_URL: `postgres://otklik@127.0.0.1:${port}/otklik`, OTKLIK_DATA_DIR: dataDir };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const fail = () => Promise.reject(new Error('--help must not load the adapters'));
  const code = await runCli(argv, { loadAdapters: fail, out: (l) => out.push(l), err: (l) => err.push(l), env, envFile: null });
  return { code, out: out.join('\n'), err };
}

describe('otklik --help', () => {
  it.each(COMMANDS.map((c) => [c.name]))('otklik %s --help prints usage, options and an example, and touches no database', async (name) => {
    const r = await cli([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect(r.out).toMatch(new RegExp(`^Использование: otklik ${name}`));
    expect(r.out).toContain('-h, --help');
    expect(r.out).toMatch(new RegExp(`Примеры:\\n  otklik ${name}`));
    expect(connections).toBe(0);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('every command has a Russian summary and an example', () => {
    for (const c of COMMANDS) {
      expect(c.summary, c.name).toMatch(/[а-яё]/i);
      expect(c.examples.length, c.name).toBeGreaterThan(0);
      for (const o of c.options ?? []) expect(o.description, `${c.name} ${o.flags}`).toMatch(/[а-яё]/i);
    }
  });

  it('otklik --help lists every command in Russian', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Использование: otklik <команда> \[параметры\]/);
    for (const c of COMMANDS) expect(r.out).toContain(`  ${c.name}`);
    expect(connections).toBe(0);
  });

  it.each([['--help'], ['incidents', '--help'], ['start', '--help']])(
    'a real process `otklik %s …` imports no database driver, bot library or classifier',
    (...argv) => {
      const trace = join(mkdtempSync(join(tmpdir(), 'otklik-trace-')), 'imports.txt');
      const args = argv.filter((a): a is string => typeof a === 'string');
      const run = spawnSync(process.execPath, ['--import', './test/helpers/import-trace.mjs', 'bin/otklik.js', ...args], {
        cwd: ROOT,
        env: { ...process.env, ...env, IMPORT_TRACE_FILE: trace },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^Использование: otklik/);
      const loaded = readFileSync(trace, 'utf8');
      expect(loaded).toContain('commander');
      for (const heavy of ['drizzle-orm', '@electric-sql/pglite', '/postgres/', 'telegraf', 'vk-io', '/src/classify/', '/src/app/', '/adapters/']) {
        expect(loaded, heavy).not.toContain(heavy);
      }
      expect(connections).toBe(0);
      expect(existsSync(dataDir)).toBe(false);
    },
  );
});
