import { DateTime } from 'luxon';
import type { Installation } from '../config/installation.js';
import type { ChatEntry } from './bot-api.js';

/** The chat's name for the transcript: its role in the config. */
function chatName(cfg: Installation, chatId: string): string {
  for (const [k, v] of Object.entries(cfg.chats)) if (v === chatId) return { moderators: 'Модераторы', press: 'Пресс-служба', managers: 'Руководители', admins: 'Администраторы' }[k] ?? k;
  const dept = cfg.departments.find((d) => d.chat === chatId);
  if (dept) return dept.name;
  return Number(chatId) > 0 ? `личный чат ${chatId}` : chatId;
}

/** HTML of a message as plain text, for the terminal. */
function plain(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/**
 * What each staff chat saw during the demo week, chat by chat: new messages and edits
 * of cards (`✎`), with their buttons, in time order.
 */
export function renderTranscript(entries: ChatEntry[], cfg: Installation): string[] {
  const byChat = new Map<string, ChatEntry[]>();
  for (const e of entries) byChat.set(e.chatId, [...(byChat.get(e.chatId) ?? []), e]);
  const out: string[] = [];
  for (const [chatId, list] of byChat) {
    out.push('', `═══ ${chatName(cfg, chatId)} (${chatId}): ${list.filter((e) => e.kind !== 'edit').length} сообщений, ${list.filter((e) => e.kind === 'edit').length} правок ═══`);
    for (const e of list) {
      const when = DateTime.fromJSDate(e.at, { zone: cfg.timezone }).toFormat('dd.MM HH:mm');
      const mark = e.kind === 'edit' ? `✎ #${e.messageId}` : `✉ #${e.messageId}`;
      out.push(`[${when}] ${mark} ${plain(e.text).replace(/\n/g, '\n      ')}`);
      if (e.buttons.length) out.push(`      [${e.buttons.join('] [')}]`);
    }
  }
  return out;
}
