/**
 * A VK "world" for end-to-end runs: the VK fake, one manual clock shared by the
 * fake, the adapter and the app, and helpers to seed communities and to read
 * back what the fake holds, so tests compare the database with the fake's state.
 * Used by test/e2e and by the poll benchmark.
 */
import { sql } from 'drizzle-orm';
import { createVkAdapter } from '../../adapters/vk/index.js';
import { ManualClock } from '../../src/clock.js';
import type { Installation } from '../../src/config/installation.js';
import type { Db } from '../../src/db/client.js';
import { posts } from '../../src/db/schema.js';
import type { ChannelAdapter } from '../../src/domain/source.js';
import { startVkFake, type VkFake } from '../fakes/vk-server.js';
import type { FakeComment } from '../fakes/vk-state.js';

export const VK_TOKEN = 'e2e-vk-user-token';
export const T0 = '2026-11-16T09:00:00+03:00';

export interface VkWorld {
  clock: ManualClock;
  fake: VkFake;
  /** A fresh adapter (as a restarted process would build), on the world's clock. */
  adapter(): ChannelAdapter;
  /** The `createAdapters` option for createTestApp/createApp. */
  adapters(): Map<'vk', ChannelAdapter>;
  close(): Promise<void>;
}

export async function startVkWorld(clock = new ManualClock(T0)): Promise<VkWorld> {
  const fake = await startVkFake({ now: () => Math.floor(clock.now().getTime() / 1000), tokens: [VK_TOKEN] });
  // rps is high so vk-io's spacing does not slow the run; retryDelayMs keeps error-6 retries quick.
  const adapter = () => createVkAdapter({ token: VK_TOKEN, apiBaseUrl: fake.apiBaseUrl, rps: 1000, retryDelayMs: 1, clock });
  return { clock, fake, adapter, adapters: () => new Map([['vk', adapter()]]), close: () => fake.close() };
}

/** Installation sources for communities `ids`, as the YAML config would give them. */
export function vkSources(kind: 'wall' | 'comments', ids: number[]): Installation['sources'] {
  return ids.map((id) => ({ channel: 'vk' as const, kind, ref: `-${id}`, enabled: true, interval: 300, options: {} }));
}

export const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

/** Adds `n` new posts to each community (written for the tests, not citizens' words); with `photos`, each carries a photo. */
export function seedWalls(fake: VkFake, ids: number[], n: number, opts: { errorCode?: number; photos?: boolean } = {}): void {
  for (const id of ids) {
    if (!fake.state.communities.has(id)) fake.addCommunity({ id, ...(opts.errorCode ? { errorCode: opts.errorCode } : {}) });
    for (let i = 0; i < n; i++) {
      const text = `Во дворе дома ${i + 1} не убран снег, сообщество ${id}`;
      fake.addPost(id, opts.photos ? { text, attachments: [fakePhoto(-id, id * 1000 + i)] } : { text });
    }
  }
}

/**
 * A photo attachment shaped like VK's 5.199 `photo` (ten sizes with CDN URLs and
 * the original): about 3.5 KB of JSON, so 25 walls of 100 such posts pass the
 * 5 MB `execute` limit as real walls do.
 */
export function fakePhoto(ownerId: number, id: number) {
  const url = (t: string, w: number, h: number) =>
    `https://sun9-${id % 80}.userapi.com/s/v1/ig2/${'x'.repeat(120)}${id}.jpg?quality=95&as=32x24,48x36,72x54,108x81,160x120,240x180,360x270,480x360,540x405,640x480&from=bu&cs=${w}x${h}&type=${t}`;
  const sizes = [['s', 75, 56], ['m', 130, 97], ['x', 604, 453], ['y', 807, 605], ['z', 1280, 960], ['w', 2560, 1920], ['o', 130, 97], ['p', 200, 150], ['q', 320, 240], ['r', 510, 383]] as const;
  return {
    type: 'photo',
    photo: {
      album_id: -7, date: 1763276400, id, owner_id: ownerId, access_key: 'a1b2c3d4e5f6a7b8c9', post_id: id, text: '', web_view_token: 'f0e1d2c3b4a59687', has_tags: false,
      sizes: sizes.map(([type, width, height]) => ({ height, type, width, url: url(type, width, height) })),
      orig_photo: { height: 1920, type: 'base', url: url('base', 2560, 1920), width: 2560 },
    },
  };
}

/** `n` administration posts per community with `commentsEach` residents' comments under each. */
export function seedThreads(fake: VkFake, ids: number[], n: number, commentsEach: number): void {
  for (const id of ids) {
    if (!fake.state.communities.has(id)) fake.addCommunity({ id });
    for (let i = 0; i < n; i++) {
      const post = fake.addPost(id, { text: `Администрация сообщает о плановых работах, выпуск ${i + 1}` });
      for (let c = 0; c < commentsEach; c++) fake.addComment(id, post.id, { text: `А у нас на улице ${c + 1} снова нет света`, from_id: 5000 + c });
    }
  }
}

/** External ids of every wall post the fake holds for `ids` (the adapter's `owner_id` + `_` + id). */
export function fakeWallIds(fake: VkFake, ids: number[]): string[] {
  return ids.flatMap((id) => fake.state.communities.get(id)?.posts.map((p) => `${p.owner_id}_${p.id}`) ?? []);
}

/** External ids of every comment (replies included) under the posts of `ids`. */
export function fakeCommentIds(fake: VkFake, ids: number[]): string[] {
  const out: string[] = [];
  for (const id of ids) {
    for (const p of fake.state.communities.get(id)?.posts ?? []) {
      const walk = (list: FakeComment[]): void => {
        for (const c of list) (out.push(`${-id}_${p.id}_c${c.id}`), walk(c.replies));
      };
      walk(fake.state.comments.get(`${-id}_${p.id}`) ?? []);
    }
  }
  return out;
}

/** Row count and distinct (channel, external id) count of stored posts. */
export async function postCounts(db: Db): Promise<{ rows: number; distinct: number }> {
  const [r] = await db.select({ rows: sql<number>`count(*)::int`, distinct: sql<number>`count(distinct (${posts.channel}, ${posts.externalId}))::int` }).from(posts);
  return { rows: r!.rows, distinct: r!.distinct };
}

/** Sorted external ids of the stored posts of one channel. */
export async function storedIds(db: Db, channel = 'vk'): Promise<string[]> {
  const rows = await db.select({ id: posts.externalId }).from(posts).where(sql`${posts.channel} = ${channel}`);
  return rows.map((r) => r.id).sort();
}

/** HTTP requests the fake got while `fn` ran. */
export async function countRequests<T>(fake: VkFake, fn: () => Promise<T>): Promise<{ result: T; requests: number }> {
  const before = fake.requests.length;
  const result = await fn();
  return { result, requests: fake.requests.length - before };
}
