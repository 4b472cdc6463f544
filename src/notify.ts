import type { Logger } from './log.js';

/**
 * Outgoing notices to people (admins, managers). The Telegram bot implements it;
 * until a bot is configured, notices go to the log.
 */
export interface Notifier {
  toAdmins(text: string): Promise<void>;
  toManagers(text: string): Promise<void>;
}

export function createLogNotifier(log: Logger): Notifier {
  return {
    async toAdmins(text) {
      log.warn({ notice: text }, 'notice for admins');
    },
    async toManagers(text) {
      log.info({ notice: text }, 'notice for managers');
    },
  };
}
