import { desc } from 'drizzle-orm';
import type { Installation } from '../config/installation.js';
import { seenChats } from '../db/schema.js';
import type { AppCommand } from '../cli/spec.js';

/** What the installation config uses a chat for (`chats.moderators`, `departments[roads].chat` …). */
export function chatUses(cfg: Installation, chatId: string): string[] {
  const uses = Object.entries(cfg.chats)
    .filter(([, id]) => id === chatId)
    .map(([k]) => `chats.${k}`);
  for (const d of cfg.departments) if (d.chat === chatId) uses.push(`departments[${d.code}].chat`);
  return uses;
}

/** `otklik chats [--json]`: the chats the staff bot has seen, with their ids and what the config uses them for. */
export const chatsCommand: AppCommand = async (deps, input) => {
  const rows = await deps.db.select().from(seenChats).orderBy(desc(seenChats.lastSeenAt));
  if (input.opts.json) {
    for (const r of rows) deps.out(JSON.stringify({ ...r, uses: chatUses(deps.installation, r.chatId) }));
    return 0;
  }
  if (!rows.length) return deps.out('the bot has seen no group chats yet: add it to the staff chats and write something there'), 0;
  for (const r of rows) {
    const uses = chatUses(deps.installation, r.chatId);
    deps.out(`${r.chatId.padEnd(16)} ${(r.type ?? '').padEnd(10)} ${(r.botStatus ?? '—').padEnd(13)} ${r.title ?? ''}${uses.length ? `  [${uses.join(', ')}]` : '  [not in config]'}`);
  }
  return 0;
};
