import { SourceError } from '../../../src/domain/source.js';

export interface TmeFetchOptions {
  baseUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  /** Pause after a 429 without Retry-After. */
  backoffMs: number;
}

const api = 't.me/s';

function redirectError(chan: string, location: string): SourceError {
  return new SourceError(
    'broken',
    `t.me/s/${chan}: preview unavailable (redirected to ${location}); the channel disabled its web preview, was renamed or does not exist`,
    { code: 'redirect', api },
  );
}

function statusError(chan: string, res: Response, backoffMs: number): SourceError {
  const where = `t.me/s/${chan}: HTTP ${res.status}`;
  if (res.status === 429) {
    const seconds = Number(res.headers.get('retry-after'));
    return new SourceError('backoff', where, { code: 429, api, retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : backoffMs });
  }
  if (res.status >= 500) return new SourceError('retry', where, { code: res.status, api });
  return new SourceError('broken', where, { code: res.status, api });
}

/**
 * GETs one t.me/s page. Redirects are not followed: t.me sends a channel with the preview
 * disabled to `/<chan>` (no `/s/`), which is a page without posts, not an empty channel.
 */
export async function fetchTmePage(o: TmeFetchOptions, chan: string, before: number | null, signal?: AbortSignal): Promise<string> {
  const url = `${o.baseUrl}/s/${encodeURIComponent(chan)}${before ? `?before=${before}` : ''}`;
  const timeout = AbortSignal.timeout(o.timeoutMs);
  let res: Response;
  let html: string;
  try {
    res = await o.fetch(url, {
      redirect: 'manual',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      headers: { 'user-agent': 'Mozilla/5.0 (compatible; otklik)', 'accept-language': 'ru,en;q=0.8' },
    });
    html = await res.text();
  } catch (e) {
    if (signal?.aborted) throw e;
    const why = timeout.aborted ? `timed out after ${o.timeoutMs} ms` : `network error: ${(e as Error).message}`;
    throw new SourceError('retry', `t.me/s/${chan}: ${why}`, { api, cause: e });
  }
  if (res.status >= 300 && res.status < 400) throw redirectError(chan, res.headers.get('location') ?? '?');
  if (!res.ok) throw statusError(chan, res, o.backoffMs);
  if (!html.includes('tgme_channel_history') && !html.includes('tgme_widget_message')) {
    throw new SourceError('broken', `t.me/s/${chan}: not a public channel preview page`, { api });
  }
  return html;
}
