import { systemClock, type Clock } from '../../src/clock.js';
import { isTransientOkError, OkApiError, OkTransportError, toSourceError } from './errors.js';
import { okParamToString, signOkParams, type OkParamValue } from './sign.js';

export interface OkClientOptions {
  applicationKey: string;
  applicationSecretKey: string;
  accessToken: string;
  /** Default https://api.ok.ru (OK_API_BASE_URL). */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Per-request timeout. Default 15 s. */
  timeoutMs?: number;
  clock?: Clock;
  /** Attempts for transient failures (SERVICE, network, 5xx, timeouts). Default 3. */
  attempts?: number;
  /** Base delay between attempts; the real delay is jittered. Default 1 s. */
  retryDelayMs?: number;
  /** Pause suggested to the poller after flood/limit errors. Default 15 min. */
  backoffMs?: number;
  random?: () => number;
}

export interface OkCallOptions {
  /** Override the attempt count; reply uses 1 because OK has no idempotency key. */
  attempts?: number;
  signal?: AbortSignal;
}

export interface OkClient {
  /**
   * Calls an OK REST method. Resolves with the method's JSON; rejects with a SourceError
   * (kind retry/backoff/broken) whose `cause` is the OkApiError or OkTransportError.
   */
  call<T = unknown>(method: string, params?: Record<string, OkParamValue | undefined>, opts?: OkCallOptions): Promise<T>;
}

/** A small OK REST client: signed form POSTs to /fb.do, flat error objects, jittered retries. */
export function createOkClient(opts: OkClientOptions): OkClient {
  const baseUrl = (opts.baseUrl ?? 'https://api.ok.ru').replace(/\/+$/, '');
  const doFetch = opts.fetch ?? fetch;
  const clock = opts.clock ?? systemClock;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const random = opts.random ?? Math.random;
  const retryDelayMs = opts.retryDelayMs ?? 1000;
  const mapOpts = { backoffMs: opts.backoffMs ?? 15 * 60_000 };

  function buildBody(method: string, params: Record<string, OkParamValue | undefined>): URLSearchParams {
    const signed: Record<string, OkParamValue> = { application_key: opts.applicationKey, format: 'json', method };
    for (const [k, v] of Object.entries(params)) if (v !== undefined) signed[k] = v;
    const sig = signOkParams(signed, { applicationSecretKey: opts.applicationSecretKey, accessToken: opts.accessToken });
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(signed)) body.set(k, okParamToString(v));
    body.set('access_token', opts.accessToken);
    body.set('sig', sig);
    return body;
  }

  async function once(method: string, body: URLSearchParams, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${baseUrl}/fb.do`, { method: 'POST', body, signal: combined });
      text = await res.text();
    } catch (e) {
      if (signal?.aborted) throw e;
      const why = timeout.aborted ? `timed out after ${timeoutMs} ms` : `network error: ${(e as Error).message}`;
      throw new OkTransportError(method, why, undefined, { cause: e });
    }
    if (res.status >= 500 || res.status === 429) throw new OkTransportError(method, `HTTP ${res.status}`, res.status);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new OkTransportError(method, `HTTP ${res.status}, not JSON: ${text.slice(0, 120)}`, res.status, { cause: e });
    }
    // ok-js-sdk: any object carrying error_msg is an error; the object is flat, no wrapper.
    if (json && typeof json === 'object' && ('error_msg' in json || 'error_code' in json)) {
      const err = json as { error_code?: number; error_msg?: string; error_data?: unknown };
      throw new OkApiError(method, Number(err.error_code ?? 1), String(err.error_msg ?? ''), err.error_data ?? null);
    }
    return json;
  }

  async function call<T>(method: string, params: Record<string, OkParamValue | undefined> = {}, callOpts: OkCallOptions = {}): Promise<T> {
    const attempts = Math.max(1, callOpts.attempts ?? opts.attempts ?? 3);
    const body = buildBody(method, params);
    for (let attempt = 1; ; attempt++) {
      try {
        return (await once(method, body, callOpts.signal)) as T;
      } catch (e) {
        if (callOpts.signal?.aborted) throw e;
        if (attempt >= attempts || !isTransientOkError(e)) throw toSourceError(e, mapOpts);
        // Full jitter keeps many sources from hammering OK in lockstep after a hiccup.
        await clock.sleep(retryDelayMs * attempt * (0.5 + random()), callOpts.signal);
      }
    }
  }

  return { call };
}
