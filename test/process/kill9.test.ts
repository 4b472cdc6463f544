/**
 * kill -9 for real: a spawned `otklik start` (PGlite in a temp directory) is SIGKILLed while
 * it is deciding a page of 480 posts (an LLM fake paces the deciding and shows when it is under way), then
 * `otklik poll --once` runs on the same directory. The directory opens again, every post is
 * stored once and decided once, and the incidents are exactly those of an uninterrupted run
 * of the same feed (in-process reference on an in-memory database).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createFileAdapter } from '../../adapters/file/index.js';
import { readEnv } from '../../src/config/env.js';
import { openDb } from '../../src/db/client.js';
import { incidents, posts } from '../../src/db/schema.js';
import { createTestApp, testInstallation } from '../helpers/app.js';
import { openTestDb } from '../helpers/db.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server.js';
import { eventually, spawnOtklik, writeConfig, writeConfigSources, type OtklikProcess } from '../helpers/otklik-process.js';

/** Spawned processes start PGlite and run migrations: generous on a loaded 2-core CI machine. */
const PROCESS_TIMEOUT_MS = 240_000;
const running: OtklikProcess[] = [];
afterEach(() => running.splice(0).forEach((p) => p.child.exitCode === null && p.kill('SIGKILL')));

const STREETS = ['Ленина', 'Дзержинского', 'Карла Маркса', 'Радищева', 'Сумская'];
const PROBLEMS = ['не вывозят мусор', 'нет горячей воды', 'яма на дороге', 'не горит фонарь', 'сломана скамейка', 'течёт крыша'];
const N = 480; // one page of the file adapter (500): the kill lands while it is being decided
/** N posts: problems on streets and houses, each reported in several wordings (near-duplicates merge). */
function feed(): string[] {
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    const problem = PROBLEMS[i % PROBLEMS.length]!;
    const street = STREETS[Math.floor(i / PROBLEMS.length) % STREETS.length]!;
    const text = `${['Опять', 'Снова', 'Третий день', 'Который раз', 'Срочно'][i % 5]} ${problem} на улице ${street}, дом ${(Math.floor(i / 30) % 40) + 1}`;
    lines.push(JSON.stringify({ channel: 'vk', external_id: `k9-${i}`, text, published_at: new Date(Date.now() - (N - i) * 1000).toISOString() }));
  }
  return lines;
}

async function summary(db: Awaited<ReturnType<typeof openDb>>['db']) {
  const [p] = await db.select({ n: sql<number>`count(*)::int`, undecided: sql<number>`count(*) filter (where processed_at is null)::int`, ids: sql<number>`count(distinct external_id)::int` }).from(posts);
  const [i] = await db.select({ n: sql<number>`count(*)::int`, members: sql<number>`coalesce(sum(posts_count), 0)::int`, firsts: sql<number>`count(distinct first_post_id)::int` }).from(incidents);
  const [linked] = await db.select({ n: sql<number>`count(*)::int` }).from(posts).where(sql`incident_id is not null`);
  return { posts: p!.n, distinctIds: p!.ids, undecided: p!.undecided, incidents: i!.n, incidentFirstPosts: i!.firsts, postsInIncidents: i!.members, postsLinked: linked!.n };
}

describe('kill -9 during ingest', () => {
  let llm: FakeOpenAI | undefined;
  afterAll(async () => llm?.close());

  it('SIGKILL while deciding a page, then poll --once: nothing lost, nothing doubled, PGlite opens again', async () => {
    // An LLM classifier on a local fake paces the deciding (about 20 ms a post) and tells us, by
    // the requests it has seen, that the process is in the middle of the page.
    llm = await startFakeOpenAI();
    llm.handle((req) => ({ delayMs: 20, content: JSON.stringify({ kind: /мусор|яма|вода/.test(req.user) ? 'complaint' : 'question', topic: null, department: null, confidence: 0.9, reason: 'тест' }) }));
    const { dir, path } = writeConfig({ sources: [] });
    const feedPath = join(dir, 'feed.jsonl');
    writeFileSync(feedPath, `${feed().join('\n')}\n`);
    writeConfigSources(path, [{ channel: 'file', kind: 'jsonl', ref: feedPath, interval: 1 }]);
    const dataDir = join(dir, 'data');
    const llmEnv = { OPENAI_API_KEY: 'sk-kill9-test', OPENAI_BASE_URL: llm.url };
    // One instance name across the restart: it takes back the lease the killed process held.
    const env = { OTKLIK_CONFIG: path, OTKLIK_DATA_DIR: dataDir, OTKLIK_INSTANCE: 'kill9', ...llmEnv };

    const p = spawnOtklik(['start'], env);
    running.push(p);
    await eventually(() => (llm!.requests.length >= 40 ? true : undefined), 180_000, 'deciding under way');
    p.kill('SIGKILL');
    expect(await p.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const pace = llm.requests.length;
    llm.handle((req) => ({ content: JSON.stringify({ kind: /мусор|яма|вода/.test(req.user) ? 'complaint' : 'question', topic: null, department: null, confidence: 0.9, reason: 'тест' }) }));
    expect(pace).toBeLessThan(N);

    const killed = await openDb({ dataDir }); // PGlite opens again after kill -9
    const atKill = await summary(killed.db);
    await killed.close();
    expect(atKill.posts).toBe(N); // the page was stored before deciding began
    expect(atKill.undecided).toBeGreaterThan(0); // and the kill came in the middle of deciding it

    const after = spawnOtklik(['poll', '--once'], { OTKLIK_CONFIG: path, OTKLIK_DATA_DIR: dataDir, OTKLIK_INSTANCE: 'kill9', ...llmEnv });
    running.push(after);
    expect((await after.exited).code, after.stderr.join('\n')).toBe(0);

    const ref = await openTestDb();
    try {
      const app = await createTestApp(ref, {
        env: readEnv(llmEnv),
        installation: testInstallation([{ channel: 'file', kind: 'jsonl', ref: feedPath, enabled: true, interval: 60, options: {} }]),
        createAdapters: () => new Map([['file', createFileAdapter()]]),
      });
      await app.poller.pollOnce({ force: true });
      await app.processPending(10_000);
      const expected = await summary(ref.db);
      const db = await openDb({ dataDir });
      try {
        const got = await summary(db.db);
        expect(got).toEqual({ ...expected, posts: N, distinctIds: N, undecided: 0 });
        expect(got.incidentFirstPosts).toBe(got.incidents); // no post opened two incidents
        expect(got.postsInIncidents).toBe(got.postsLinked);
      } finally {
        await db.close();
      }
    } finally {
      await ref.close();
    }
  }, PROCESS_TIMEOUT_MS);
});
