import type { RawPost } from '../../../src/domain/post.js';
import { hasContent, toRawPost } from './message.js';
import type { TgUpdate } from './types.js';

/** The answer to /start and /help in the citizens' bot (user-facing, so Russian). */
export const CITIZEN_WELCOME =
  'Здравствуйте! Это бот для обращений жителей в администрацию города.\n\n' +
  'Опишите проблему одним сообщением: что случилось и где (улица, дом, ориентир). ' +
  'Можно приложить фото и отправить геопозицию (скрепка → «Геопозиция»).\n\n' +
  'Ответ придёт сюда же, в этот чат.';

export type CitizenUpdateAction =
  | { type: 'post'; post: RawPost }
  | { type: 'welcome'; chatId: number; messageId: number }
  | { type: 'forward' };

/** Decides what one update of the citizens' bot is. Only private chats with people are appeals. */
export function mapCitizenUpdate(update: TgUpdate): CitizenUpdateAction {
  const msg = update.message;
  if (!msg || msg.chat.type !== 'private' || msg.from?.is_bot) return { type: 'forward' };
  if (/^\/(start|help)(@\w+)?(\s|$)/.test(msg.text ?? '')) {
    return { type: 'welcome', chatId: msg.chat.id, messageId: msg.message_id };
  }
  // Voice, stickers and the like carry no text to classify: the workflow may ask for text.
  if (!hasContent(msg)) return { type: 'forward' };
  const externalId = `citizen:${msg.chat.id}/${msg.message_id}`;
  return { type: 'post', post: toRawPost(update, msg, { kind: 'message', role: 'citizen_bot', externalId }) };
}

/**
 * People send one appeal as several messages: text, then a photo, then the location.
 * Consecutive messages of one chat within `windowSec` of each other in one batch become
 * one post (key and reply target of the first; texts joined; first geo; raw = all updates).
 * Messages split across two polls stay two posts; the incident merge handles them.
 */
export function mergeCitizenPosts(posts: RawPost[], windowSec = 120): RawPost[] {
  const out: RawPost[] = [];
  const lastByChat = new Map<string, { post: RawPost; at: number }>();
  for (const p of posts) {
    const chat = p.externalId.slice(0, p.externalId.lastIndexOf('/'));
    const at = p.publishedAt.getTime();
    const open = lastByChat.get(chat);
    if (open && at - open.at <= windowSec * 1000) {
      const m = open.post;
      m.text = [m.text, p.text].filter(Boolean).join('\n');
      m.geo = m.geo ?? p.geo ?? null;
      m.raw = [...(Array.isArray(m.raw) ? m.raw : [m.raw]), p.raw];
      open.at = at;
      continue;
    }
    const copy = { ...p };
    out.push(copy);
    lastByChat.set(chat, { post: copy, at });
  }
  return out;
}
