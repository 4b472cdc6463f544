/**
 * Three instances deciding the same stored posts at once on one Postgres (each with its own
 * connection pool, classifier and near-duplicate index, as three `poll --once` processes
 * have) make exactly the incidents one instance makes alone, and decide every post once.
 * Postgres only: PGlite is one process (a second is refused), so it has nothing to race.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileAdapter } from '../../adapters/file/index.js';
import { readEnv } from '../../src/config/env.js';
import { openDb, type DbHandle } from '../../src/db/client.js';
import { incidents, posts } from '../../src/db/schema.js';
import { classifyAll, type Classifier } from '../../src/domain/classification.js';
import { createTestApp, testInstallation } from '../helpers/app.js';
import { openTestDb } from '../helpers/db.js';

const STREETS = ['Ленина', 'Дзержинского', 'Радищева', 'Сумская', 'Карла Маркса'];
const PROBLEMS = ['не вывозят мусор', 'нет горячей воды', 'яма на дороге', 'не горит фонарь'];
const N = 1200;
/** N posts: 100 problems (problem × street × house), each reported twelve times in other words. */
const OPENINGS = ['Опять', 'Снова', 'Третий день', 'Который день', 'Уже неделю', 'Сегодня', 'Вторые сутки', 'До сих пор', 'Всё ещё', 'Со вчерашнего дня', 'С утра', 'Как и раньше'];
const FEED = Array.from({ length: N }, (_, i) => {
  const k = i % 100;
  const text = `${OPENINGS[Math.floor(i / 100)]} ${PROBLEMS[k % 4]} на улице ${STREETS[Math.floor(k / 4) % 5]}, дом ${Math.floor(k / 20) + 1}`;
  return JSON.stringify({ channel: 'vk', external_id: `multi-${i}`, text, published_at: '2026-11-16T08:00:00+03:00' });
});

async function counts(h: DbHandle) {
  const [i] = await h.db.select({ n: sql<number>`count(*)::int`, members: sql<number>`coalesce(sum(posts_count),0)::int` }).from(incidents);
  const [p] = await h.db.select({ undecided: sql<number>`count(*) filter (where processed_at is null)::int`, linked: sql<number>`count(incident_id)::int` }).from(posts);
  const [e] = (await h.db.execute(sql`select count(*) filter (where type = 'created')::int as created, count(*) filter (where type = 'merged')::int as merged from incident_events`)) as unknown as Array<{ created: number; merged: number }>;
  return { incidents: i!.n, postsInIncidents: i!.members, postsLinked: p!.linked, undecided: p!.undecided, created: e!.created, merged: e!.merged };
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('three instances deciding on one Postgres', () => {
  let h: Awaited<ReturnType<typeof openTestDb>>;
  const others: DbHandle[] = [];
  let feed: string;
  beforeAll(async () => {
    h = await openTestDb();
    const dir = mkdtempSync(join(tmpdir(), 'otklik-multi-'));
    feed = join(dir, 'feed.jsonl');
    writeFileSync(feed, `${FEED.join('\n')}\n`);
  });
  afterAll(async () => {
    for (const o of others) await o.close();
    await h?.close();
  });

  const appOn = (handle: DbHandle, instance: string, classifier?: Classifier) =>
    createTestApp(handle, {
      ...(classifier ? { classifier } : {}),
      installation: testInstallation([{ channel: 'file', kind: 'jsonl', ref: feed, enabled: true, interval: 60, options: {} }]),
      createAdapters: () => new Map([['file', createFileAdapter()]]),
      env: readEnv({ OTKLIK_INSTANCE: instance }),
    });

  /** The file source gives a page per poll. */
  const readAll = async (app: Awaited<ReturnType<typeof appOn>>) => {
    while ((await app.poller.pollOnce({ force: true })).newPosts > 0);
  };

  it('the same incidents as one instance alone, every post decided once', { timeout: 120_000 }, async () => {
    // Alone first: the reference.
    const alone = await appOn(h, 'alone');
    await readAll(alone);
    await alone.processPending(100_000);
    const expected = await counts(h);
    expect(expected).toMatchObject({ incidents: 100, undecided: 0, postsLinked: N, postsInIncidents: N });

    await h.reset();
    const url = new URL(process.env.TEST_DATABASE_URL!);
    const dbName = ((await h.db.execute(sql`select current_database() as d`)) as unknown as Array<{ d: string }>)[0]!.d;
    url.pathname = `/${dbName}`;
    for (let i = 0; i < 2; i++) others.push(await openDb({ url: url.toString() }));
    // The model's own classifier, a few milliseconds slower per batch and differently in each
    // instance (as a real model or an LLM is), so the instances' batches overlap in time.
    const slowed = (ms: number): Classifier => ({
      classify: (t) => alone.classifier.classify(t),
      classifyMany: async (texts) => {
        await new Promise((r) => setTimeout(r, ms));
        return classifyAll(alone.classifier, texts);
      },
    });
    const apps = await Promise.all([appOn(h, 'a', slowed(7)), appOn(others[0]!, 'b', slowed(13)), appOn(others[1]!, 'c', slowed(23))]);
    await readAll(apps[0]!);
    // Small limits, many rounds: the three interleave batch by batch.
    const decided = [0, 0, 0];
    await Promise.all(
      apps.map(async (app, i) => {
        for (;;) {
          const r = await app.processPending([60, 45, 25][i]);
          if (r.processed === 0) break;
          decided[i]! += r.incidents + r.merged + r.notIncidents;
        }
      }),
    );
    expect(decided.reduce((a, b) => a + b)).toBe(N);
    for (const d of decided) expect(d).toBeGreaterThan(0); // all three really decided
    expect(await counts(h)).toEqual(expected);
  });
});
