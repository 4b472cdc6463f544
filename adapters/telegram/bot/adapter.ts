import { Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import { systemClock, type Clock } from '../../../src/clock.js';
import type { Logger } from '../../../src/log.js';
import type { RawPost } from '../../../src/domain/post.js';
import { SourceError, type ChannelAdapter, type Cursor, type PollResult, type SourceRef } from '../../../src/domain/source.js';
import { CITIZEN_WELCOME, mapCitizenUpdate, mergeCitizenPosts } from './citizen.js';
import { toSourceError } from './errors.js';
import { createChatMatcher, createThreadMemory, mapBotUpdate } from './map-bot-update.js';
import { createReplySender } from './reply.js';
import type { BotRole, TgUpdate } from './types.js';

export interface TelegramBotAdapterOptions {
  /** TELEGRAM_BOT_TOKEN: the staff bot, admin of the channels, member of the groups. */
  token?: string;
  /** TELEGRAM_CITIZEN_BOT_TOKEN: the public "report a problem" bot. */
  citizenToken?: string;
  /** TELEGRAM_API_ROOT (proxies, tests). */
  apiRoot?: string;
  /** getUpdates `timeout` in seconds; 0 (default) suits poll cycles, a long-poll loop passes more (a getter is read at each poll). */
  longPollSec?: number | (() => number);
  /** Updates that are not monitored posts (staff workflow: `bot.handleUpdate(update)`). */
  onUpdate?: (update: Update, which: BotRole) => Promise<void> | void;
  log?: Logger;
  clock?: Clock;
  /** Client-side timeout of one sendMessage, ms (default 15 000). */
  sendTimeoutMs?: number;
  /**
   * Webhook mode: the staff bot's updates Telegram pushed to us, drained at each poll instead of
   * calling getUpdates (which Telegram refuses while a webhook is set). Returns null when polling.
   */
  pushed?: () => unknown[] | null;
  /** Update types asked for; Telegram remembers the last list, so ours must cover the workflow's too. */
  allowedUpdates?: string[];
}

const DEFAULT_ALLOWED = ['message', 'edited_message', 'channel_post', 'edited_channel_post', 'callback_query', 'my_chat_member', 'chat_member'];
const KINDS = ['bot', 'citizen_bot'] as const;

/**
 * Telegram through the Bot API. Telegram allows one getUpdates consumer per token, so
 * this adapter owns getUpdates for both bots: the offset is the durable cursor, monitored
 * chats become posts, and every other update goes to `onUpdate`. Configure one source
 * per token (kind `bot` with `options.chats`, kind `citizen_bot`).
 */
export function createTelegramBotAdapter(opts: TelegramBotAdapterOptions): ChannelAdapter {
  const clock = opts.clock ?? systemClock;
  const clients = new Map<BotRole, Telegram>();
  const queues = new Map<BotRole, Promise<unknown>>();
  const owners = new Map<BotRole, number>();
  const threads = createThreadMemory();

  function telegramFor(role: BotRole): Telegram {
    const token = role === 'bot' ? opts.token : opts.citizenToken;
    if (!token) {
      const env = role === 'bot' ? 'TELEGRAM_BOT_TOKEN' : 'TELEGRAM_CITIZEN_BOT_TOKEN';
      throw new SourceError('broken', `Telegram ${role}: не задан ${env} — задайте его в .env или окружении`, { api: 'telegram' });
    }
    let client = clients.get(role);
    if (!client) {
      client = new Telegram(token, opts.apiRoot ? { apiRoot: opts.apiRoot } : {});
      clients.set(role, client);
    }
    return client;
  }

  /** Two overlapping getUpdates on one token would make Telegram answer 409: serialize them. */
  function exclusive<T>(role: BotRole, fn: () => Promise<T>): Promise<T> {
    const run = (queues.get(role) ?? Promise.resolve()).then(fn, fn);
    queues.set(role, run.catch(() => undefined));
    return run;
  }

  async function fetchUpdates(role: BotRole, cursor: Cursor, signal?: AbortSignal): Promise<TgUpdate[]> {
    const pushed = role === 'bot' ? opts.pushed?.() : null;
    if (pushed) return pushed as TgUpdate[];
    const telegram = telegramFor(role);
    const longPollSec = (typeof opts.longPollSec === 'function' ? opts.longPollSec() : opts.longPollSec) ?? 0;
    const timeout = AbortSignal.timeout((longPollSec + 15) * 1000);
    const payload = { timeout: longPollSec, limit: 100, offset: parseCursor(cursor), allowed_updates: opts.allowedUpdates ?? DEFAULT_ALLOWED };
    try {
      const res = await telegram.callApi('getUpdates', payload as never, { signal: (signal ? AbortSignal.any([signal, timeout]) : timeout) as never });
      return res as unknown as TgUpdate[];
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw toSourceError(err, role);
    }
  }

  async function handOver(update: TgUpdate, role: BotRole): Promise<void> {
    if (!opts.onUpdate) return;
    try {
      await opts.onUpdate(update as unknown as Update, role);
    } catch (err) {
      // The workflow's failure must not stall the sources; the update is confirmed with the rest.
      opts.log?.error({ err, updateId: update.update_id, which: role }, 'telegram onUpdate failed');
    }
  }

  /** The one side effect of polling: answering /start in the citizens' bot. */
  async function sendWelcome(chatId: number): Promise<void> {
    try {
      await telegramFor('citizen_bot').sendMessage(chatId, CITIZEN_WELCOME);
    } catch (err) {
      opts.log?.warn({ err, chatId }, 'telegram citizen bot: welcome not sent');
    }
  }

  async function pollRole(source: SourceRef, role: BotRole, cursor: Cursor, signal?: AbortSignal): Promise<PollResult> {
    warnIfShared(source, role);
    const updates = await fetchUpdates(role, cursor, signal);
    const isMonitored = createChatMatcher(asArray(source.options.chats));
    const posts: RawPost[] = [];
    for (const update of updates) {
      const action = role === 'bot' ? mapBotUpdate(update, { isMonitored, threads }) : mapCitizenUpdate(update);
      if (action.type === 'post') posts.push(action.post);
      else if (action.type === 'forward') await handOver(update, role);
      else if (action.type === 'welcome') await sendWelcome(action.chatId);
    }
    const last = updates.at(-1);
    return {
      posts: role === 'citizen_bot' ? mergeCitizenPosts(posts) : posts,
      cursor: last ? String(last.update_id + 1) : cursor,
    };
  }

  function warnIfShared(source: SourceRef, role: BotRole): void {
    const owner = owners.get(role);
    if (owner === undefined) owners.set(role, source.id);
    else if (owner !== source.id) {
      opts.log?.warn({ sourceId: source.id, owner, role }, 'telegram: several sources share one bot token; they steal each other\'s updates, keep one');
    }
  }

  const reply = createReplySender({ telegramFor, clock, timeoutMs: opts.sendTimeoutMs ?? 15_000 });

  return {
    channel: 'telegram',
    kinds: KINDS,
    poll(source, cursor, signal) {
      if (!isRole(source.kind)) {
        return Promise.reject(new SourceError('broken', `Telegram bot adapter: unknown source kind ${source.kind}`));
      }
      const role = source.kind;
      return exclusive(role, () => pollRole(source, role, cursor, signal));
    },
    reply,
  };
}

function isRole(kind: string): kind is BotRole {
  return (KINDS as readonly string[]).includes(kind);
}

function parseCursor(cursor: Cursor): number {
  const n = cursor === null ? 0 : Number(cursor);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

function asArray(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  return v === undefined || v === null ? [] : [v];
}
