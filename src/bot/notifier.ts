import type { Clock } from '../clock.js';
import type { Installation } from '../config/installation.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../log.js';
import type { Notifier, StaffAudience } from '../notify.js';
import { escapeHtml } from './html.js';
import { enqueueFile, enqueueMessage } from './outbox.js';

export interface OutboxNotifierDeps {
  db: Db;
  installation: Installation;
  clock: Clock;
  log: Logger;
  /** Called after something was queued (the sender's `wake`). */
  queued?: () => void;
}

/** The chat of a staff audience, or null when the installation has none configured. */
export function chatOf(installation: Installation, to: StaffAudience): string | null {
  if (typeof to === 'object') return installation.departments.find((d) => d.code === to.department)?.chat ?? null;
  return installation.chats[to] ?? null;
}

/**
 * The Notifier of a configured staff bot: every notice becomes outbox rows (text, then the
 * photo and the document), each under the message's once-only key, so a job that runs again
 * after a restart, or on a second instance, never sends twice.
 */
export function createOutboxNotifier(deps: OutboxNotifierDeps): Notifier {
  const { db, clock } = deps;
  async function send(to: StaffAudience, msg: Parameters<Notifier['send']>[1]): Promise<void> {
    const chatId = chatOf(deps.installation, to);
    if (!chatId) {
      deps.log.warn({ to, key: msg.key }, 'staff message dropped: no chat configured for this audience (config `chats:` / departments[].chat)');
      return;
    }
    const now = clock.now();
    // Telegram takes 4096 characters a message: a long notice (a weekly report) goes in parts, each once-only.
    const parts = splitForTelegram(msg.html);
    const fresh = await enqueueMessage(db, { chatId, html: parts[0]!, ...(msg.key ? { key: msg.key } : {}) }, now);
    if (!fresh) return;
    for (let i = 1; i < parts.length; i++) await enqueueMessage(db, { chatId, html: parts[i]!, ...(msg.key ? { key: `${msg.key}#${i + 1}` } : {}) }, now);
    if (msg.photo) await enqueueFile(db, { chatId, kind: 'photo', filename: msg.photo.filename, data: msg.photo.data, ...(msg.key ? { key: `${msg.key}#photo` } : {}) }, now);
    if (msg.document) await enqueueFile(db, { chatId, kind: 'document', filename: msg.document.filename, data: msg.document.data, ...(msg.key ? { key: `${msg.key}#document` } : {}) }, now);
    deps.queued?.();
  }
  return {
    toAdmins: (text) => send('admins', { html: escapeHtml(text) }),
    toManagers: (text) => send('managers', { html: escapeHtml(text) }),
    send,
  };
}

/**
 * Splits HTML into parts under `max` characters at line breaks (our notices keep tags within
 * a line, so every part stays well-formed); a single over-long line is cut.
 */
export function splitForTelegram(html: string, max = 4000): string[] {
  const parts: string[] = [];
  let cur = '';
  for (const line of html.split('\n')) {
    const piece = line.length > max ? `${line.slice(0, max - 1)}…` : line;
    if (cur && cur.length + 1 + piece.length > max) {
      parts.push(cur);
      cur = piece;
    } else cur = cur ? `${cur}\n${piece}` : piece;
  }
  if (cur || !parts.length) parts.push(cur);
  return parts;
}
