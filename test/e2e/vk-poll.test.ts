/**
 * Issue 3, end to end: the real poller, pipeline and database (PGlite, or Postgres
 * on TEST_DATABASE_URL) reading the VK fake through vk-io and the VK adapter.
 * Request counts are HTTP requests the fake received (an `execute` is one).
 */
import { eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { posts, sources } from '../../src/db/schema.js';
import type { PipelineStep } from '../../src/pipeline/process.js';
import { readEnv } from '../../src/config/env.js';
import { createTestApp, testInstallation } from '../helpers/app.js';
import { openTestDb } from '../helpers/db.js';
import { countRequests, fakeCommentIds, fakeWallIds, postCounts, range, seedThreads, seedWalls, startVkWorld, storedIds, vkSources, type VkWorld } from './vk-world.js';

const MIN = 60_000;
/**
 * Scale here is 100 communities (a few seconds); the 1,000-community run of the
 * same cycles is `npm run bench:poll`, which prints requests per community.
 */
const N = 100;
/** Issue 3's ceiling, 45 requests per 1,000 walls, for N walls. */
const LIMIT = Math.ceil((45 * N) / 1000);
let h: Awaited<ReturnType<typeof openTestDb>>;
let world: VkWorld;

beforeAll(async () => {
  h = await openTestDb();
  world = await startVkWorld();
});
afterAll(async () => {
  await world?.close();
  await h?.close();
});
beforeEach(async () => h.reset());

/** An app polling `installSources` through a fresh VK adapter, on the world's clock. */
function vkApp(installSources: ReturnType<typeof vkSources>, extra: Parameters<typeof createTestApp>[1] = {}) {
  return createTestApp(h, { installation: testInstallation(installSources), createAdapters: () => world.adapters(), clock: world.clock, ...extra });
}

async function sourceRows() {
  return h.db.select().from(sources).orderBy(sources.id);
}

describe('VK walls at scale through the poller', () => {
  it('100 communities × 20 new posts: one cycle in ≤ 5 requests stores 2,000 posts once; quiet and small cycles after', async () => {
    const { fake, clock } = world;
    const ids = range(100_001, N);
    seedWalls(fake, ids, 20);
    const app = await vkApp(vkSources('wall', ids));

    const first = await countRequests(fake, () => app.poller.pollOnce({ force: true }));
    expect(first.result).toEqual({ polled: N, failed: 0, fetched: 20 * N, newPosts: 20 * N });
    expect(first.requests).toBeLessThanOrEqual(LIMIT);
    expect(await postCounts(h.db)).toEqual({ rows: 20 * N, distinct: 20 * N });
    expect(await storedIds(h.db)).toEqual(fakeWallIds(fake, ids).sort());
    const rows = await sourceRows();
    expect(rows.every((r) => r.status === 'ok' && r.postsSeen === 20 && r.cursor !== null && r.leaseUntil === null)).toBe(true);

    // Next cycle, when the interval has passed and nothing is new: re-reads inside the overlap window are absorbed.
    clock.advance(5 * MIN);
    const quiet = await countRequests(fake, () => app.poller.pollOnce());
    expect(quiet.result).toMatchObject({ polled: N, failed: 0, newPosts: 0 });
    expect(quiet.requests).toBeLessThanOrEqual(LIMIT);
    expect(await postCounts(h.db)).toEqual({ rows: 20 * N, distinct: 20 * N });

    // One new post in 10 communities.
    const touched = ids.filter((_, i) => i % 10 === 7);
    seedWalls(fake, touched, 1);
    clock.advance(5 * MIN);
    const small = await countRequests(fake, () => app.poller.pollOnce());
    expect(small.result).toMatchObject({ polled: N, failed: 0, newPosts: 10 });
    expect(small.requests).toBeLessThanOrEqual(LIMIT);
    expect(await postCounts(h.db)).toEqual({ rows: 20 * N + 10, distinct: 20 * N + 10 });
    expect(await storedIds(h.db)).toEqual(fakeWallIds(fake, ids).sort());
  });

  it('stored posts go through the pipeline once (smaller run: 20 communities × 5 posts)', async () => {
    const { fake, clock } = world;
    const ids = range(150_001, 20);
    seedWalls(fake, ids, 5);
    const app = await vkApp(vkSources('wall', ids));
    expect((await app.poller.pollOnce({ force: true })).newPosts).toBe(100);
    expect((await app.processPending()).processed).toBe(100);
    expect(await h.db.$count(posts, isNull(posts.processedAt))).toBe(0);

    clock.advance(5 * MIN);
    expect((await app.poller.pollOnce()).newPosts).toBe(0);
    expect((await app.processPending()).processed).toBe(0);
  });
});

describe('VK comments at scale', () => {
  it('comments under 10 recent posts of 100 communities: ≤ 45 requests, every comment stored once', async () => {
    const { fake, clock } = world;
    const ids = range(200_001, 100);
    seedThreads(fake, ids, 10, 3);
    const app = await vkApp(vkSources('comments', ids));

    const first = await countRequests(fake, () => app.poller.pollOnce({ force: true }));
    expect(first.result).toEqual({ polled: 100, failed: 0, fetched: 3000, newPosts: 3000 });
    expect(first.requests).toBeLessThanOrEqual(45);
    const expected = fakeCommentIds(fake, ids).sort();
    expect(expected).toHaveLength(3000);
    expect(await storedIds(h.db)).toEqual(expected);

    // A quiet cycle reads only the walls (unchanged threads are skipped); one new comment arrives once.
    clock.advance(5 * MIN);
    const quiet = await countRequests(fake, () => app.poller.pollOnce());
    expect(quiet.result).toMatchObject({ polled: 100, newPosts: 0 });
    expect(quiet.requests).toBeLessThanOrEqual(4);
    fake.addComment(ids[42]!, 5, { text: 'Уже неделю не горят фонари у школы', from_id: 9001 });
    clock.advance(5 * MIN);
    expect((await app.poller.pollOnce()).newPosts).toBe(1);
    expect(await postCounts(h.db)).toEqual({ rows: 3001, distinct: 3001 });
  });
});

describe('a poller killed between fetching and committing', () => {
  it.each<PipelineStep>(['fetched', 'stored'])('crash after "%s": a restart after the lease loses and doubles nothing', async (step) => {
    const { fake, clock } = world;
    const base = step === 'fetched' ? 300_001 : 310_001;
    const ids = range(base, 100);
    seedWalls(fake, ids, 20);
    const installSources = vkSources('wall', ids);
    let reached = 0;
    const dying = await vkApp(installSources, {
      faults: (s) => {
        if (s === step && ++reached === 40) throw new Error(`killed after ${step}`);
      },
    });
    await expect(dying.poller.pollOnce({ force: true })).rejects.toThrow(/killed/);
    // 39 sources were committed; the 40th's posts were (stored) or were not (fetched) written, its cursor was not moved.
    const stored = step === 'fetched' ? 39 * 20 : 40 * 20;
    expect(await postCounts(h.db)).toEqual({ rows: stored, distinct: stored });
    expect((await sourceRows()).filter((r) => r.cursor !== null)).toHaveLength(39);

    // A new process (another instance name) before the lease runs out takes only the sources nobody holds.
    const restarted = await vkApp(installSources, { env: readEnv({ OTKLIK_INSTANCE: 'restarted' }) });
    const early = await restarted.poller.pollOnce({ force: true });
    expect(early).toMatchObject({ polled: 39, failed: 0, newPosts: 0 });

    clock.advance(11 * MIN);
    const late = await restarted.poller.pollOnce({ force: true });
    expect(late).toMatchObject({ polled: 100, failed: 0, newPosts: 2000 - stored });
    expect(await postCounts(h.db)).toEqual({ rows: 2000, distinct: 2000 });
    expect(await storedIds(h.db)).toEqual(fakeWallIds(fake, ids).sort());
    // posts_seen counts rows a poll inserted: the 40th source's posts, stored by the dead poller, are not counted again.
    const rows = await sourceRows();
    expect(rows.every((r) => r.leaseUntil === null && r.status === 'ok')).toBe(true);
    expect(rows.reduce((n, r) => n + r.postsSeen, 0)).toBe(step === 'stored' ? 2000 - 20 : 2000);
  });
});

describe('failing communities in the same batch', () => {
  // 5 posts per community here: each cycle re-reads every wall inside the overlap window, and 20 would only slow the run.
  it('error 30 → broken (admins told once), error 9 → backoff; the other 98 are stored and keep being read', async () => {
    const { fake, clock } = world;
    const ids = range(400_001, N);
    const [privateId, floodedId] = [ids[12]!, ids[77]!];
    fake.addCommunity({ id: privateId, name: 'Закрытое сообщество', errorCode: 30 });
    fake.addCommunity({ id: floodedId, errorCode: 9 });
    seedWalls(fake, ids, 5);
    const told: string[] = [];
    const installSources = vkSources('wall', ids).map((s) => (s.ref === `-${privateId}` ? { ...s, name: 'Закрытое сообщество' } : s));
    const app = await vkApp(installSources, { notifier: { toAdmins: async (t) => void told.push(t), toManagers: async () => {}, send: async () => {} } });

    const first = await countRequests(fake, () => app.poller.pollOnce({ force: true }));
    expect(first.result).toEqual({ polled: N - 2, failed: 2, fetched: 5 * (N - 2), newPosts: 5 * (N - 2) });
    expect(first.requests).toBeLessThanOrEqual(LIMIT);
    expect(await postCounts(h.db)).toEqual({ rows: 5 * (N - 2), distinct: 5 * (N - 2) });
    const expected = fakeWallIds(fake, ids.filter((id) => id !== privateId && id !== floodedId)).sort();
    expect(await storedIds(h.db)).toEqual(expected);

    const byRef = async (id: number) => (await h.db.select().from(sources).where(eq(sources.reference, `-${id}`)))[0]!;
    const broken = await byRef(privateId);
    expect(broken).toMatchObject({ status: 'broken', failures: 1, postsSeen: 0, cursor: null });
    expect(broken.lastError).toMatch(/30/);
    expect(broken.backoffUntil!.getTime()).toBeGreaterThan(clock.now().getTime());
    const flooded = await byRef(floodedId);
    expect(flooded).toMatchObject({ status: 'backoff', failures: 1, postsSeen: 0 });
    expect(flooded.backoffUntil!.getTime()).toBe(clock.now().getTime() + 10 * MIN);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('Закрытое сообщество');

    // Forced and scheduled cycles later: still told once, the healthy ones keep getting new posts.
    await app.poller.pollOnce({ force: true });
    for (let cycle = 0; cycle < 3; cycle++) {
      seedWalls(fake, [ids[cycle]!], 1);
      clock.advance(11 * MIN);
      const c = await app.poller.pollOnce();
      expect(c.newPosts).toBe(1);
      expect(c.failed).toBe(1); // the flooded one is retried after its pause; the broken one waits hours
    }
    expect(told).toHaveLength(1);
    expect((await byRef(privateId)).status).toBe('broken');
    expect(await h.db.$count(posts, sql`${posts.externalId} like ${`-${privateId}_%`}`)).toBe(0);
  });

  it('error 6 inside an execute is retried and the posts arrive', async () => {
    const { fake } = world;
    const ids = range(500_001, 30);
    seedWalls(fake, ids, 2);
    const app = await vkApp(vkSources('wall', ids));
    fake.failNext('wall.get', { error_code: 6, error_msg: 'Too many requests per second' });
    const callsBefore = fake.calls.length;
    const c = await app.poller.pollOnce({ force: true });
    expect(c).toEqual({ polled: 30, failed: 0, fetched: 60, newPosts: 60 });
    const wallGets = fake.calls.slice(callsBefore).filter((x) => x.method === 'wall.get');
    expect(wallGets).toHaveLength(31); // one call was answered with 6 and asked again
    expect(wallGets.every((x) => x.inExecute)).toBe(true);
    expect(await storedIds(h.db)).toEqual(fakeWallIds(fake, ids).sort());
  });
});

describe('real walls within VK limits (an execute answer is at most 5 MB)', () => {
  it('100 walls × 100 posts with photos are read completely in the first cycle — error 13 splits the batch, nothing is resent unchanged — and a quiet second cycle costs ≤ 1 request per 25 walls', { timeout: 180_000 }, async () => {
    const { fake, clock } = world;
    const ids = range(600_001, N);
    seedWalls(fake, ids, 100, { photos: true });
    const app = await vkApp(vkSources('wall', ids).map((s) => ({ ...s, options: { count: 100 } })));
    const before = fake.requests.length;
    const first = await countRequests(fake, () => app.poller.pollOnce({ force: true }));
    expect(first.result).toEqual({ polled: N, failed: 0, fetched: 100 * N, newPosts: 100 * N });
    const executes = fake.requests.slice(before).filter((r) => r.method === 'execute');
    // 25 walls of 100 photo posts are about 9 MB: VK answers 13 and the halves go instead, each code once.
    expect(executes.length).toBeGreaterThan(N / 25);
    expect(new Set(executes.map((r) => r.params.code)).size).toBe(executes.length);
    expect(await storedIds(h.db)).toEqual(fakeWallIds(fake, ids).sort());

    clock.advance(5 * MIN);
    const quiet = await countRequests(fake, () => app.poller.pollOnce());
    expect(quiet.result).toMatchObject({ polled: N, failed: 0, newPosts: 0 });
    expect(quiet.requests).toBeLessThanOrEqual(N / 25);
  });
});
