import { appendFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { EXAMPLE_CONFIG } from '../helpers/app.js';
import { finished, otklik, spawnOtklik, waitForLog } from '../helpers/process.js';

/**
 * Real processes on one embedded database directory: while one holds it, every
 * other command is refused with one line naming the holder, and the database
 * stays intact. (PGlite is one Postgres backend in-process: two processes on
 * one directory corrupted it before the lock.)
 */
const post = (id: number, text: string) => JSON.stringify({ channel: 'vk', external_id: `-5_${id}`, text, published_at: `2026-11-17T1${id}:00:00+03:00` });

function world() {
  const root = mkdtempSync(join(tmpdir(), 'otklik-2proc-'));
  const feed = join(root, 'feed.jsonl');
  writeFileSync(feed, `${post(1, 'Нет отопления в доме на Ленина 5, батареи холодные')}\n${post(2, 'Спасибо за новую остановку!')}\n`);
  const cfg = parse(readFileSync(EXAMPLE_CONFIG, 'utf8'));
  cfg.sources = [{ channel: 'file', kind: 'jsonl', ref: feed, name: 'Тест' }];
  const config = join(root, 'config.yaml');
  writeFileSync(config, stringify(cfg));
  const labelled = join(root, 'labels.csv');
  writeFileSync(labelled, 'text,topic\nНет отопления,Отопление\nЯма на дороге,Дороги\n');
  return { root, feed, labelled, env: { OTKLIK_CONFIG: config, OTKLIK_DATA_DIR: join(root, 'demo') } };
}

const incidentsOf = async (env: NodeJS.ProcessEnv) => {
  const r = await otklik(['incidents', '--json'], env);
  expect(r.errLines).toEqual([]);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { number: number; status: string });
};

describe('one embedded database, one process', () => {
  it('while `start` holds the directory, every other command is refused with one line, and the database stays intact', async () => {
    const w = world();
    expect((await otklik(['poll', '--once'], w.env)).code).toBe(0);
    expect(statSync(w.env.OTKLIK_DATA_DIR).mode & 0o777).toBe(0o700);

    const start = spawnOtklik(['start'], { ...w.env, LOG_LEVEL: 'info' });
    const done = finished(start);
    await waitForLog(start, 'otklik started');
    const pid = start.pid!;
    const busy = `база занята процессом ${pid} (otklik start): остановите его или используйте DATABASE_URL`;
    const seconds: string[][] = [
      ['incidents'],
      ['sources', '--json'],
      ['report', '--from', '2026-11-16', '--to', '2026-11-22'],
      ['poll', '--once'],
      ['migrate'],
      ['train', '--csv', w.labelled],
      ['eval', '--csv', w.labelled],
      ['classify', 'Во дворе не вывозят мусор'],
      ['start'],
    ];
    const results = await Promise.all(seconds.map((argv) => otklik(argv, w.env)));
    // `demo` uses <OTKLIK_DATA_DIR>/demo: pointed at the held directory it must refuse, not wipe it.
    results.push(await otklik(['demo'], { ...w.env, OTKLIK_DATA_DIR: w.root }));
    seconds.push(['demo']);
    results.forEach((r, i) => {
      const name = seconds[i]![0];
      expect({ name, code: r.code, err: r.errLines }).toEqual({ name, code: 1, err: [`otklik ${name}: ${busy} (папка ${w.env.OTKLIK_DATA_DIR})`] });
    });

    start.kill('SIGTERM');
    expect((await done).code).toBe(0);
    expect(readdirSync(w.env.OTKLIK_DATA_DIR)).not.toContain('otklik.lock');
    const shared = readdirSync(w.env.OTKLIK_DATA_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => (statSync(join(w.env.OTKLIK_DATA_DIR, f)).mode & 0o077) !== 0);
    expect(shared).toEqual([]); // owner-only at rest: PGlite writes 0666, otklik takes the bits away
    const after = await incidentsOf(w.env);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ number: 1, status: 'new' });
  }, 300_000);

  it('two `poll --once` started together: one runs, the other is refused or runs after it; nothing is lost or doubled', async () => {
    const w = world();
    appendFileSync(w.feed, `${post(3, 'Яма на дороге на улице Дзержинского, колесо пробил')}\n`);
    const [a, b] = await Promise.all([otklik(['poll', '--once'], w.env), otklik(['poll', '--once'], w.env)]);
    const outcomes = [a!, b!].map((r) => (r.code === 0 ? 'ran' : r.errLines.join('|')));
    expect(outcomes).toContain('ran');
    for (const o of outcomes) expect(o).toMatch(/^ran$|^otklik poll: база занята процессом \d+ \(otklik poll\)/);
    const list = await incidentsOf(w.env);
    expect(list.map((i) => i.number)).toEqual([1, 2]);
  }, 300_000);
});
