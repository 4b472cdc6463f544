import { and, eq } from 'drizzle-orm';
import type { Telegraf } from 'telegraf';
import { incidents, outbox } from '../../db/schema.js';
import { syncCards } from '../card-sync.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { enqueueMessage } from '../outbox.js';
import { authorize, findStaff, recordRefusal } from '../roles.js';
import { runSafely } from './buttons.js';
import { moderationPrompts } from './moderation.js';
import { pressPrompts } from './press.js';
import type { PromptAction } from './types.js';
import { workPrompts } from './work.js';

const PROMPTS: Record<string, PromptAction> = { ...moderationPrompts, ...workPrompts, ...pressPrompts };

type Msg = { message_id: number; text?: string; caption?: string; photo?: Array<{ file_id: string }>; reply_to_message?: { message_id: number } };

/**
 * Replies to the bot's questions (answer, interim answer, reasons, links, edited drafts):
 * the question's outbox row says what the reply means; the replier is authorized again.
 */
export function registerAnswers(bot: Telegraf, deps: BotDeps): void {
  bot.on('message', async (ctx, next) => {
    const msg = ctx.message as Msg;
    if (!msg.reply_to_message) return next();
    const [question] = await deps.db
      .select({ meta: outbox.meta })
      .from(outbox)
      .where(and(eq(outbox.chatId, String(ctx.chat.id)), eq(outbox.messageId, msg.reply_to_message.message_id)));
    const meta = question?.meta as { prompt?: string; incidentId?: number } | null | undefined;
    const prompt = meta?.prompt ? PROMPTS[meta.prompt] : undefined;
    if (!prompt || !meta?.incidentId) return next();
    const now = deps.clock.now();
    const staff = await findStaff(deps.db, ctx.from.id);
    const [incident] = await deps.db.select().from(incidents).where(eq(incidents.id, meta.incidentId));
    if (!incident) return;
    const verdict = authorize(staff, prompt.permission, incident);
    const say = (html: string) => enqueueMessage(deps.db, { chatId: String(ctx.chat.id), html, replyTo: msg.message_id }, now).then(deps.queued);
    if (!verdict.ok) {
      await recordRefusal(deps, { telegramId: ctx.from.id, staff }, { action: `reply:${meta.prompt}`, reason: verdict.reason, incidentId: incident.id, at: now });
      return say(`Извините, ${escapeHtml(verdict.reason)}.`);
    }
    const text = (msg.text ?? msg.caption ?? '').trim();
    const photos = msg.photo?.length ? [msg.photo.at(-1)!.file_id] : [];
    // Only the department's answer may be photos alone (the rest of an album after the captioned one).
    if (!text && (!photos.length || meta.prompt !== 'answer')) return say('Нужен текст ответа.');
    const result = await runSafely(ctx, () => prompt.run({ deps, staff: staff!, incident, arg: null, chatId: String(ctx.chat.id), actor: `user:${ctx.from.id}`, now, text, photos }));
    await say(`№ ${incident.number}: ${escapeHtml(result.text)}`);
    await syncCards(deps, incident.id);
  });
}
