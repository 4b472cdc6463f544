import { describe, expect, it } from 'vitest';
import { createFileAdapter } from '../adapters/file/index.js';
import { readEnv } from '../src/config/env.js';
import { runDemo } from '../src/demo/run.js';
import type { PeriodReport } from '../src/reports/period.js';

describe('otklik demo', () => {
  it('plays the bundled week through the real pipeline and reports it', async () => {
    const out: string[] = [];
    const code = await runDemo({ env: readEnv({ LOG_LEVEL: 'silent' }), fileAdapter: createFileAdapter(), out: (l) => out.push(l), dataDir: 'memory://', format: 'json' });
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
  });
});
