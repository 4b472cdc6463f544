import { describe, expect, it } from 'vitest';
import { createFileAdapter } from '../adapters/file/index.js';
import { readEnv } from '../src/config/env.js';
import type { App } from '../src/app/app.js';
import { runDemo } from '../src/demo/run.js';
import type { PeriodReport } from '../src/reports/period.js';
import { recomputeFigures } from './reports/recompute.js';

describe('otklik demo', () => {
  it('plays the bundled week through the real pipeline and the staff bot; its report equals the figures recomputed from the incidents', { timeout: 300_000 }, async () => {
    const out: string[] = [];
    let want: Awaited<ReturnType<typeof recomputeFigures>> | undefined;
    const inspect = async (app: App) => {
      const r = JSON.parse(out[0]!) as PeriodReport;
      want = await recomputeFigures(app.db, new Date(r.from), new Date(r.to), new Date(r.asOf), app.calendar);
    };
    const code = await runDemo({ env: readEnv({ LOG_LEVEL: 'silent' }), fileAdapter: createFileAdapter(), out: (l) => out.push(l), dataDir: 'memory://', format: 'json', chats: true, inspect });
    expect(code).toBe(0);
    const r = JSON.parse(out[0]!) as PeriodReport;
    expect(r.posts).toBeGreaterThanOrEqual(60);
    expect(r.incidents).toBeGreaterThan(30);
    expect(r.thanks).toBeGreaterThan(0);
    expect(r.noise).toBeGreaterThan(0);
    expect(r.merged).toBeGreaterThan(0);
    expect(r.answered).toBeGreaterThan(0);
    expect(r.answeredOnTime).toBeLessThan(r.answered); // some answers come late
    expect(r.answeredLate).toBeGreaterThan(0);
    expect(r.overdue).toBe(r.answeredLate + r.openPastDeadline);
    expect(r.answered).toBe(r.answeredOnTime + r.answeredLate);
    expect(r.medianFirstAnswerMin).toBeGreaterThan(0);
    expect(r.medianFirstAnswerWorkMin).toBeGreaterThan(0);
    expect(r.byChannel.map((c) => c.key).sort()).toEqual(['ok', 'telegram', 'vk']);
    expect(r.byChannel.reduce((a, c) => a + c.count, 0)).toBe(r.incidents);
    expect(r.byDepartment.length).toBeGreaterThan(3);
    expect(r.overdueList.every((o) => o.statusLabel.length > 0)).toBe(true);
    // Every figure from its definition over the demo's incident rows.
    const { overdueNumbers, ...figures } = want!;
    expect(r).toMatchObject(figures);
    expect(r.overdueList.map((o) => o.number).sort((a, b) => a - b)).toEqual(overdueNumbers);
    // The week was worked through the staff bot: the chats' transcript follows the report.
    const transcript = out.slice(1).join('\n');
    expect(transcript).toMatch(/═══ Модераторы \(-1000000000001\): \d+ сообщений, \d+ правок ═══/);
    expect(transcript).toContain('[✅ Подтвердить');
    expect(transcript).toMatch(/═══ Пресс-служба .*═══/);
    expect(transcript).toContain('Статус: Ответ дан — Павел Пресс-службин');
  });
});
