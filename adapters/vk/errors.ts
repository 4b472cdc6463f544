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

/** What the admins are told (in Russian, naming the setting to fix) when a source stops for good. */
const BROKEN_HINTS: Record<number, string> = {
  5: 'ключ недействителен или отозван: выпустите новый VK_TOKEN / VK_GROUP_TOKEN',
  7: 'у ключа нет прав на этот метод: выпустите VK_TOKEN / VK_GROUP_TOKEN с нужными правами',
  15: 'доступ запрещён: сообщество закрыто, удалено или заблокировало владельца ключа',
  18: 'страница удалена или заблокирована',
  27: 'этот метод не принимает ключ сообщества: задайте VK_TOKEN (ключ пользователя или сервисный)',
  30: 'профиль или сообщество закрыто',
  100: 'VK отклонил параметр: проверьте ref источника в конфигурации',
  203: 'доступ к сообществу запрещён',
  212: 'комментарии в сообществе закрыты или скрыты',
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
  if (hint) return new SourceError('broken', `VK, ошибка ${code} (${api ?? 'метод'}): ${hint} (${message})`, base);
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
