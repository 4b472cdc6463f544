import { TelegramError } from 'telegraf';
import { SourceError } from '../../../src/domain/source.js';

/**
 * A reply may or may not have reached Telegram (timeout, reset connection, 5xx).
 * The Bot API has no idempotency key, so resending could post twice: the caller
 * must mark the reply "unconfirmed" for a human to check instead of retrying.
 */
export class AmbiguousDeliveryError extends Error {
  constructor(
    message: string,
    readonly idempotencyKey: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AmbiguousDeliveryError';
  }
}

export function isTelegramError(err: unknown): err is TelegramError {
  return err instanceof TelegramError || (typeof err === 'object' && err !== null && 'response' in err && 'on' in err);
}

/** Seconds Telegram asked us to wait (429), or null. */
export function retryAfterSec(err: unknown): number | null {
  if (!isTelegramError(err) || err.code !== 429) return null;
  const s = err.parameters?.retry_after;
  return typeof s === 'number' && s >= 0 ? s : 5;
}

const CONFLICT_FIX =
  'another getUpdates consumer uses this token: the bot runs elsewhere in polling mode or has a webhook ' +
  '(stop the other instance, or call deleteWebhook if the webhook is not ours)';

/** Sorts a failed getUpdates into retry / backoff / broken (see SourceErrorKind). */
export function toSourceError(err: unknown, which: string): SourceError {
  if (err instanceof SourceError) return err;
  const api = `telegram ${which} getUpdates`;
  if (isTelegramError(err)) {
    const code = err.code;
    const after = retryAfterSec(err);
    if (after !== null) {
      return new SourceError('backoff', `Telegram ${which}: flood control, retry after ${after} s`, { code, retryAfterMs: after * 1000, api, cause: err });
    }
    if (code === 409) return new SourceError('broken', `Telegram ${which}: 409 Conflict: ${CONFLICT_FIX}`, { code, api, cause: err });
    if (code === 401) {
      return new SourceError('broken', `Telegram ${which}: 401 Unauthorized: the token was revoked or is wrong; get a new one from @BotFather`, { code, api, cause: err });
    }
    if (code >= 500) return new SourceError('retry', `Telegram ${which}: server error ${code} ${err.description}`, { code, api, cause: err });
    return new SourceError('broken', `Telegram ${which}: ${code} ${err.description}`, { code, api, cause: err });
  }
  // node-fetch FetchError (network), AbortError (our timeout) and anything else transient.
  const message = err instanceof Error ? err.message : String(err);
  return new SourceError('retry', `Telegram ${which}: network error: ${message}`, { api, cause: err });
}
