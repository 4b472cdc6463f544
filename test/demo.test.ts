import { describe, expect, it } from 'vitest';
import { createFileAdapter } from '../adapters/file/index.js';
import { readEnv } from '../src/config/env.js';
import { runDemo } from '../src/demo/run.js';
import type { PeriodReport } from '../src/reports/period.js';

describe('otklik demo', () => {
  it('plays the bundled week through the real pipeline and the staff bot, and reports it', { timeout: 300_000 }, async () => {
    const out: string[] = [];
    const code = await runDemo({ env: readEnv({ LOG_LEVEL: 'silent' }), fileAdapter: createFileAdapter(), out: (l) => out.push(l), dataDir: 'memory://', format: 'json', chats: true });
    expect(code).toBe(0);
    const r = JSON.parse(out[0]!) as PeriodReport;
    expect(r.posts).toBeGreaterThanOrEqual(60);
    expect(r.incidents).toBeGreaterThan(30);
    expect(r.thanks).toBeGreaterThan(0);
    expect(r.noise).toBeGreaterThan(0);
    expect(r.merged).toBeGreaterThan(0);
    expect(r.answered).toBeGreaterThan(0);
    expect(r.answeredOnTime).toBeLessThan(r.answered); // some answers come late
    expect(r.overdue).toBeGreaterThan(0);
    expect(r.medianFirstAnswerMin).toBeGreaterThan(0);
    expect(r.byChannel.map((c) => c.key).sort()).toEqual(['ok', 'telegram', 'vk']);
    expect(r.byDepartment.length).toBeGreaterThan(3);
    // The week was worked through the staff bot: the chats' transcript follows the report.
    const transcript = out.slice(1).join('\n');
    expect(transcript).toMatch(/═══ Модераторы \(-1000000000001\): \d+ сообщений, \d+ правок ═══/);
    expect(transcript).toContain('[✅ Подтвердить');
    expect(transcript).toMatch(/═══ Пресс-служба .*═══/);
    expect(transcript).toContain('Статус: Ответ дан — Павел Пресс-службин');
  });
});
