import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type DbHandle } from '../../src/db/client.js';
import { classifyCommand } from '../../src/commands/classify.js';
import { evalCommand } from '../../src/commands/eval.js';
import { trainCommand } from '../../src/commands/train.js';
import type { CommandDeps } from '../../src/commands/types.js';
import { testInstallation } from './fixtures.js';
import { silentLog, testClock, testEnv } from './helpers.js';
import { syntheticSamples } from './synthetic.js';

describe('train / eval / classify commands', () => {
  let h: DbHandle;
  let dir: string;
  let lines: string[];
  let deps: CommandDeps;
  beforeAll(async () => {
    h = await openDb({ dataDir: 'memory://' });
    dir = mkdtempSync(join(tmpdir(), 'otklik-cls-'));
    // Shaped like an export of the incumbent system: Russian headers, semicolons.
    const csv = ['"Текст инцидента";"Тема";"Исполнитель"', ...syntheticSamples().map((s) => `"${s.text}";"${s.topic}";"${s.department}"`)].join('\n');
    writeFileSync(join(dir, 'export.csv'), csv);
    lines = [];
    deps = { db: h.db, installation: testInstallation(), env: testEnv(), log: silentLog, clock: testClock(), out: (l) => lines.push(l) };
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await h.close();
  });

  it('trains from an incumbent-style export with column flags, idempotently', async () => {
    const args = ['--csv', join(dir, 'export.csv'), '--text-col', 'Текст инцидента', '--topic-col', 'Тема', '--department-col', 'Исполнитель'];
    expect(await trainCommand(deps, args)).toBe(0);
    expect(lines.join('\n')).toContain('модель v1');
    lines.length = 0;
    expect(await trainCommand(deps, args)).toBe(0);
    expect(lines.join('\n')).toContain('новых меток: 0');
  });

  it('eval prints one JSON line of metrics', async () => {
    lines.length = 0;
    const args = ['--csv', join(dir, 'export.csv'), '--text-col', 'Текст инцидента', '--topic-col', 'Тема', '--department-col', 'Исполнитель'];
    expect(await evalCommand(deps, args)).toBe(0);
    const m = JSON.parse(lines[0]!);
    expect(m).toMatchObject({ n: syntheticSamples().length });
    expect(m.topic_accuracy).toBeGreaterThan(0.9);
    expect(m.department_accuracy).toBeGreaterThan(0.9);
    expect(typeof m.macro_f1_topic).toBe('number');
    expect(m.topic_top3).toBeGreaterThanOrEqual(m.topic_accuracy);
    expect(m.department_top3).toBeGreaterThanOrEqual(m.department_accuracy);
    expect(typeof m.topic_ece).toBe('number');
    expect(m).toMatchObject({ auto_precision: 0.9 });
    expect(typeof m.auto_coverage).toBe('number');
    // The export has no kind column: detection is not measured.
    expect(m.incident_recall).toBeNull();
  });

  it('classify prints the decision and why', async () => {
    lines.length = 0;
    expect(await classifyCommand(deps, ['Автобус не пришел, стоим на остановке'])).toBe(0);
    const out = lines.join('\n');
    expect(out).toContain('тема: «Общественный транспорт»');
    expect(out).toContain('почему:');
    expect(out).toMatch(/темы: «Общественный транспорт» \d+%, «/);
  });

  it('usage errors return 2', async () => {
    expect(await trainCommand(deps, [])).toBe(2);
    expect(await classifyCommand(deps, [])).toBe(2);
  });
});
