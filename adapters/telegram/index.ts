import { SourceError, type ChannelAdapter } from '../../src/domain/source.js';
import { createTelegramBotAdapter, type TelegramBotAdapterOptions } from './bot/index.js';
import { createTmeAdapter, type TmeAdapterOptions } from './tme/index.js';

export * from './bot/index.js';
export { createTmeAdapter, type TmeAdapterOptions } from './tme/index.js';

export interface TelegramAdapterOptions {
  /** Staff and citizens' bots through the Bot API (source kinds `bot`, `citizen_bot`). */
  bot?: TelegramBotAdapterOptions;
  /** Public channels through the t.me/s preview (source kind `tme`). */
  tme?: TmeAdapterOptions;
}

/**
 * One `telegram` adapter for the registry (one adapter per channel): polls go to the Bot API
 * or t.me/s reader by source kind; replies always go through the bots (t.me/s is read-only).
 */
export function createTelegramAdapter(opts: TelegramAdapterOptions = {}): ChannelAdapter {
  const bot = createTelegramBotAdapter(opts.bot ?? {});
  const tme = createTmeAdapter(opts.tme ?? {});
  const byKind = new Map<string, ChannelAdapter>([...bot.kinds.map((k) => [k, bot] as const), ...tme.kinds.map((k) => [k, tme] as const)]);
  return {
    channel: 'telegram',
    kinds: [...byKind.keys()],
    poll(source, cursor, signal) {
      const adapter = byKind.get(source.kind);
      if (!adapter) return Promise.reject(new SourceError('broken', `Telegram: unknown source kind "${source.kind}"`));
      return adapter.poll(source, cursor, signal);
    },
    reply: (target, text, key, photos) => bot.reply!(target, text, key, photos),
  };
}
