import type { Logger } from './log.js';

/** Staff chats of the installation config (`chats:`), or one department's chat. */
export type StaffAudience = 'admins' | 'managers' | 'moderators' | 'press' | { department: string };

/** One message to staff. `html` is Telegram HTML: every piece of user text in it must be escaped (src/bot/html.ts). */
export interface StaffMessage {
  html: string;
  /** An image sent with the message (a report chart). */
  photo?: { filename: string; data: Uint8Array };
  /** A file sent with the message (a report XLSX). */
  document?: { filename: string; data: Uint8Array };
  /**
   * Once-only key: a message with a key already sent (or queued) is never sent again,
   * across restarts and instances (e.g. `weekly_report:2026-11-16`).
   */
  key?: string;
}

/**
 * Outgoing notices to people. The Telegram staff bot implements it through its
 * outbox; until a bot is configured, notices go to the log.
 */
export interface Notifier {
  /** Plain text for the admins' chat (escaped by the implementation). */
  toAdmins(text: string): Promise<void>;
  /** Plain text for the managers' chat (escaped by the implementation). */
  toManagers(text: string): Promise<void>;
  /** A formatted message, optionally with a photo or file, to a staff chat. */
  send(to: StaffAudience, msg: StaffMessage): Promise<void>;
}

export function createLogNotifier(log: Logger): Notifier {
  return {
    async toAdmins(text) {
      log.warn({ notice: text }, 'notice for admins');
    },
    async toManagers(text) {
      log.info({ notice: text }, 'notice for managers');
    },
    async send(to, msg) {
      log.info({ to, key: msg.key, html: msg.html, photo: msg.photo?.filename, document: msg.document?.filename }, 'staff message (no bot configured)');
    },
  };
}
