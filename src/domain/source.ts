import type { Channel, RawPost, ReplyTarget } from './post.js';

/** A configured thing to poll: a VK wall, a comment thread set, a search query, a Telegram chat... */
export interface SourceRef {
  id: number;
  channel: Channel;
  /** Adapter-specific kind: vk `wall|comments|search|suggests|messages`, ok `group`, telegram `bot|tme|citizen_bot`, file `jsonl|csv`. */
  kind: string;
  /** Adapter-specific reference: community id or screen name, query, channel username, file path. */
  reference: string;
  /** Extra adapter settings from the config (e.g. `posts_depth` for comments). */
  options: Record<string, unknown>;
}

/** Opaque, adapter-defined cursor, stored as text. null = never polled. */
export type Cursor = string | null;

export interface PollResult {
  posts: RawPost[];
  /** The cursor to store once `posts` are committed. */
  cursor: Cursor;
  /** Records of this page that cannot be posts, each with where and why (a broken feed line); the cursor passes them. */
  refused?: string[];
}

export interface PollRequest {
  source: SourceRef;
  cursor: Cursor;
}

/** One outcome per request of a batch: either posts or the error that source hit. */
export type PollOutcome =
  | ({ ok: true; sourceId: number } & PollResult)
  | { ok: false; sourceId: number; error: SourceError };

/** A photo published with a reply (VK wall photo upload, Telegram sendPhoto). */
export interface ReplyPhoto {
  filename: string;
  data: Uint8Array;
}

export interface ReplyResult {
  externalId: string;
  url?: string | null;
}

/**
 * One channel behind one interface (see DESIGN.md). Adapters never touch the
 * database: they read with a cursor and publish replies.
 */
export interface ChannelAdapter {
  readonly channel: Channel;
  /** Source kinds this adapter understands. */
  readonly kinds: readonly string[];
  poll(source: SourceRef, cursor: Cursor, signal?: AbortSignal): Promise<PollResult>;
  /**
   * Optional batched poll (VK `execute`): many sources in few requests.
   * Must return exactly one outcome per request; one failing source never fails the batch.
   */
  pollBatch?(requests: PollRequest[], signal?: AbortSignal): Promise<PollOutcome[]>;
  /**
   * Publish a reply. `idempotencyKey` is stable across retries (VK `guid`,
   * `random_id`), so a retried call never posts twice.
   */
  reply?(target: ReplyTarget, text: string, idempotencyKey: string, photos?: ReplyPhoto[]): Promise<ReplyResult>;
  /**
   * True when calling `reply` again with the same idempotencyKey can never post
   * twice (VK `guid` / `random_id`), so a reply whose outcome is unknown after a
   * crash may simply be sent again. Otherwise such a reply is left for a human.
   */
  readonly replyRetrySafe?: boolean;
}

/** Thrown by `reply` when the message may or may not have been delivered (a timeout after sending). */
export function isAmbiguousDelivery(err: unknown): boolean {
  return err instanceof Error && err.name === 'AmbiguousDeliveryError';
}

/**
 * How the poller must treat a failure:
 * - `retry`: transient (network, 5xx, VK 10, OK 2); try again soon, with jitter.
 * - `backoff`: rate limited or flood control (VK 9/29, Telegram 429); pause this source for `retryAfterMs`.
 * - `broken`: needs a human (bad token, private or deleted community, VK 5/15/18/30, OK 102); tell admins once.
 */
export type SourceErrorKind = 'retry' | 'backoff' | 'broken';

export class SourceError extends Error {
  constructor(
    readonly kind: SourceErrorKind,
    message: string,
    readonly details: { code?: number | string; retryAfterMs?: number; api?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'SourceError';
  }
}

export type { RawPost, ReplyTarget };
