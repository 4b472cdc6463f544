import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { adoptIntoConfig, departmentCode, historyTaxonomy, matchTaxonomy } from '../../src/classify/adopt.js';
import { trainCommand } from '../../src/commands/train.js';
import type { CommandDeps } from '../../src/commands/types.js';
import { parseInstallation } from '../../src/config/installation.js';
import { openDb, type DbHandle } from '../../src/db/client.js';
import { departments, topics } from '../../src/db/schema.js';
import { silentLog, testClock, testEnv } from './helpers.js';
import { syntheticSamples } from './synthetic.js';

/** A new installation's config: one department, no topics, and comments to keep. */
const CONFIG = `# Тестоград: настройка
territory:
  name: Тестоград
departments:
  # кто получает всё остальное
  - code: admin
    name: Администрация Тестограда
default_department: admin
`;

/** The synthetic history with department names as an incumbent export has them, and topic groups. */
const NAMES: Record<string, string> = { roads: 'Комитет дорожного хозяйства', housing: 'Комитет ЖКХ', transport: 'Комитет по транспорту', clean: 'Администрация Тестограда' };
const GROUPS: Record<string, string> = { 'Ямы на дорогах': 'Дороги', Отопление: 'ЖКХ', 'Общественный транспорт': 'Транспорт', 'Вывоз мусора': 'Благоустройство' };
const history = syntheticSamples().map((s) => ({ ...s, department: NAMES[s.department as string], group: GROUPS[s.topic as string] }));

describe('a history taxonomy against the installation', () => {
  it('counts what the installation knows and adopts the rest into the YAML, keeping comments', () => {
    const installation = parseInstallation(parseYaml(CONFIG));
    const h = historyTaxonomy(history);
    expect(matchTaxonomy(h, installation)).toMatchObject({ topics: { total: 4, matched: 0 }, departments: { total: 4, matched: 1 } });
    const a = adoptIntoConfig(CONFIG, h, installation);
    expect(a.topics).toContainEqual({ name: 'Отопление', group: 'ЖКХ' });
    expect(a.departments.map((d) => d.code).sort()).toEqual(['komitet_dorozhnogo_hozyaystva', 'komitet_po_transportu', 'komitet_zhkh']);
    expect(a.text).toContain('# кто получает всё остальное');
    const back = parseInstallation(parseYaml(a.text));
    expect(matchTaxonomy(h, back)).toMatchObject({ topics: { matched: 4 }, departments: { matched: 4 } });
  });

  it('department codes are latin and unique', () => {
    const taken = new Set<string>();
    expect(departmentCode('Администрация города Льгов', taken)).toBe('administraciya_goroda_lgov');
    expect(departmentCode('Администрация города Льгов', taken)).toBe('administraciya_goroda_lgov_2');
    expect(departmentCode('«Городская инспекция» по ЖКХ и благоустройству', taken)).toMatch(/^[a-z0-9_-]+$/);
  });
});

describe('otklik train --adopt', () => {
  let h: DbHandle;
  let dir: string;
  const lines: string[] = [];
  let deps: CommandDeps;
  beforeAll(async () => {
    h = await openDb({ dataDir: 'memory://' });
    dir = mkdtempSync(join(tmpdir(), 'otklik-adopt-'));
    writeFileSync(join(dir, 'config.yaml'), CONFIG);
    const csv = ['text,topic,department,group', ...history.map((s) => `"${s.text}","${s.topic}","${s.department}","${s.group}"`)].join('\n');
    writeFileSync(join(dir, 'history.csv'), csv);
    const installation = parseInstallation(parseYaml(CONFIG));
    deps = { db: h.db, installation, env: testEnv({ OTKLIK_CONFIG: join(dir, 'config.yaml') }), log: silentLog, clock: testClock(), out: (l) => lines.push(l) };
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await h.close();
  });

  it('without --adopt says how much matches and how to adopt, and leaves the config alone', async () => {
    expect(await trainCommand(deps, ['--csv', join(dir, 'history.csv')])).toBe(0);
    const out = lines.join('\n');
    expect(out).toContain('тем в файле: 4, из них в настройке: 0; ведомств в файле: 4, в настройке: 1');
    expect(out).toContain('--adopt');
    expect(out).toMatch(/проверка на отложенных текстах \(2 блока/);
    expect(readFileSync(join(dir, 'config.yaml'), 'utf8')).toBe(CONFIG);
  });

  it('with --adopt writes topics with groups and departments into the config and the database', async () => {
    lines.length = 0;
    expect(await trainCommand(deps, ['--csv', join(dir, 'history.csv'), '--adopt'])).toBe(0);
    expect(lines.join('\n')).toContain('добавлено: тем 4 (групп 4), ведомств 3');
    const cfg = parseInstallation(parseYaml(readFileSync(join(dir, 'config.yaml'), 'utf8')));
    expect(cfg.topics.map((t) => t.name).sort()).toEqual(Object.keys(GROUPS).sort());
    expect((await h.db.select().from(topics)).length).toBe(4);
    expect((await h.db.select().from(departments)).map((d) => d.code)).toContain('komitet_zhkh');
  });
});
