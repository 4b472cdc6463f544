import type { Telegraf } from 'telegraf';
import { seenChats } from '../../db/schema.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { enqueueMessage } from '../outbox.js';

/**
 * The bot remembers every chat it sees (`otklik chats`), and when it is added to a group
 * it tells that group and the admins the chat id and title and how to use it.
 */
export function registerChats(bot: Telegraf, deps: BotDeps): void {
  bot.use(async (ctx, next) => {
    const chat = ctx.chat;
    if (chat && chat.type !== 'private') {
      const now = deps.clock.now();
      const title = 'title' in chat ? chat.title : null;
      await deps.db
        .insert(seenChats)
        .values({ chatId: String(chat.id), title, type: chat.type, firstSeenAt: now, lastSeenAt: now })
        .onConflictDoUpdate({ target: seenChats.chatId, set: { title, lastSeenAt: now } });
    }
    return next();
  });
  bot.on('my_chat_member', async (ctx) => {
    const chat = ctx.myChatMember.chat;
    const status = ctx.myChatMember.new_chat_member.status;
    const now = deps.clock.now();
    const title = 'title' in chat ? chat.title : String(chat.id);
    await deps.db
      .insert(seenChats)
      .values({ chatId: String(chat.id), title, type: chat.type, botStatus: status, firstSeenAt: now, lastSeenAt: now })
      .onConflictDoUpdate({ target: seenChats.chatId, set: { title, botStatus: status, lastSeenAt: now } });
    const was = ctx.myChatMember.old_chat_member.status;
    if (chat.type === 'private' || !['member', 'administrator'].includes(status) || ['member', 'administrator'].includes(was)) return;
    const html = [
      `Бот добавлен в чат «${escapeHtml(title)}».`,
      `ID чата: <code>${chat.id}</code>`,
      'Чтобы сделать его рабочим, впишите этот ID в конфигурацию: <code>chats.moderators</code>, <code>chats.press</code>, <code>chats.managers</code>, <code>chats.admins</code> или <code>departments[].chat</code>, и перезапустите otklik. Действовать в боте могут только приглашённые сотрудники.',
    ].join('\n');
    await enqueueMessage(deps.db, { chatId: String(chat.id), html, key: `chat-added:${chat.id}:${now.toISOString().slice(0, 10)}` }, now);
    await deps.notifier.send('admins', { html, key: `chat-added-admins:${chat.id}:${now.toISOString().slice(0, 10)}` });
    deps.queued();
  });
}
