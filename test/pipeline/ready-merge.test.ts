import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileAdapter } from '../../adapters/file/index.js';
import { incidents } from '../../src/db/schema.js';
import { createTestApp, testInstallation } from '../helpers/app.js';
import { openTestDb } from '../helpers/db.js';

const line = (l: Record<string, string>) => `${JSON.stringify({ kind: 'post', channel: 'vk', ...l })}\n`;
const ORIGINAL = 'Третий день нет горячей воды на ул. Дзержинского 78, когда дадут?';

describe('an incident whose answer is ready but not yet published is still open', () => {
  let h: Awaited<ReturnType<typeof openTestDb>>;
  beforeAll(async () => (h = await openTestDb()));
  afterAll(async () => h?.close());

  it('a repost, a "me too" comment and, after a restart, a near-duplicate join it instead of opening new incidents', async () => {
    const feed = join(mkdtempSync(join(tmpdir(), 'otklik-ready-')), 'feed.jsonl');
    writeFileSync(feed, line({ external_id: '-1_1', text: ORIGINAL, published_at: '2026-11-16T08:00:00+03:00' }));
    const start = () =>
      createTestApp(h, {
        installation: testInstallation([{ channel: 'file', kind: 'jsonl', ref: feed, enabled: true, interval: 60, options: {} }]),
        createAdapters: () => new Map([['file', createFileAdapter({ batchSize: 10 })]]),
      });
    const app = await start();
    await app.poller.pollOnce({ force: true });
    await app.processPending();
    const [first] = await h.db.select().from(incidents);
    expect(first).toBeDefined();
    // The department gave the substance; the press service has not published yet.
    await h.db.update(incidents).set({ status: 'ready' }).where(eq(incidents.id, first!.id));

    appendFileSync(feed, line({ external_id: '-1_3', repost_of: '-1_1', text: ORIGINAL, published_at: '2026-11-16T10:00:00+03:00' }));
    appendFileSync(feed, line({ external_id: '-1_1_c1', kind: 'comment', parent_external_id: '-1_1', text: 'У нас в соседнем подъезде тоже нет горячей воды, третий день', published_at: '2026-11-16T10:10:00+03:00' }));
    await app.poller.pollOnce({ force: true });
    await app.processPending();
    // A restarted process (its near-duplicate index loaded from the database) sees it too.
    const restarted = await start();
    appendFileSync(feed, line({ external_id: '-1_2', text: 'На Дзержинского 78 опять без горячей воды, дети не помыты!!!', published_at: '2026-11-16T10:20:00+03:00' }));
    await restarted.poller.pollOnce({ force: true });
    await restarted.processPending();

    const [n] = await h.db.select({ n: sql<number>`count(*)::int` }).from(incidents);
    expect(n!.n).toBe(1);
    const [after] = await h.db.select().from(incidents).where(eq(incidents.id, first!.id));
    expect(after!.postsCount).toBe(4);
    expect(after!.status).toBe('ready');
  });
});
