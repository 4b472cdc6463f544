import { SourceError } from '../../src/domain/source.js';

/** VK error codes the adapter treats specially (vk-api-schema errors.json). */
export const VK_ERR = {
  AUTH: 5,
  TOO_MANY: 6,
  PERMISSION: 7,
  FLOOD: 9,
  SERVER: 10,
  /** execute: runtime error — too many calls, or "response size is too big" (over 5 MB). */
  RUNTIME: 13,
  CAPTCHA: 14,
  ACCESS: 15,
  USER_DELETED: 18,
  GROUP_AUTH: 27,
  RATE_LIMIT: 29,
  PRIVATE_PROFILE: 30,
  PARAM: 100,
  GROUP_ACCESS: 203,
  WALL_ACCESS_REPLIES: 212,
} as const;

/** How long a source pauses after flood control (9) and the daily method quota (29). */
export const BACKOFF_MS = { flood: 10 * 60_000, rateLimit: 60 * 60_000, captcha: 10 * 60_000 } as const;

const BROKEN_HINTS: Record<number, string> = {
  5: 'the token is invalid or revoked: issue a new VK_TOKEN / VK_GROUP_TOKEN',
  7: 'the token lacks the right for this method',
  15: 'access denied: the community is closed, deleted or bans the token owner',
  18: 'the page was deleted or banned',
  27: 'this method does not accept a community token: set VK_TOKEN (user or service token)',
  30: 'the profile or community is private',
  100: 'VK rejected a parameter: check the source reference',
  203: 'access to the community is denied',
  212: 'comments are closed or hidden for this community',
};

/**
 * Sorts a VK API error code into what the poller should do with the source.
 * Pure, so it is table-tested: 6 and 10 are transient (`retry`; the adapter
 * retries them itself first), 9/29/14 pause the source, the rest need a human.
 * Unknown codes count as transient: a source should not go dark on a code we
 * never saw, and repeated failures still surface as `retry` errors.
 */
export function vkCodeToSourceError(code: number, message: string, api?: string): SourceError {
  const base = { code, api };
  if (code === VK_ERR.TOO_MANY || code === VK_ERR.SERVER) {
    return new SourceError('retry', `VK ${api ?? ''} error ${code}: ${message}`, base);
  }
  if (code === VK_ERR.FLOOD) {
    return new SourceError('backoff', `VK flood control (9) on ${api ?? 'a method'}`, { ...base, retryAfterMs: BACKOFF_MS.flood });
  }
  if (code === VK_ERR.RATE_LIMIT) {
    return new SourceError('backoff', `VK method quota reached (29) on ${api ?? 'a method'}`, { ...base, retryAfterMs: BACKOFF_MS.rateLimit });
  }
  if (code === VK_ERR.CAPTCHA) {
    return new SourceError('backoff', 'VK asks for a captcha (14): the token makes too many requests', { ...base, retryAfterMs: BACKOFF_MS.captcha });
  }
  const hint = BROKEN_HINTS[code];
  if (hint) return new SourceError('broken', `VK error ${code} on ${api ?? 'a method'}: ${hint} (${message})`, base);
  return new SourceError('retry', `VK error ${code} on ${api ?? 'a method'}: ${message}`, base);
}

/**
 * Sorts anything a VK call can throw: vk-io's APIError/ExecuteError (has a numeric
 * `code`), timeouts (AbortError), network and JSON-parse failures (HTTP 5xx pages).
 */
export function toSourceError(err: unknown, api?: string): SourceError {
  if (err instanceof SourceError) return err;
  const e = err as { code?: unknown; message?: string; name?: string; method?: string } | undefined;
  const message = e?.message ?? String(err);
  if (typeof e?.code === 'number') {
    const text = message.replace(/^Code №\d+ - /, '');
    return vkCodeToSourceError(e.code, text, e.method ?? api);
  }
  const what = e?.name === 'AbortError' || /abort|timeout/i.test(message) ? 'timed out' : 'failed';
  return new SourceError('retry', `VK ${api ?? 'request'} ${what}: ${message}`, { api, cause: err, code: e?.name });
}

/** True when a failure is worth retrying inside the adapter before giving up. */
export function isTransient(err: SourceError): boolean {
  // An execute runtime error (13) comes back the same for the same code: it is split or fails, never resent as it was.
  return err.kind === 'retry' && err.details.code !== VK_ERR.RUNTIME;
}

/** VK refused an `execute` because its answer would exceed 5 MB: the same calls in smaller batches fit. */
export function isResponseTooBig(err: SourceError): boolean {
  return err.details.code === VK_ERR.RUNTIME && /response size/i.test(err.message);
}
