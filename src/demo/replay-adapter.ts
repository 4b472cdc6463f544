import type { Clock } from '../clock.js';
import type { ChannelAdapter, Cursor, PollResult, SourceRef } from '../domain/source.js';

/**
 * Wraps the file adapter for the demo: hands out a feed's posts only once the
 * simulated clock has reached their publication time, as a live network would.
 * The cursor is the number of posts handed out, like the file adapter's.
 */
export function createReplayAdapter(file: ChannelAdapter, clock: Clock): ChannelAdapter {
  const cache = new Map<string, PollResult['posts']>();
  return {
    channel: 'file',
    kinds: file.kinds,
    async poll(source: SourceRef, cursor: Cursor): Promise<PollResult> {
      let all = cache.get(source.reference);
      if (!all) {
        all = [];
        for (let c: Cursor = null; ; ) {
          const page = await file.poll(source, c);
          if (!page.posts.length) break;
          all.push(...page.posts);
          c = page.cursor;
        }
        all.sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
        cache.set(source.reference, all);
      }
      const from = cursor ? Number(cursor) : 0;
      let to = from;
      while (to < all.length && all[to]!.publishedAt <= clock.now()) to++;
      return { posts: all.slice(from, to), cursor: String(to) };
    },
  };
}
