import type { API } from 'vk-io';
import { SourceError } from '../../src/domain/source.js';
import type { Logger } from '../../src/log.js';
import { dropUndefined, retryDelayMs, withRetry, type RetryPolicy, type VkCaller, type VkParams } from './client.js';
import { isResponseTooBig, isTransient, toSourceError } from './errors.js';

/** VK runs at most 25 API calls inside one `execute`. */
export const EXECUTE_MAX_CALLS = 25;

interface Pending {
  method: string;
  params: Record<string, string | number>;
  attempt: number;
  resolve: (v: unknown) => void;
  reject: (e: SourceError) => void;
}

/** The VKScript for a chunk: `return [API.wall.get({"owner_id":-1}),…];` (the form the fake parses). */
export function buildExecuteCode(calls: ReadonlyArray<{ method: string; params: Record<string, string | number> }>): string {
  return `return [${calls.map((c) => `API.${c.method}(${JSON.stringify(c.params)})`).join(',')}];`;
}

export interface ExecuteBatcher extends VkCaller {
  /** HTTP requests (executes) sent so far. */
  readonly requests: number;
}

/**
 * A caller that gathers every call made in the same tick and sends them as
 * `execute` requests of up to 25 calls. Source readers stay plain async code
 * (wall.get, then getComments for each post) and still share requests: all
 * readers started together queue their first calls before the flush.
 * A failed call (`false` + `execute_errors`) rejects only its own promise;
 * transient per-call codes (6, 10) are queued again after a jittered sleep,
 * because vk-io retries error 6 only for whole requests. An execute whose
 * answer would pass VK's 5 MB limit (error 13 "response size is too big") is
 * split in two and each half sent on its own, never resent unchanged; a single
 * call that is still too big fails alone.
 */
export function createExecuteBatcher(api: API, policy: RetryPolicy, log?: Logger): ExecuteBatcher {
  let queue: Pending[] = [];
  let scheduled = false;
  let requests = 0;

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    const taken = queue;
    queue = [];
    for (let i = 0; i < taken.length; i += EXECUTE_MAX_CALLS) void send(taken.slice(i, i + EXECUTE_MAX_CALLS));
  }

  async function send(chunk: Pending[]): Promise<void> {
    const code = buildExecuteCode(chunk);
    let result: { response: unknown; errors: Array<{ code?: unknown; message?: string; method?: string }> };
    try {
      result = await withRetry('execute', policy, () => {
        requests++;
        return api.execute({ code });
      });
    } catch (err) {
      const e = toSourceError(err, 'execute');
      if (isResponseTooBig(e) && chunk.length > 1) {
        const half = Math.ceil(chunk.length / 2);
        log?.debug({ calls: chunk.length }, 'vk execute answer over 5 MB; sending it as two halves');
        await Promise.all([send(chunk.slice(0, half)), send(chunk.slice(half))]);
        return;
      }
      for (const p of chunk) p.reject(e);
      return;
    }
    settle(chunk, result.response, result.errors);
  }

  function settle(chunk: Pending[], response: unknown, errors: Array<{ code?: unknown; message?: string }>): void {
    if (!Array.isArray(response) || response.length !== chunk.length) {
      const e = new SourceError('retry', 'VK execute returned an unexpected response shape', { api: 'execute' });
      for (const p of chunk) p.reject(e);
      return;
    }
    let errIndex = 0;
    chunk.forEach((p, i) => {
      if (response[i] !== false) return p.resolve(response[i]);
      const e = toSourceError(errors[errIndex++] ?? new Error('execute call failed without an error'), p.method);
      if (isTransient(e) && p.attempt < policy.retries) {
        log?.debug({ method: p.method, code: e.details.code }, 'vk execute call retried');
        void policy.clock.sleep(retryDelayMs(p.attempt, policy)).then(() => {
          queue.push({ ...p, attempt: p.attempt + 1 });
          schedule();
        });
        return;
      }
      p.reject(e);
    });
  }

  return {
    get requests() {
      return requests;
    },
    call<T>(method: string, params: VkParams): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ method, params: dropUndefined(params), attempt: 0, resolve: resolve as (v: unknown) => void, reject });
        schedule();
      });
    },
  };
}
