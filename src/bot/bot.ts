import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { BotDeps } from './deps.js';
import { registerAccess } from './features/access.js';
import { registerAnswers } from './features/answers.js';
import { registerButtons } from './features/buttons.js';
import { registerChats } from './features/chats.js';
import { registerLookup } from './features/lookup.js';
import { registerStats } from './features/stats.js';

export interface StaffBotOptions {
  token: string;
  apiRoot?: string;
}

/**
 * The staff bot: a telegraf bot that is never launched on its own. The intake (long poll or
 * webhook) hands it updates through `handleUpdate`; everything it says goes to the outbox.
 */
export function createStaffBot(deps: BotDeps, opts: StaffBotOptions) {
  const bot = new Telegraf(opts.token, { telegram: opts.apiRoot ? { apiRoot: opts.apiRoot } : {}, handlerTimeout: 30_000 });
  registerChats(bot, deps);
  registerAccess(bot, deps);
  registerLookup(bot, deps);
  registerStats(bot, deps);
  registerAnswers(bot, deps);
  registerButtons(bot, deps);
  bot.catch((err, ctx) => deps.log.error({ err, updateId: ctx.update.update_id }, 'bot: update handler failed'));
  return {
    bot,
    /** Loads the bot's own name once (invite links need it). */
    async init(): Promise<void> {
      bot.botInfo ??= await bot.telegram.getMe();
    },
    username: () => bot.botInfo?.username ?? 'bot',
    handleUpdate: (update: Update) => bot.handleUpdate(update),
  };
}

export type StaffBot = ReturnType<typeof createStaffBot>;
