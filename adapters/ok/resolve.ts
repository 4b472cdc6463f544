import { SourceError } from '../../src/domain/source.js';
import type { OkClient } from './client.js';

/**
 * Turns a source reference into a numeric group id: ids pass through, a short name
 * ("kursk_news") or a URL ("https://ok.ru/group/123", "ok.ru/kursk_news") goes through
 * `url.getInfo`. Answers are cached for the life of the adapter.
 */
export function createGroupResolver(client: OkClient): (reference: string, signal?: AbortSignal) => Promise<string> {
  const cache = new Map<string, string>();
  return async (reference, signal) => {
    const ref = reference.trim();
    if (/^\d+$/.test(ref)) return ref;
    const hit = cache.get(ref);
    if (hit) return hit;
    const url = /^https?:\/\//i.test(ref) ? ref : `https://ok.ru/${ref.replace(/^(ok\.ru\/)?\/*/i, '')}`;
    const info = await client.call<{ objectId?: number | string; objectIdStr?: string; type?: string }>('url.getInfo', { url }, { signal });
    const id = info?.objectIdStr ?? (info?.objectId == null ? undefined : String(info.objectId));
    if (!id || String(info?.type ?? '').toUpperCase() !== 'GROUP') {
      throw new SourceError('broken', `OK: "${reference}" is not a group (url.getInfo answered ${JSON.stringify(info)})`, { api: 'url.getInfo' });
    }
    cache.set(ref, id);
    return id;
  };
}
