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
    const fresh = await enqueueMessage(db, { chatId, html: msg.html, ...(msg.key ? { key: msg.key } : {}) }, now);
    if (!fresh) return;
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
