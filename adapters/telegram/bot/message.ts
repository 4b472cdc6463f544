import type { PostKind, RawPost } from '../../../src/domain/post.js';
import type { BotRole, TgChat, TgMessage, TgUpdate } from './types.js';

/** `chat_id/message_id`, the natural key of a Telegram message (see channel-apis.md §4). */
export function messageKey(chatId: number, messageId: number): string {
  return `${chatId}/${messageId}`;
}

/** Public link to a message: by username, or the members-only `t.me/c/` link of a supergroup/channel. */
export function messageUrl(chat: TgChat, messageId: number): string | null {
  if (chat.username) return `https://t.me/${chat.username}/${messageId}`;
  const id = String(chat.id);
  if ((chat.type === 'supergroup' || chat.type === 'channel') && id.startsWith('-100')) {
    return `https://t.me/c/${id.slice(4)}/${messageId}`;
  }
  return null;
}

/** The largest photo size's file_id: Telegram lists sizes from smallest to largest. */
export function largestPhotoFileId(msg: Pick<TgMessage, 'photo'>): string | null {
  if (!msg.photo?.length) return null;
  const best = msg.photo.reduce((a, b) => (b.width * b.height >= a.width * a.height ? b : a));
  return best.file_id;
}

export function messageText(msg: TgMessage): string {
  return msg.text ?? msg.caption ?? '';
}

export function messageGeo(msg: TgMessage): { lat: number; lon: number } | null {
  const loc = msg.location ?? msg.venue?.location;
  return loc ? { lat: loc.latitude, lon: loc.longitude } : null;
}

/** Whether a message carries something a citizen could complain with (service messages carry none). */
export function hasContent(msg: TgMessage): boolean {
  return !!(msg.text || msg.caption || msg.photo?.length || msg.location || msg.venue);
}

/** Author as the network shows it: the sending chat (channels, anonymous admins) or the user. */
export function messageAuthor(msg: TgMessage): { authorId: string | null; authorName: string | null } {
  if (msg.sender_chat) return { authorId: String(msg.sender_chat.id), authorName: msg.sender_chat.title ?? null };
  if (!msg.from) return { authorId: null, authorName: null };
  const name = [msg.from.first_name, msg.from.last_name].filter(Boolean).join(' ') || msg.from.username || null;
  return { authorId: String(msg.from.id), authorName: name };
}

/** The channel post a discussion-group copy (`is_automatic_forward`) stands for. */
export function forwardOrigin(msg: TgMessage): { chat: TgChat; messageId: number } | null {
  const o = msg.forward_origin;
  if (o?.type === 'channel' && o.chat && o.message_id) return { chat: o.chat, messageId: o.message_id };
  if (msg.forward_from_chat && msg.forward_from_message_id) {
    return { chat: msg.forward_from_chat, messageId: msg.forward_from_message_id };
  }
  return null;
}

export interface ToPostOptions {
  kind: PostKind;
  role: BotRole;
  externalId: string;
  parentExternalId?: string | null;
  url?: string | null;
}

/** Builds the RawPost; `raw` is the whole update, so photos (file_ids) and entities stay available. */
export function toRawPost(update: TgUpdate, msg: TgMessage, o: ToPostOptions): RawPost {
  return {
    externalId: o.externalId,
    kind: o.kind,
    parentExternalId: o.parentExternalId ?? null,
    ...messageAuthor(msg),
    url: o.url ?? null,
    text: messageText(msg),
    publishedAt: new Date(msg.date * 1000),
    raw: update,
    replyTarget: { type: 'chat', chat_id: msg.chat.id, message_id: msg.message_id, bot: o.role },
    geo: messageGeo(msg),
  };
}
