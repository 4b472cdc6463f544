import type { Logger } from './log.js';

/**
 * Outgoing notices to people (admins, moderators, managers). The Telegram bot
 * implements it; until a bot is configured, notices go to the log.
 */
export interface Notifier {
  toAdmins(text: string): Promise<void>;
}

export function createLogNotifier(log: Logger): Notifier {
  return {
    async toAdmins(text) {
      log.warn({ notice: text }, 'notice for admins');
    },
  };
}
