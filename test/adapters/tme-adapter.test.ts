import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTmeAdapter } from '../../adapters/telegram/tme/index.js';
import { SourceError, type SourceRef } from '../../src/domain/source.js';
import { startTmeFake, type TmeFake } from '../fakes/tme-server.js';

let fake: TmeFake;
beforeAll(async () => {
  fake = await startTmeFake();
});
afterAll(() => fake.close());

const source = (reference: string): SourceRef => ({ id: 7, channel: 'telegram', kind: 'tme', reference, options: {} });
const adapter = (o: Parameters<typeof createTmeAdapter>[0] = {}) => createTmeAdapter({ baseUrl: fake.baseUrl, timeoutMs: 2000, ...o });
const addPosts = (chan: string, n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => fake.addPost(chan, { text: `Сообщение ${from + i}\nвторая строка`, date: new Date(Date.UTC(2026, 2, 1, 8, from + i)) }));

describe('t.me/s adapter', () => {
  it('reads the first page, then only new posts, paging back to the cursor', async () => {
    fake.addChannel('Kursk_Gorod', { title: 'Город' });
    addPosts('Kursk_Gorod', 30);
    fake.addPost('Kursk_Gorod', { text: 'Фото', photoUrl: 'https://cdn.example/a.jpg', nested: true });
    fake.addPost('Kursk_Gorod', { text: '', service: true });
    const tme = adapter();
    const first = await tme.poll(source('@Kursk_Gorod'), null);
    // First poll: one page of 20 (the service message takes one slot), not the archive.
    expect(first.posts).toHaveLength(19);
    expect(first.posts.at(-1)).toMatchObject({ text: 'Фото', raw: expect.objectContaining({ photos: ['https://cdn.example/a.jpg'] }) });
    expect(first.cursor).toBe(String(first.posts.at(-1)!.externalId.split('/')[1]));

    fake.skipIds('Kursk_Gorod', 3);
    const added = addPosts('Kursk_Gorod', 45, 100);
    const before = fake.requests.length;
    const second = await tme.poll(source('https://t.me/Kursk_Gorod'), first.cursor);
    expect(second.posts.map((p) => p.text)).toEqual(added.map((p) => p.text));
    expect(second.posts[0]!.text).toBe('Сообщение 100\nвторая строка');
    expect(fake.requests.slice(before)).toHaveLength(3);
    expect(fake.requests.at(-1)).toMatch(/\?before=\d+$/);
    expect(second.cursor).toBe(String(added.at(-1)!.id));

    const third = await tme.poll(source('Kursk_Gorod'), second.cursor);
    expect(third).toEqual({ posts: [], cursor: second.cursor });
  });

  it('stops after maxPages and moves the cursor past the gap', async () => {
    fake.addChannel('busy_chan');
    addPosts('busy_chan', 5);
    const tme = adapter({ maxPages: 2 });
    const first = await tme.poll(source('busy_chan'), null);
    addPosts('busy_chan', 70, 10);
    const second = await tme.poll(source('busy_chan'), first.cursor);
    expect(second.posts).toHaveLength(40);
    expect(second.cursor).toBe(String(fake.channels.get('busy_chan')!.posts.at(-1)!.id));
  });

  it('reports a redirect away from /s/ as broken (preview unavailable)', async () => {
    fake.addChannel('closed_chan', { redirect: true });
    const e = await adapter().poll(source('closed_chan'), null).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SourceError);
    expect(e).toMatchObject({ kind: 'broken', message: expect.stringMatching(/preview unavailable/) });
  });

  it.each([
    ['429 with Retry-After', 'backoff', { status: 429, retryAfter: 30 }, 30_000],
    ['429 without Retry-After', 'backoff', { status: 429 }, 60_000],
    ['502', 'retry', { status: 502 }, undefined],
    ['a timeout', 'retry', { delayMs: 1500 }, undefined],
  ] as const)('maps %s to %s', async (_name, kind, fault, retryAfterMs) => {
    fake.addChannel('flaky_chan');
    fake.failNext(fault);
    const e = (await adapter({ timeoutMs: 300 }).poll(source('flaky_chan'), null).catch((x: unknown) => x)) as SourceError;
    expect(e).toBeInstanceOf(SourceError);
    expect(e.kind).toBe(kind);
    expect(e.details.retryAfterMs).toBe(retryAfterMs);
  });

  it('rejects a reference that is not a channel username', async () => {
    await expect(adapter().poll(source('https://example.org/x'), null)).rejects.toMatchObject({ kind: 'broken' });
  });
});
