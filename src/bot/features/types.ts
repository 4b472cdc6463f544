import type { incidents } from '../../db/schema.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { enqueueMessage } from '../outbox.js';
import type { Permission, Staff } from '../roles.js';

export interface ActionContext {
  deps: BotDeps;
  staff: Staff;
  incident: typeof incidents.$inferSelect;
  arg: string | null;
  chatId: string;
  /** `user:<telegram id>` for events. */
  actor: string;
  now: Date;
}

/** A button: the permission it needs, and what it does; the text it returns is the callback toast. */
export interface ButtonAction {
  permission: Permission;
  run(c: ActionContext): Promise<string | void>;
}

/** The answer to a question the bot asked (a reply to its message): text and photos. */
export interface PromptAction {
  permission: Permission;
  run(c: ActionContext & { text: string; photos: string[] }): Promise<string | void>;
}

/**
 * Asks for text as a reply to the bot's message (force_reply). The question's outbox row
 * remembers what a reply means, so any instance can take the answer after a restart.
 */
export async function ask(c: ActionContext, prompt: string, question: string): Promise<string> {
  await enqueueMessage(
    c.deps.db,
    {
      chatId: c.chatId,
      html: `№ ${c.incident.number}: ${escapeHtml(question)}\n<i>${escapeHtml(c.staff.name ?? '')}, ответьте на это сообщение.</i>`,
      forceReply: true,
      meta: { prompt, incidentId: c.incident.id, by: c.staff.telegramId },
    },
    c.now,
  );
  c.deps.queued();
  return 'Ответьте на сообщение бота';
}
