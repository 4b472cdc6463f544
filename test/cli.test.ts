import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createFileAdapter } from '../adapters/file/index.js';
import { runCli } from '../src/cli.js';
import { EXAMPLE_CONFIG } from './helpers/app.js';

function cli(argv: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const run = runCli(argv, {
    createAdapters: () => new Map([['file', createFileAdapter()]]),
    fileAdapter: createFileAdapter(),
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { LOG_LEVEL: 'silent', ...env },
    envFile: null,
  });
  return run.then((code) => ({ code, out, err }));
}

function configWith(mutate: (cfg: Record<string, any>) => void): string {
  const cfg = parse(readFileSync(EXAMPLE_CONFIG, 'utf8'));
  mutate(cfg);
  const file = join(mkdtempSync(join(tmpdir(), 'otklik-cfg-')), 'bad.yaml');
  writeFileSync(file, stringify(cfg));
  return file;
}

describe('otklik CLI', () => {
  it.each([
    ['a misspelt key', (c: any) => (c.sla.default_hourz = 8), /sla: Unrecognized key: "default_hourz"/],
    ['a wrong type', (c: any) => (c.departments = 5), /departments: .*expected array/i],
    ['an unknown department', (c: any) => (c.topics[0].department = 'nope'), /topics\.0\.department: unknown department "nope"/],
    ['a bad time zone', (c: any) => (c.timezone = 'Mars/Olympus'), /timezone: unknown time zone/],
  ])('a config with %s fails at start with one line naming the key', async (_n, mutate, message) => {
    const r = await cli(['sources'], { OTKLIK_CONFIG: configWith(mutate), OTKLIK_DATA_DIR: 'memory://' });
    expect(r.code).toBe(78);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).not.toContain('\n');
    expect(r.err[0]).toMatch(message);
  });

  it('a bad environment variable is named', async () => {
    const r = await cli(['sources'], { VK_API_BASE_URL: 'not a url', OTKLIK_DATA_DIR: 'memory://' });
    expect(r.code).toBe(78);
    expect(r.err[0]).toMatch(/environment: VK_API_BASE_URL/);
  });

  it('unknown commands, options and values are refused with one line and exit 2', async () => {
    const unknown = await cli(['frobnicate'], {});
    expect(unknown).toMatchObject({ code: 2, err: ['otklik: неизвестная команда «frobnicate»; список команд: otklik --help'] });
    const typo = await cli(['incidnets'], {});
    expect(typo.err[0]).toMatch(/может быть, incidents\?/);
    const option = await cli(['sources', '--jsn'], {});
    expect(option).toMatchObject({ code: 2, err: ['otklik sources: неизвестный параметр --jsn (может быть, --json?)'] });
    const date = await cli(['report', '--from', 'yesterday'], { OTKLIK_DATA_DIR: 'memory://' });
    expect(date).toMatchObject({ code: 2, out: [] });
    expect(date.err).toEqual(['otklik report: «yesterday» — не дата; нужен вид ГГГГ-ММ-ДД, например 2026-11-16']);
    const poll = await cli(['poll'], { OTKLIK_DATA_DIR: 'memory://' });
    expect(poll).toMatchObject({ code: 2, err: ['otklik poll: нужен параметр --once (справка: otklik poll --help)'] });
  });

  it('incidents --status names the valid statuses and accepts the Russian names', async () => {
    const bogus = await cli(['incidents', '--status', 'bogus'], { OTKLIK_DATA_DIR: 'memory://' });
    expect(bogus.code).toBe(2);
    expect(bogus.err).toHaveLength(1);
    expect(bogus.err[0]).toMatch(/^otklik incidents: неизвестный статус «bogus»; допустимые: new \(«Новый»\), assigned/);
    expect(bogus.err[0]).toContain('in_work («В работе»)');
    const russian = await cli(['incidents', '--status', 'в работе'], { OTKLIK_DATA_DIR: 'memory://' });
    expect(russian).toMatchObject({ code: 0, err: [] });
  });

  it('--version prints the package version; no arguments prints the command list with exit 2', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(await cli(['--version'], {})).toMatchObject({ code: 0, out: [pkg.version] });
    const bare = await cli([], {});
    expect(bare.code).toBe(2);
    expect(bare.out.join('\n')).toMatch(/Использование: otklik <команда>[\s\S]*incidents/);
  });

  it('poll --once, incidents --json, sources and report work on the embedded database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otklik-data-'));
    const feed = join(dir, 'feed.jsonl');
    writeFileSync(
      feed,
      [
        { channel: 'vk', external_id: '-5_1', text: 'Нет отопления в доме на Ленина 5, батареи холодные', published_at: '2026-11-17T10:00:00+03:00' },
        { channel: 'vk', external_id: '-5_2', text: 'Спасибо за новую остановку!', published_at: '2026-11-17T11:00:00+03:00' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    const cfg = configWith((c) => (c.sources = [{ channel: 'file', kind: 'jsonl', ref: feed, name: 'Тест' }]));
    const env = { OTKLIK_CONFIG: cfg, OTKLIK_DATA_DIR: join(dir, 'db') };
    const poll = await cli(['poll', '--once'], env);
    expect(poll.code).toBe(0);
    expect(JSON.parse(poll.out[0]!)).toMatchObject({ polled: 1, newPosts: 2, processed: 2 });
    const list = await cli(['incidents', '--json'], env);
    expect(list.out).toHaveLength(1);
    expect(JSON.parse(list.out[0]!)).toMatchObject({ number: 1, status: 'new', departmentCode: 'housing' });
    const sources = await cli(['sources'], env);
    expect(sources.out[0]).toBe('время — Europe/Moscow');
    expect(sources.out[1]).toMatch(/file:jsonl {2}Тест {2}работает {2}опрос \d\d\.\d\d\.\d{4} \d\d:\d\d {2}публикаций 2$/);
    // The installation's day (Moscow), not UTC's: after 21:00 UTC the post was detected "tomorrow".
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Moscow' }).format(new Date());
    const report = await cli(['report', '--from', '2020-01-01', '--to', today, '--format', 'json'], env);
    expect(JSON.parse(report.out[0]!)).toMatchObject({ incidents: 1, thanks: 1 });
  });
});
