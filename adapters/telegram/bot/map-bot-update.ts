import type { RawPost } from '../../../src/domain/post.js';
import { forwardOrigin, hasContent, messageKey, messageUrl, toRawPost } from './message.js';
import type { TgChat, TgMessage, TgUpdate } from './types.js';

/** What the adapter does with one update of the staff bot. */
export type BotUpdateAction =
  | { type: 'post'; post: RawPost }
  | { type: 'skip'; reason: string }
  /** Not a monitored post: hand it to `onUpdate` (staff workflow, callbacks, private chats). */
  | { type: 'forward' };

/**
 * Remembers which channel post a discussion-group copy stands for
 * (`groupId/copyId` → channel externalId), so replies deeper in a comment thread
 * (whose reply_to_message is another comment) still find their post. In-process and
 * bounded: after a restart, direct replies to the copy still resolve from the update itself.
 */
export interface ThreadMemory {
  get(groupKey: string): string | undefined;
  set(groupKey: string, channelExternalId: string): void;
}

export function createThreadMemory(max = 20_000): ThreadMemory {
  const map = new Map<string, string>();
  return {
    get: (k) => map.get(k),
    set(k, v) {
      map.delete(k);
      map.set(k, v);
      if (map.size > max) map.delete(map.keys().next().value as string);
    },
  };
}

/** Matches chats from `options.chats`: numeric ids (`-100123`) or usernames (`@citychan`, any case). */
export function createChatMatcher(chats: readonly unknown[]): (chat: TgChat) => boolean {
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const c of chats) {
    const s = String(c).trim();
    if (/^-?\d+$/.test(s)) ids.add(s);
    else if (s) names.add(s.replace(/^@/, '').toLowerCase());
  }
  return (chat) => ids.has(String(chat.id)) || (!!chat.username && names.has(chat.username.toLowerCase()));
}

export interface BotMappingContext {
  isMonitored(chat: TgChat): boolean;
  threads: ThreadMemory;
}

/** Decides what one staff-bot update is: a post, a comment, nothing, or somebody else's business. */
export function mapBotUpdate(update: TgUpdate, ctx: BotMappingContext): BotUpdateAction {
  if (update.channel_post) {
    const msg = update.channel_post;
    if (!ctx.isMonitored(msg.chat)) return { type: 'forward' };
    if (!hasContent(msg)) return { type: 'skip', reason: 'service message' };
    const externalId = messageKey(msg.chat.id, msg.message_id);
    return { type: 'post', post: toRawPost(update, msg, { kind: 'post', role: 'bot', externalId, url: messageUrl(msg.chat, msg.message_id) }) };
  }
  if (update.message) return mapGroupMessage(update, update.message, ctx);
  const edited = update.edited_message ?? update.edited_channel_post;
  // Edits of monitored posts are ignored: the first version is stored and already in the pipeline.
  if (edited && ctx.isMonitored(edited.chat)) return { type: 'skip', reason: 'edit ignored' };
  return { type: 'forward' };
}

function mapGroupMessage(update: TgUpdate, msg: TgMessage, ctx: BotMappingContext): BotUpdateAction {
  if (msg.chat.type === 'private' || msg.chat.type === 'channel') return { type: 'forward' };
  const origin = msg.is_automatic_forward ? forwardOrigin(msg) : null;
  const parent = origin ? null : findParent(msg, ctx);
  if (!ctx.isMonitored(msg.chat) && !(origin && ctx.isMonitored(origin.chat)) && !parent?.monitoredOrigin) {
    return { type: 'forward' };
  }
  if (origin) return mapAutomaticForward(update, msg, origin, ctx);
  if (msg.from?.is_bot) return { type: 'skip', reason: 'bot message' };
  if (!hasContent(msg)) return { type: 'skip', reason: 'service message' };
  const externalId = messageKey(msg.chat.id, msg.message_id);
  const url = messageUrl(msg.chat, msg.message_id);
  if (parent) {
    return { type: 'post', post: toRawPost(update, msg, { kind: 'comment', role: 'bot', externalId, url, parentExternalId: parent.externalId }) };
  }
  return { type: 'post', post: toRawPost(update, msg, { kind: 'post', role: 'bot', externalId, url }) };
}

/**
 * A channel post's copy in its discussion group. Not a new post: remember it so comments
 * find their parent. When the bot is not in the channel itself (channel not monitored), the
 * copy is the only way to see the post, so it is emitted under the channel post's own key.
 */
function mapAutomaticForward(
  update: TgUpdate,
  msg: TgMessage,
  origin: { chat: TgChat; messageId: number },
  ctx: BotMappingContext,
): BotUpdateAction {
  const channelKey = messageKey(origin.chat.id, origin.messageId);
  ctx.threads.set(messageKey(msg.chat.id, msg.message_id), channelKey);
  if (ctx.isMonitored(origin.chat)) return { type: 'skip', reason: 'channel post copy' };
  if (!hasContent(msg)) return { type: 'skip', reason: 'service message' };
  const url = messageUrl(origin.chat, origin.messageId);
  return { type: 'post', post: toRawPost(update, msg, { kind: 'post', role: 'bot', externalId: channelKey, url }) };
}

/** The channel post a group message comments on, if any. */
function findParent(msg: TgMessage, ctx: BotMappingContext): { externalId: string; monitoredOrigin: boolean } | null {
  const replied = msg.reply_to_message;
  const origin = replied?.is_automatic_forward ? forwardOrigin(replied) : null;
  if (replied && origin) {
    const externalId = messageKey(origin.chat.id, origin.messageId);
    ctx.threads.set(messageKey(msg.chat.id, replied.message_id), externalId);
    return { externalId, monitoredOrigin: ctx.isMonitored(origin.chat) };
  }
  for (const id of [msg.message_thread_id, replied?.message_id]) {
    const known = id === undefined ? undefined : ctx.threads.get(messageKey(msg.chat.id, id));
    if (known) return { externalId: known, monitoredOrigin: false };
  }
  return null;
}
