import { SourceError } from '../../src/domain/source.js';

/** "OK said no": the flat `{error_code, error_msg, error_data}` object, with the method that got it. */
export class OkApiError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly apiMessage: string,
    readonly data: unknown = null,
  ) {
    super(`OK ${method}: error ${code} ${apiMessage}`);
    this.name = 'OkApiError';
  }
}

/** "The network failed": connection errors, timeouts, 5xx. Safe to retry for reads. */
export class OkTransportError extends Error {
  constructor(
    readonly method: string,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`OK ${method}: ${message}`, options);
    this.name = 'OkTransportError';
  }
}

/** Errors the client retries itself before giving up (SERVICE, network, 5xx, timeouts). */
export function isTransientOkError(e: unknown): boolean {
  return e instanceof OkTransportError || (e instanceof OkApiError && (e.code === 2 || e.code === 1 || e.code === 9999));
}

const BACKOFF_CODES = new Set([7, 8, 9, 11]);
/** Codes that need a human: bad keys, bad ids, no rights, group closed or gone. */
const BROKEN_CODES = new Set([3, 4, 10, 100, 101, 103, 104, 160, 200, 300, 453, 454, 456, 458]);

export interface OkErrorMapOptions {
  /** Pause after flood/limit errors: OK publishes no numbers, so this is our guess. */
  backoffMs: number;
}

/** Sorts an OK failure into what the poller must do (see SourceErrorKind). */
export function toSourceError(e: unknown, opts: OkErrorMapOptions): SourceError {
  if (e instanceof SourceError) return e;
  if (e instanceof OkTransportError) {
    if (e.status === 429) return new SourceError('backoff', e.message, { code: 429, api: e.method, retryAfterMs: opts.backoffMs, cause: e });
    return new SourceError('retry', e.message, { code: e.status, api: e.method, cause: e });
  }
  if (!(e instanceof OkApiError)) return new SourceError('retry', `OK: ${String(e)}`, { cause: e });
  const details = { code: e.code, api: e.method, cause: e };
  if (e.code === 102) {
    return new SourceError(
      'broken',
      'Одноклассники: ключ доступа просрочен (token expired, ошибка 102 PARAM_SESSION_EXPIRED): выпустите новый OK_ACCESS_TOKEN для приложения и перезапустите otklik',
      details,
    );
  }
  if (BACKOFF_CODES.has(e.code)) return new SourceError('backoff', e.message, { ...details, retryAfterMs: opts.backoffMs });
  if (BROKEN_CODES.has(e.code)) return new SourceError('broken', e.message, details);
  return new SourceError('retry', e.message, details);
}
