import { systemClock, type Clock } from '../../src/clock.js';
import { SourceError, type ChannelAdapter, type Cursor, type PollOutcome, type PollRequest, type PollResult, type SourceRef } from '../../src/domain/source.js';
import type { Logger } from '../../src/log.js';
import { createDirectCaller, createMissingTokenCaller, createVkApi, type RetryPolicy, type VkCaller } from './client.js';
import { readComments } from './comments.js';
import { toSourceError } from './errors.js';
import { createExecuteBatcher } from './execute.js';
import { readMessages } from './messages.js';
import { numberOption, parseCommunityRef, parseGroupId, stringList } from './ref.js';
import { sendReply } from './reply.js';
import { readSearch } from './search.js';
import { readWall } from './wall.js';

export const VK_SOURCE_KINDS = ['wall', 'comments', 'search', 'suggests', 'messages'] as const;

export interface VkAdapterOptions {
  /** User or service token (VK_TOKEN): walls, comments, search. */
  token?: string;
  /** Community token (VK_GROUP_TOKEN): suggested posts, community messages, replies. */
  groupToken?: string;
  /** The administration's community: replies are posted `from_group`, default for suggests/messages. */
  groupId?: number;
  apiBaseUrl?: string;
  /** Requests per second for `token` (VK allows 3 for user tokens). */
  rps?: number;
  /** Requests per second for `groupToken` (VK allows 20). */
  groupRps?: number;
  timeoutMs?: number;
  log?: Logger;
  clock?: Clock;
  /** Re-read window behind the cursor, seconds (default 600). */
  overlapSec?: number;
  /** Extra attempts for transient failures (default 2) and the first delay (default 1000 ms). */
  retries?: number;
  retryDelayMs?: number;
}

/** Kinds read with the user/service token, and so batched through `execute`. */
const USER_KINDS = new Set(['wall', 'comments', 'search']);
const BATCHED_KINDS = new Set(['wall', 'comments']);

/** The VK ChannelAdapter: five source kinds, `execute` batching, idempotent replies. */
export function createVkAdapter(opts: VkAdapterOptions = {}): ChannelAdapter {
  const clock = opts.clock ?? systemClock;
  const policy: RetryPolicy = { retries: opts.retries ?? 2, baseDelayMs: opts.retryDelayMs ?? 1000, clock };
  const overlapSec = opts.overlapSec ?? 600;
  const api = (token: string, rps: number) => createVkApi({ token, rps, apiBaseUrl: opts.apiBaseUrl, timeoutMs: opts.timeoutMs });
  const userApi = opts.token ? api(opts.token, opts.rps ?? 3) : null;
  const groupApi = opts.groupToken ? api(opts.groupToken, opts.groupRps ?? 20) : null;
  const userCaller = userApi ? createDirectCaller(userApi, policy, opts.log) : createMissingTokenCaller('VK_TOKEN', 'стены, комментарии и поиск');
  const groupCaller = groupApi
    ? createDirectCaller(groupApi, policy, opts.log)
    : createMissingTokenCaller('VK_GROUP_TOKEN', 'предложенные записи и сообщения сообщества');
  const nowSec = () => Math.floor(clock.now().getTime() / 1000);

  function read(source: SourceRef, cursor: Cursor, caller: VkCaller): Promise<PollResult> {
    const o = source.options ?? {};
    switch (source.kind) {
      case 'wall':
        return readWall(caller, cursor, { owner: parseCommunityRef(source.reference), overlapSec, count: numberOption(o, 'count', 20, 1, 100), maxPages: numberOption(o, 'max_pages', 5, 1, 20) });
      case 'comments':
        return readComments(caller, cursor, { owner: parseCommunityRef(source.reference), depth: numberOption(o, 'posts_depth', 10, 1, 100), maxPages: numberOption(o, 'max_pages', 3, 1, 20), log: opts.log });
      case 'search':
        return readSearch(caller, cursor, {
          query: source.reference, overlapSec, nowSec: nowSec(), count: numberOption(o, 'count', 200, 1, 200), maxPages: numberOption(o, 'max_pages', 5, 1, 20),
          stopWords: stringList(o.stop_words), excludeOwners: stringList(o.exclude_owners).map(Number).filter(Number.isFinite),
        });
      case 'suggests':
        return readWall(caller, cursor, { owner: { owner_id: -parseGroupId(source.reference, opts.groupId) }, overlapSec, count: 100, maxPages: 3, filter: 'suggests', kind: 'suggested' });
      case 'messages':
        return readMessages(caller, cursor, { groupId: parseGroupId(source.reference, opts.groupId), nowSec: nowSec(), initialLookbackSec: numberOption(o, 'initial_lookback_sec', 86_400, 0, 30 * 86_400), maxPages: 3 });
      default:
        return Promise.reject(new SourceError('broken', `unknown VK source kind "${source.kind}" (expected ${VK_SOURCE_KINDS.join(', ')})`, { code: 'bad_kind' }));
    }
  }

  async function pollOne(source: SourceRef, cursor: Cursor, caller?: VkCaller): Promise<PollResult> {
    try {
      return await read(source, cursor, caller ?? (USER_KINDS.has(source.kind) ? userCaller : groupCaller));
    } catch (err) {
      throw toSourceError(err, source.kind);
    }
  }

  async function pollBatch(requests: PollRequest[], signal?: AbortSignal): Promise<PollOutcome[]> {
    // One batcher per cycle: every wall/comments reader queues its calls into shared executes.
    const batcher = userApi ? createExecuteBatcher(userApi, policy, opts.log) : undefined;
    return Promise.all(
      requests.map(async ({ source, cursor }): Promise<PollOutcome> => {
        try {
          signal?.throwIfAborted();
          const caller = batcher && BATCHED_KINDS.has(source.kind) ? batcher : undefined;
          return { ok: true, sourceId: source.id, ...(await pollOne(source, cursor, caller)) };
        } catch (err) {
          return { ok: false, sourceId: source.id, error: toSourceError(err, source.kind) };
        }
      }),
    );
  }

  return {
    channel: 'vk',
    kinds: VK_SOURCE_KINDS,
    poll: (source, cursor, signal) => (signal?.throwIfAborted(), pollOne(source, cursor)),
    pollBatch,
    replyRetrySafe: true,
    reply: (target, text, key, photos) =>
      sendReply({ caller: groupApi ? groupCaller : userCaller, uploader: userApi ? userCaller : groupCaller, groupId: opts.groupId }, target, text, key, photos).catch((err: unknown) => {
        throw toSourceError(err, 'reply');
      }),
  };
}
