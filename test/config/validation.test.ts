import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createFileAdapter } from '../../adapters/file/index.js';
import { runCli } from '../../src/cli.js';
import { ConfigError, parseInstallation } from '../../src/config/installation.js';
import { EXAMPLE_CONFIG } from '../helpers/app.js';

const example = () => parse(readFileSync(EXAMPLE_CONFIG, 'utf8')) as Record<string, any>;

function errorOf(mutate: (c: Record<string, any>) => void): string {
  const cfg = example();
  mutate(cfg);
  try {
    parseInstallation(cfg, 'my.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('installation config validation', () => {
  it.each([
    ['a working day starting at 25:00', (c: any) => (c.sla.work_start = '25:00'), /^my\.yaml: sla\.work_start: a time of day HH:MM from 00:00 to 23:59$/],
    ['minutes past 59', (c: any) => (c.sla.work_end = '18:75'), /^my\.yaml: sla\.work_end: a time of day/],
    ['a working day that ends before it starts', (c: any) => ((c.sla.work_start = '18:00'), (c.sla.work_end = '09:00')), /^my\.yaml: sla\.work_end: the working day must end after it starts/],
    ['an interval past the integer range', (c: any) => (c.sources[0].interval = 2 ** 31), /^my\.yaml: sources\.0\.interval: at most 2592000 seconds/],
    ['a fractional interval', (c: any) => (c.sources[0].interval = 1.5), /^my\.yaml: sources\.0\.interval: .*int/i],
    ['an invalid cron line', (c: any) => (c.schedule.poll = '61 * * * *'), /^my\.yaml: schedule\.poll: invalid cron line "61 \* \* \* \*": 61 is a invalid expression for minute$/],
    ['a cron line with too few fields', (c: any) => (c.schedule.weekly_report = 'every monday'), /^my\.yaml: schedule\.weekly_report: invalid cron line "every monday"/],
    ['sla_hours too large for any deadline', (c: any) => (c.topics[0].sla_hours = 1e12), /^my\.yaml: topics\.0\.sla_hours: at most 8760 hours/],
    ['default_hours too large', (c: any) => (c.sla.default_hours = 1e9), /^my\.yaml: sla\.default_hours: at most 8760 hours/],
    ['interim_days too large', (c: any) => (c.sla.interim_days = 1e6), /^my\.yaml: sla\.interim_days: at most 365 days/],
    ['duplicate department codes', (c: any) => c.departments.push({ ...c.departments[0], name: 'Двойник' }), /^my\.yaml: departments\.\d+\.code: duplicate department code "[a-z_-]+"$/],
  ])('%s is refused naming the key', (_name, mutate, message) => {
    expect(errorOf(mutate)).toMatch(message);
  });

  it('the example config passes', () => {
    expect(() => parseInstallation(example(), 'example.yaml')).not.toThrow();
  });

  it('the CLI stops with exit 78 and one line before opening anything', async () => {
    const cfg = example();
    cfg.sla.work_start = '25:00';
    const file = join(mkdtempSync(join(tmpdir(), 'otklik-cfg-')), 'bad.yaml');
    writeFileSync(file, stringify(cfg));
    const err: string[] = [];
    const code = await runCli(['sources'], {
      createAdapters: () => new Map([['file', createFileAdapter()]]),
      fileAdapter: createFileAdapter(),
      out: () => {},
      err: (l) => err.push(l),
      env: { LOG_LEVEL: 'silent', OTKLIK_CONFIG: file, OTKLIK_DATA_DIR: 'memory://' },
      envFile: null,
    });
    expect(code).toBe(78);
    expect(err).toEqual([`otklik: ${file}: sla.work_start: a time of day HH:MM from 00:00 to 23:59`]);
  });
});
