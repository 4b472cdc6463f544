import type { Clock } from '../clock.js';
import type { Channel } from '../domain/post.js';
import { SourceError, type ChannelAdapter, type Cursor, type PollResult, type SourceRef } from '../domain/source.js';

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
      // The demo answers its posts through the reply publisher: give them a reply address.
      return { posts: all.slice(from, to).map((p) => ({ ...p, replyTarget: p.replyTarget ?? { type: 'demo', url: p.url ?? null } })), cursor: String(to) };
    },
  };
}

/**
 * The demo's stand-ins for VK, OK and Telegram: they read nothing (their sources fail as
 * "not configured", as before) and accept replies to demo posts, so the press service's
 * «Опубликовать» goes through the real reply publisher.
 */
export function createDemoReplyAdapters(): Array<[Channel, ChannelAdapter]> {
  return (['vk', 'ok', 'telegram'] as const).map((channel) => {
    let n = 0;
    const adapter: ChannelAdapter = {
      channel,
      kinds: [],
      poll: async () => {
        throw new SourceError('broken', `канал «${channel}» не настроен: нет токена или адаптера`);
      },
      replyRetrySafe: true,
      reply: async (target) => ({ externalId: `demo-reply-${++n}`, url: typeof target.url === 'string' ? `${target.url}#reply-${n}` : null }),
    };
    return [channel, adapter];
  });
}
