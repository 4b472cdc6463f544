import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { EXAMPLE_CONFIG } from './helpers/app.js';
import { otklik, type Finished } from './helpers/process.js';

/**
 * Twenty wrong invocations, each run as a real `otklik` process: the answer is one
 * line on stderr (no stack trace, no log noise), the exit code says what kind of
 * failure it was (2 usage, 1 the command failed, 78 config), and a database that
 * cannot be reached fails in seconds instead of hanging.
 */
const dir = mkdtempSync(join(tmpdir(), 'otklik-bad-'));
const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
const MEM = { OTKLIK_DATA_DIR: 'memory://' };

/** A TCP server that accepts connections and never answers: a hung database. */
let hung: Server;
const sockets = new Set<Socket>();
let hungUrl = '';
/** A port nothing listens on. */
let closedUrl = '';

beforeAll(async () => {
  hung = createServer((s) => sockets.add(s));
  await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
  hungUrl = `postgres://otklik:secret@127.0.0.1:${(hung.address() as { port: number }).port}/otklik`;
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedUrl = `postgres://otklik:secret@127.0.0.1:${(probe.address() as { port: number }).port}/otklik`;
  await new Promise<void>((r) => probe.close(() => r()));
});
afterAll(() => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), hung.close(() => r()))));

function badConfig(mutate: (c: Record<string, any>) => void): string {
  const cfg = parse(readFileSync(EXAMPLE_CONFIG, 'utf8'));
  mutate(cfg);
  return file(`cfg-${Math.random().toString(36).slice(2)}.yaml`, stringify(cfg));
}

type Row = [name: string, argv: string[], env: () => NodeJS.ProcessEnv, code: number, line: RegExp, opts?: { cwd?: string }];
const rows: Row[] = [
  ['an unknown command', ['frobnicate'], () => ({}), 2, /^otklik: неизвестная команда «frobnicate»/],
  ['an unknown option', ['incidents', '--colour'], () => ({}), 2, /^otklik incidents: неизвестный параметр --colour$/],
  ['an unknown top-level option', ['--versio'], () => ({}), 2, /^otklik: неизвестный параметр --versio/],
  ['an unknown status', ['incidents', '--status', 'bogus'], () => ({}), 2, /^otklik incidents: неизвестный статус «bogus»; допустимые: new \(«Новый»\)/],
  ['a bad date', ['report', '--from', '2026-13-01'], () => ({}), 2, /^otklik report: «2026-13-01» — не дата; нужен вид ГГГГ-ММ-ДД/],
  ['a bad report format', ['report', '--format', 'xml'], () => ({}), 2, /^otklik report: «xml» не подходит; допустимо: text, json/],
  ['an option without its value', ['incidents', '--status'], () => ({}), 2, /^otklik incidents: у параметра --status нет значения$/],
  ['a missing argument', ['invite'], () => ({}), 2, /^otklik invite: не хватает аргумента роль$/],
  ['an extra argument', ['sources', 'extra'], () => ({}), 2, /^otklik sources: лишние аргументы$/],
  ['poll without --once', ['poll'], () => ({}), 2, /^otklik poll: нужен параметр --once/],
  ['init --yes without a territory', ['init', '--yes'], () => ({}), 2, /^otklik init: с --yes нужен параметр --territory$/],
  ['a missing file', ['train', '--csv', join(dir, 'nope.csv')], () => MEM, 1, /^otklik train: файл не найден: .*nope\.csv$/],
  ['a wrong column name', ['train', '--csv', file('cols.csv', 'текст,тема\nЯма,Дороги\n')], () => MEM, 1, /^otklik train: .*cols\.csv: no column "text" \(columns: текст, тема\); use --text-col$/],
  ['a missing installation config', ['sources'], () => ({ OTKLIK_CONFIG: join(dir, 'none.yaml') }), 78, /^otklik: .*none\.yaml: cannot read the installation config \(OTKLIK_CONFIG\)$/],
  ['an invalid cron line', ['sources'], () => ({ OTKLIK_CONFIG: badConfig((c) => (c.schedule.poll = '61 * * * *')) }), 78, /^otklik: .*: schedule\.poll: invalid cron line "61 \* \* \* \*"/],
  ['a working day from 25:00', ['migrate'], () => ({ OTKLIK_CONFIG: badConfig((c) => (c.sla.work_start = '25:00')) }), 78, /^otklik: .*: sla\.work_start: a time of day HH:MM/],
  ['a bad environment value', ['sources'], () => ({ OPENAI_CONCURRENCY: 'many' }), 78, /^otklik: environment: OPENAI_CONCURRENCY: /],
  ['a bad value in .env', ['sources'], () => ({}), 78, /^otklik: .env: OPENAI_TIMEOUT_MS: /, { cwd: mkdtempSync(join(tmpdir(), 'otklik-dotenv-')) }],
  ['an unwritable data directory', ['sources'], () => ({ OTKLIK_DATA_DIR: join(file('plain-file', 'x'), 'data') }), 1, /^otklik sources: папка встроенной базы недоступна для записи: .*plain-file\/data \(ENOTDIR\)/],
  ['a refused DATABASE_URL', ['incidents'], () => ({ DATABASE_URL: closedUrl }), 1, /^otklik incidents: база данных недоступна \(DATABASE_URL, 127\.0\.0\.1:\d+\/otklik\): .*ECONNREFUSED/],
  ['a DATABASE_URL that never answers', ['report'], () => ({ DATABASE_URL: hungUrl }), 1, /^otklik report: база данных недоступна \(DATABASE_URL, 127\.0\.0\.1:\d+\/otklik\): нет ответа за 5 с$/],
];

describe('bad invocations', () => {
  let results: Map<string, Finished>;

  beforeAll(async () => {
    const envDir = rows.find((r) => r[0] === 'a bad value in .env')![5]!.cwd!;
    writeFileSync(join(envDir, '.env'), 'OPENAI_TIMEOUT_MS=soon\n');
    const limit = pLimit(2);
    const runs = rows.map(([name, argv, env, , , opts]) => limit(async () => [name, await otklik(argv, { ...env() }, opts ?? {})] as const));
    results = new Map(await Promise.all(runs));
  }, 240_000);

  it.each(rows)('%s: one line, no stack, the right exit code', (name, _argv, _env, code, line) => {
    const r = results.get(name)!;
    expect(r.stdout).toBe('');
    expect(r.errLines, r.stderr).toHaveLength(1);
    expect(r.errLines[0], r.errLines[0]).toMatch(line);
    expect(r.errLines[0]).toMatch(line);
    expect(r.stderr).not.toMatch(/\n\s+at |Error:|secret/);
    expect(r.code).toBe(code);
  });

  it('an unreachable database fails within seconds, not after a hang', () => {
    // The connect limit is 5 s; the rest is process start on a shared, loaded machine.
    expect(results.get('a DATABASE_URL that never answers')!.ms).toBeLessThan(45_000);
    expect(results.get('a refused DATABASE_URL')!.ms).toBeLessThan(45_000);
  });

  it('has twenty wrong invocations or more', () => expect(rows.length).toBeGreaterThanOrEqual(20));
});
