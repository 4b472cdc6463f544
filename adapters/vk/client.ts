import http from 'node:http';
import https from 'node:https';
import { API } from 'vk-io';
import type { Clock } from '../../src/clock.js';
import type { Logger } from '../../src/log.js';
import { toSourceError, isTransient } from './errors.js';
import { SourceError } from '../../src/domain/source.js';

export type VkParams = Record<string, string | number | undefined>;

/** The one thing source readers need: call a VK method, get its `response`. */
export interface VkCaller {
  call<T>(method: string, params: VkParams): Promise<T>;
}

export interface RetryPolicy {
  /** Extra attempts after the first for transient failures (6, 10, 5xx, timeouts). */
  retries: number;
  baseDelayMs: number;
  clock: Clock;
  random?: () => number;
}

/** Exponential delay with full jitter, so many sources retrying do not stampede. */
export function retryDelayMs(attempt: number, policy: RetryPolicy): number {
  const cap = policy.baseDelayMs * 2 ** attempt;
  return Math.round(cap / 2 + (policy.random ?? Math.random)() * (cap / 2));
}

/**
 * Runs `fn`, retrying transient failures with jittered sleeps on the injected
 * clock; anything else (or the last transient failure) is thrown as SourceError.
 */
export async function withRetry<T>(api: string, policy: RetryPolicy, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const e = toSourceError(err, api);
      if (!isTransient(e) || attempt >= policy.retries) throw e;
      await policy.clock.sleep(retryDelayMs(attempt, policy));
    }
  }
}

export interface VkApiOptions {
  token: string;
  apiBaseUrl?: string;
  rps: number;
  timeoutMs?: number;
}

/**
 * One vk-io API client per token: vk-io spaces requests by `apiLimit` per second
 * and retries error 6 itself. Its own network retries are off (`apiRetryLimit: 0`)
 * because they sleep on the real clock; ours use the injected one.
 */
export function createVkApi(opts: VkApiOptions): API {
  const baseUrl = opts.apiBaseUrl ?? 'https://api.vk.ru/method';
  // vk-io defaults to https.globalAgent, which refuses http:// URLs (proxies, fakes).
  const agent = baseUrl.startsWith('http://') ? new http.Agent({ keepAlive: true }) : new https.Agent({ keepAlive: true });
  const api = new API({
    token: opts.token,
    apiBaseUrl: baseUrl,
    apiLimit: opts.rps,
    apiTimeout: opts.timeoutMs ?? 10_000,
    apiRetryLimit: 0,
    // vk-io types the option as https.Agent, but node-fetch takes any agent.
    agent: agent as https.Agent,
  });
  return refuseNonObjectAnswers(api);
}

/**
 * vk-io reads `answer.error` without checking the answer is an object: a proxy that answers
 * `null` makes it throw outside the request (an unhandled rejection) and the call never
 * settles. Checked here, on this client only, so such an answer is an ordinary failed call.
 */
function refuseNonObjectAnswers(api: API): API {
  const callWithRequest = api.callWithRequest.bind(api);
  api.callWithRequest = (request) => {
    const make = request.make.bind(request);
    request.make = async () => {
      const answer: unknown = await make();
      if (!answer || typeof answer !== 'object' || Array.isArray(answer)) throw new Error(`VK ${request.method}: ответ не объект JSON`);
      return answer as Awaited<ReturnType<typeof make>>;
    };
    return callWithRequest(request);
  };
  return api;
}

/** Plain (unbatched) caller: one HTTP request per call, with retries. */
export function createDirectCaller(api: API, policy: RetryPolicy, log?: Logger): VkCaller {
  return {
    call: <T>(method: string, params: VkParams) =>
      withRetry(method, policy, async () => {
        log?.debug({ method }, 'vk call');
        return (await api.call(method, dropUndefined(params))) as T;
      }),
  };
}

/** A caller that always fails: used when the token a kind needs is not configured. */
export function createMissingTokenCaller(envName: string, what: string): VkCaller {
  return {
    call: () => Promise.reject(new SourceError('broken', `не задан ${envName} — он нужен, чтобы читать ${what}; задайте его в .env или окружении`, { code: 'no_token' })),
  };
}

export function dropUndefined(params: VkParams): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = v;
  return out;
}
