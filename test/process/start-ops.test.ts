/**
 * A real `otklik start` process (spawned CLI, PGlite in a temp directory, loopback only):
 * `/healthz` and `/metrics` answer while it runs (fetched with curl; the metrics parse with a
 * Prometheus text parser), and SIGTERM during a slow VK poll lets that poll finish and be
 * stored, starts no new one, and closes the database so it opens again.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/client.js';
import { posts, sources } from '../../src/db/schema.js';
import { startVkFake, type VkFake } from '../fakes/vk-server.js';
import { eventually, freePort, spawnOtklik, writeConfig, writeConfigSources, type OtklikProcess } from '../helpers/otklik-process.js';

/** Spawned processes start PGlite and run migrations: generous on a loaded 2-core CI machine. */
const PROCESS_TIMEOUT_MS = 240_000;
const run = promisify(execFile);
const running: OtklikProcess[] = [];
afterEach(() => running.splice(0).forEach((p) => p.child.exitCode === null && p.kill('SIGKILL')));

async function curl(url: string): Promise<{ status: number; body: string }> {
  const { stdout } = await run('curl', ['-s', '-m', '10', '-w', '\n%{http_code}', url]);
  const at = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(at + 1)), body: stdout.slice(0, at) };
}

type Family = { name: string; type: string; metrics: Array<{ value?: string; labels?: Record<string, string> }> };
const value = (families: Family[], name: string, labels: Record<string, string> = {}) =>
  families.find((f) => f.name === name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value;

describe('otklik start: health and metrics over HTTP', () => {
  it('curl /healthz and /metrics against a running start; the metrics parse', async () => {
    const { dir, path } = writeConfig({ sources: [] });
    const feedPath = join(dir, 'feed.jsonl');
    writeConfigSources(path, [{ channel: 'file', kind: 'jsonl', ref: feedPath, name: 'Лента', interval: 1 }]);
    const feed = [1, 2, 3, 4, 5].map((n) => JSON.stringify({ channel: 'vk', external_id: `m${n}`, text: `Не вывозят мусор во дворе дома ${n} на улице Ленина`, published_at: '2026-11-16T08:00:00Z' }));
    writeFileSync(feedPath, `${feed.join('\n')}\n`);
    const port = await freePort();
    const p = spawnOtklik(['start'], { OTKLIK_CONFIG: path, OTKLIK_DATA_DIR: join(dir, 'data'), OTKLIK_HTTP_PORT: String(port) });
    running.push(p);
    await p.waitForLog((l) => l.msg === 'otklik started');
    const families = await eventually(async () => {
      const m = await curl(`http://127.0.0.1:${port}/metrics`);
      if (m.status !== 200) return undefined;
      const f = parsePrometheusTextFormat(m.body) as Family[];
      return value(f, 'otklik_posts', { state: 'decided' }) === '5' ? f : undefined;
    }, 90_000, '5 posts decided');
    expect(value(families, 'otklik_database_up')).toBe('1');
    expect(Number(value(families, 'otklik_polls_total', { channel: 'file', outcome: 'ok' }))).toBeGreaterThanOrEqual(1);
    expect(Number(value(families, 'otklik_incidents', { status: 'new' }))).toBeGreaterThanOrEqual(1);
    expect(value(families, 'otklik_sources', { status: 'ok' })).toBe('1');
    expect(Number(value(families, 'otklik_last_poll_age_seconds'))).toBeGreaterThanOrEqual(0);
    for (const name of ['otklik_incidents_classified', 'otklik_outbox_messages', 'otklik_replies', 'otklik_job_runs_total', 'otklik_source_failures', 'otklik_process_resident_memory_bytes']) {
      expect(families.map((f) => f.name), name).toContain(name);
    }
    const health = await curl(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ ok: true, database: 'ok', sources: { enabled: 1, ok: 1, broken: 0 } });
    expect((await curl(`http://127.0.0.1:${port}/nothing`)).status).toBe(404);
    p.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
  }, PROCESS_TIMEOUT_MS);
});

describe('otklik start: SIGTERM', () => {
  let vk: VkFake | undefined;
  afterAll(async () => vk?.close());

  it('SIGTERM during a slow VK poll: the poll finishes and is stored, no new one starts, the database reopens', async () => {
    vk = await startVkFake();
    vk.addCommunity({ id: 41 });
    for (const n of [1, 2, 3]) vk.addPost(41, { text: `Сломана скамейка у подъезда ${n}` });
    vk.failNext('wall.get', { delayMs: 3000 });
    const { dir, path } = writeConfig({ sources: [{ channel: 'vk', kind: 'wall', ref: '-41', interval: 1 }] });
    const dataDir = join(dir, 'data');
    const p = spawnOtklik(['start'], { OTKLIK_CONFIG: path, OTKLIK_DATA_DIR: dataDir, VK_TOKEN: 'vk1.a.sigterm-test-token', VK_API_BASE_URL: vk.apiBaseUrl });
    running.push(p);
    await eventually(() => (vk!.calls.some((c) => c.method === 'wall.get') ? true : undefined), 90_000, 'wall.get in flight');
    p.kill('SIGTERM');
    const exit = await p.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    const stopping = p.logs.findIndex((l) => l.msg === 'stopping');
    expect(stopping).toBeGreaterThanOrEqual(0);
    expect(p.logs.slice(stopping).some((l) => l.msg === 'stopped')).toBe(true);
    expect(vk.calls.filter((c) => c.method === 'wall.get')).toHaveLength(1);
    const db = await openDb({ dataDir });
    try {
      const stored = await db.db.select().from(posts);
      expect(stored.map((r) => r.text).sort()).toEqual([1, 2, 3].map((n) => `Сломана скамейка у подъезда ${n}`));
      const [src] = await db.db.select().from(sources).where(eq(sources.reference, '-41'));
      expect(src).toMatchObject({ status: 'ok', postsSeen: 3, leaseOwner: null });
      expect(src!.cursor).not.toBeNull();
    } finally {
      await db.close();
    }
  }, PROCESS_TIMEOUT_MS);
});
