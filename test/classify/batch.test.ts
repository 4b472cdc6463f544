import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClassifier, importLabels, recordLabel, retrain } from '../../src/classify/index.js';
import { classifyCommand } from '../../src/commands/classify.js';
import type { CommandDeps } from '../../src/commands/types.js';
import { parseInstallation } from '../../src/config/installation.js';
import { openDb, type DbHandle } from '../../src/db/client.js';
import { testInstallation } from './fixtures.js';
import { silentLog, testClock, testEnv } from './helpers.js';
import { syntheticSamples } from './synthetic.js';

/** The test installation with a territory and a routing rule, to see the route as the pipeline takes it. */
function routedInstallation() {
  const base = testInstallation();
  return parseInstallation({
    territory: { name: 'Тестоград', districts: [{ name: 'Северный', department: 'clean' }] },
    departments: base.departments,
    default_department: base.default_department,
    topics: base.topics,
    routing: [{ name: 'Остановки', when: { keywords: ['остановк'] }, department: 'roads' }],
  });
}

describe('classify: a whole file, the route, and moderators\' corrections', () => {
  let h: DbHandle;
  let dir: string;
  const lines: string[] = [];
  let deps: CommandDeps;
  const clock = testClock();
  beforeAll(async () => {
    h = await openDb({ dataDir: 'memory://' });
    dir = mkdtempSync(join(tmpdir(), 'otklik-batch-'));
    await importLabels(h.db, syntheticSamples(), clock.now());
    await retrain({ db: h.db, clock });
    deps = { db: h.db, installation: routedInstallation(), env: testEnv(), log: silentLog, clock, out: (l) => lines.push(l) };
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await h.close();
  });

  it('classify --csv writes one JSON line a row, in order, with top-3, auto and the route', async () => {
    const rows = ['"id";"Текст"', '"a1";"батареи холодные, отопления нет"', '"a2";""', '"a3";"продам гараж недорого"', '"a4";"яма на дороге у дома"'];
    writeFileSync(join(dir, 'in.csv'), rows.join('\n'));
    lines.length = 0;
    const code = await classifyCommand(deps, ['--csv', join(dir, 'in.csv'), '--text-col', 'Текст', '--out', join(dir, 'out.jsonl')]);
    expect(code).toBe(0);
    expect(lines.join('\n')).toContain('классифицировано строк: 4');
    const out = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(out.map((o) => o.id)).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(out[0]).toMatchObject({ row: 1, kind: 'complaint', incident: true, topic: 'Отопление' });
    expect(out[0].topics).toHaveLength(3);
    expect(out[0].topics[0]).toMatchObject({ name: 'Отопление' });
    expect(out[0].departments[0]).toMatchObject({ code: 'housing' });
    expect(typeof out[0].auto).toBe('boolean');
    expect(out[0].route.department).toBe('housing');
    expect(out[0].explanation).toContain('модель');
    expect(out[1]).toMatchObject({ row: 2, error: 'пустой текст' });
    expect(out[3]).toMatchObject({ row: 4, topic: 'Ямы на дорогах' });
  });

  it('classify "text" shows the route the pipeline takes: a routing rule beats the topic', async () => {
    lines.length = 0;
    expect(await classifyCommand(deps, ['Автобус не пришел, стоим на остановке в Северном районе'])).toBe(0);
    const out = lines.join('\n');
    expect(out).toContain('тема: «Общественный транспорт»');
    expect(out).toContain('территория: Северный');
    expect(out).toContain('маршрут: Комитет дорожного хозяйства: правило «Остановки»');
  });

  it('classifyMany gives the same answers as classify one by one', async () => {
    const classifier = await createClassifier({ ...deps, llm: false });
    const texts = ['мусор не вывозят', 'троллейбус сломался', 'асфальт разрушен', 'холодно в квартире'];
    const one = [];
    for (const t of texts) one.push(await classifier.classify(t));
    expect(await classifier.classifyMany(texts)).toEqual(one);
  });

  it('a moderator correction takes effect for a near-identical text before any retrain', async () => {
    const classifier = await createClassifier({ ...deps, llm: false });
    const posted = 'На проспекте Мира провал асфальта, машины объезжают по встречке уже неделю';
    const before = await classifier.classify(posted);
    expect(before.topic).toBe('Ямы на дорогах');
    // The moderator knew better: it is a lighting problem there (the street lamps are out, hence the accidents).
    await recordLabel(h.db, { text: posted, topic: 'Уличное освещение', departmentCode: 'roads', kind: 'complaint', origin: 'moderator', incidentId: 1, at: clock.now() });
    const again = await classifier.classify('на проспекте Мира провал асфальта, машины объезжают по встречке уже неделю!!');
    expect(again).toMatchObject({ topic: 'Уличное освещение', department: 'roads', needsReview: false });
    expect(again.explanation).toContain('исправленное модератором');
    // A different text is still the model's.
    expect((await classifier.classify('глубокая выбоина на дороге у моста')).topic).toBe('Ямы на дорогах');
    expect(classifier.model()?.version).toBe(1);
  });
});
