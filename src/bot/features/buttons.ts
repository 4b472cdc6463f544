import { eq } from 'drizzle-orm';
import type { Context, Telegraf } from 'telegraf';
import { incidents } from '../../db/schema.js';
import { TransitionError, STATUS_LABELS } from '../../domain/status.js';
import { UserFacingError } from '../../incidents/decisions.js';
import { resolveCallback } from '../callbacks.js';
import { syncCards } from '../card-sync.js';
import type { BotDeps } from '../deps.js';
import { authorize, findStaff, recordRefusal } from '../roles.js';
import { moderationButtons } from './moderation.js';
import { pressPromote } from './promote.js';
import { pressButtons } from './press.js';
import { recoveryButtons } from './recovery.js';
import type { ButtonAction } from './types.js';
import { workButtons } from './work.js';

export const BUTTONS: Record<string, ButtonAction> = { ...moderationButtons, ...workButtons, ...pressButtons, ...recoveryButtons };

/**
 * Every button press: the short callback id is looked up (unknown ids are refused as
 * forged or stale), the presser is checked against the action's role and the incident's
 * department, the action runs, the press is answered, and the incident's cards are redrawn.
 */
export function registerButtons(bot: Telegraf, deps: BotDeps, extra: Record<string, ButtonAction> = {}): void {
  const actions = { ...BUTTONS, ...extra };
  bot.on('callback_query', async (ctx) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    const now = deps.clock.now();
    const staff = await findStaff(deps.db, ctx.from.id);
    const cb = await resolveCallback(deps.db, data);
    const action = cb ? actions[cb.action] : undefined;
    if (!cb || (!action && cb.action !== 'promote')) {
      await recordRefusal(deps, { telegramId: ctx.from.id, staff }, { action: `callback:${String(data).slice(0, 40)}`, reason: 'unknown callback payload', at: now });
      return void (await ctx.answerCbQuery('Эта кнопка недействительна. Откройте карточку заново: /incident <номер>', { show_alert: true }));
    }
    if (cb.incidentId === null && cb.action === 'promote') return pressPromote(ctx, deps, staff, cb.arg, now);
    const [incident] = cb.incidentId ? await deps.db.select().from(incidents).where(eq(incidents.id, cb.incidentId)) : [];
    if (!incident) return void (await ctx.answerCbQuery('Инцидент не найден', { show_alert: true }));
    if (!action) return;
    const verdict = authorize(staff, action.permission, incident);
    if (!verdict.ok) {
      await recordRefusal(deps, { telegramId: ctx.from.id, staff }, { action: cb.action, reason: verdict.reason, incidentId: incident.id, at: now });
      return void (await ctx.answerCbQuery(`Извините, ${verdict.reason}.`, { show_alert: true }));
    }
    const toast = await runSafely(ctx, () => action.run({ deps, staff: staff!, incident, arg: cb.arg, chatId: String(ctx.chat?.id ?? ctx.from.id), actor: `user:${ctx.from.id}`, now }));
    await ctx.answerCbQuery(toast.text, toast.alert ? { show_alert: true } : {});
    await syncCards(deps, incident.id);
  });
}

/** Runs an action; a move the incident no longer allows (someone was faster) or a user error becomes a polite alert. */
export async function runSafely(_ctx: Context, fn: () => Promise<string | void>): Promise<{ text: string; alert: boolean }> {
  try {
    return { text: (await fn()) ?? 'Готово', alert: false };
  } catch (err) {
    if (err instanceof TransitionError) return { text: `Уже нельзя: инцидент в статусе «${STATUS_LABELS[err.from]}»`, alert: true };
    if (err instanceof UserFacingError) return { text: `Не получилось: ${err.message}`, alert: true };
    throw err;
  }
}
