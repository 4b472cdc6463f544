import type { Clock } from '../src/clock.js';
import type { Env } from '../src/config/env.js';
import type { Installation } from '../src/config/installation.js';
import type { Channel } from '../src/domain/post.js';
import { SourceError, type ChannelAdapter } from '../src/domain/source.js';
import type { Logger } from '../src/log.js';
import { createFileAdapter } from './file/index.js';
import { createOkAdapter } from './ok/index.js';
import { createTelegramAdapter, type TelegramAdapterOptions } from './telegram/index.js';
import { createVkAdapter } from './vk/index.js';

export interface AdapterDeps {
  env: Env;
  log: Logger;
  clock: Clock;
  installation: Installation;
  /** Gets staff-bot updates that are not monitored posts (the Telegram workflow). */
  onTelegramUpdate?: NonNullable<TelegramAdapterOptions['bot']>['onUpdate'];
  /** getUpdates long-poll seconds, read at each poll (the staff bot's intake raises it). */
  telegramLongPollSec?: () => number;
  /** Webhook mode: drains the updates Telegram pushed (null when polling). */
  telegramPushed?: () => unknown[] | null;
}

/**
 * The registry of channel adapters (one per channel, Renovate-style), built from
 * the environment. A channel whose credentials are missing still gets an adapter:
 * its sources then fail with a message naming the missing variable, and the
 * other channels go on.
 */
export function createAdapters(deps: AdapterDeps): Map<Channel, ChannelAdapter> {
  const { env, log, clock } = deps;
  const registry = new Map<Channel, ChannelAdapter>();
  registry.set('file', createFileAdapter());
  registry.set(
    'vk',
    createVkAdapter({
      ...(env.VK_TOKEN ? { token: env.VK_TOKEN } : {}),
      ...(env.VK_GROUP_TOKEN ? { groupToken: env.VK_GROUP_TOKEN } : {}),
      ...(env.VK_GROUP_ID ? { groupId: env.VK_GROUP_ID } : {}),
      ...(env.VK_API_BASE_URL ? { apiBaseUrl: env.VK_API_BASE_URL } : {}),
      ...(env.VK_RPS ? { rps: env.VK_RPS } : {}),
      ...(env.VK_GROUP_RPS ? { groupRps: env.VK_GROUP_RPS } : {}),
      log: log.child({ channel: 'vk' }),
      clock,
    }),
  );
  registry.set(
    'ok',
    env.OK_APPLICATION_KEY && env.OK_APPLICATION_SECRET_KEY && env.OK_ACCESS_TOKEN
      ? createOkAdapter({
          applicationKey: env.OK_APPLICATION_KEY,
          applicationSecretKey: env.OK_APPLICATION_SECRET_KEY,
          accessToken: env.OK_ACCESS_TOKEN,
          ...(env.OK_API_BASE_URL ? { baseUrl: env.OK_API_BASE_URL } : {}),
          clock,
        })
      : unconfigured('ok', ['group'], 'OK_APPLICATION_KEY, OK_APPLICATION_SECRET_KEY и OK_ACCESS_TOKEN'),
  );
  registry.set(
    'telegram',
    createTelegramAdapter({
      bot: {
        ...(env.TELEGRAM_BOT_TOKEN ? { token: env.TELEGRAM_BOT_TOKEN } : {}),
        ...(env.TELEGRAM_CITIZEN_BOT_TOKEN ? { citizenToken: env.TELEGRAM_CITIZEN_BOT_TOKEN } : {}),
        ...(env.TELEGRAM_API_ROOT ? { apiRoot: env.TELEGRAM_API_ROOT } : {}),
        ...(deps.onTelegramUpdate ? { onUpdate: deps.onTelegramUpdate } : {}),
        ...(deps.telegramLongPollSec ? { longPollSec: deps.telegramLongPollSec } : {}),
        ...(deps.telegramPushed ? { pushed: deps.telegramPushed } : {}),
        log: log.child({ channel: 'telegram' }),
        clock,
      },
      tme: { ...(env.TME_BASE_URL ? { baseUrl: env.TME_BASE_URL } : {}), clock },
    }),
  );
  return registry;
}

/** Stands in for a channel without credentials: each of its sources fails with the variables to set. */
function unconfigured(channel: Channel, kinds: string[], vars: string): ChannelAdapter {
  return {
    channel,
    kinds,
    async poll() {
      throw new SourceError('broken', `${channel}: не заданы ключи — задайте ${vars} в .env или окружении`);
    },
  };
}

export { createFileAdapter };
