import type { Clock } from '../../../src/clock.js';
import type { RawPost } from '../../../src/domain/post.js';
import { SourceError, type ChannelAdapter, type Cursor, type PollResult, type SourceRef } from '../../../src/domain/source.js';
import { fetchTmePage, type TmeFetchOptions } from './fetch-page.js';
import { parseTmePage, tmePostId } from './parse.js';

export { parseTmePage, type TmePage } from './parse.js';

export interface TmeAdapterOptions {
  /** Default https://t.me (TME_BASE_URL). */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Per-page timeout. Default 15 s. */
  timeoutMs?: number;
  /** Pages read back towards the cursor in one poll. Default 5 (about 100 posts). */
  maxPages?: number;
  /** Pages read on the very first poll of a source. Default 1: recent posts, not the archive. */
  initialPages?: number;
  /** Pause after a 429 without Retry-After. Default 60 s. */
  backoffMs?: number;
  /** Not used for waiting yet; kept so the adapter is built like the others. */
  clock?: Clock;
}

/** "@Chan", "https://t.me/chan", "t.me/s/chan" → "chan"; anything else is a configuration error. */
export function tmeChannelName(reference: string): string {
  const chan = reference.trim().replace(/^@/, '').replace(/^(https?:\/\/)?t\.me\/(s\/)?/i, '').replace(/[/?#].*$/, '');
  if (!/^[A-Za-z][A-Za-z0-9_]{3,}$/.test(chan)) {
    throw new SourceError('broken', `t.me/s: "${reference}" is not a public channel username`, { api: 't.me/s' });
  }
  return chan;
}

/**
 * Public Telegram channels read through the t.me/s web preview (no credentials, no replies).
 * Source kind `tme`, reference = channel username; cursor = the largest message id seen.
 */
export function createTmeAdapter(opts: TmeAdapterOptions = {}): ChannelAdapter {
  const fetchOpts: TmeFetchOptions = {
    baseUrl: (opts.baseUrl ?? 'https://t.me').replace(/\/+$/, ''),
    fetch: opts.fetch ?? fetch,
    timeoutMs: opts.timeoutMs ?? 15_000,
    backoffMs: opts.backoffMs ?? 60_000,
  };
  const maxPages = opts.maxPages ?? 5;
  const initialPages = opts.initialPages ?? 1;

  async function poll(source: SourceRef, cursor: Cursor, signal?: AbortSignal): Promise<PollResult> {
    if (source.kind !== 'tme') throw new SourceError('broken', `t.me/s: unknown source kind "${source.kind}" (only "tme")`);
    const chan = tmeChannelName(source.reference);
    const sinceRaw = cursor === null ? null : Number(cursor);
    const since = sinceRaw !== null && Number.isInteger(sinceRaw) ? sinceRaw : null;
    const found = new Map<number, RawPost>();
    let before: number | null = null;
    for (let page = 0; page < (since === null ? initialPages : maxPages); page++) {
      const parsed = parseTmePage(await fetchTmePage(fetchOpts, chan, before, signal), chan);
      for (const p of parsed.posts) if (since === null || tmePostId(p) > since) found.set(tmePostId(p), p);
      const oldest = Math.min(...parsed.posts.map(tmePostId));
      // Ids are integers: once since+1 is on a page, nothing newer than the cursor is older than it.
      const reached = since !== null && oldest <= since + 1;
      if (reached || parsed.before === null || parsed.posts.length === 0) break;
      before = parsed.before;
    }
    // A gap beyond maxPages is given up on: the cursor moves past it rather than re-reading forever.
    const posts = [...found.values()].sort((a, b) => tmePostId(a) - tmePostId(b));
    const newest = posts.length ? tmePostId(posts.at(-1)!) : null;
    const next = Math.max(since ?? 0, newest ?? 0);
    return { posts, cursor: next > 0 ? String(next) : cursor };
  }

  return { channel: 'telegram', kinds: ['tme'], poll };
}
