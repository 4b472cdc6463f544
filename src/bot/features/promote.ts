import type { Context } from 'telegraf';
import { promoteToIncident } from '../../incidents/promote.js';
import { syncCards } from '../card-sync.js';
import type { BotDeps } from '../deps.js';
import { authorize, recordRefusal, type Staff } from '../roles.js';
import { runSafely } from './buttons.js';

/** «это инцидент» under the set-aside digest: a moderator opens an incident for the post; its card follows. */
export async function pressPromote(ctx: Context, deps: BotDeps, staff: Staff | null, postId: string | null, now: Date): Promise<void> {
  const from = ctx.from!.id;
  const verdict = authorize(staff, 'moderate');
  if (!verdict.ok) {
    await recordRefusal(deps, { telegramId: from, staff }, { action: 'promote', reason: verdict.reason, at: now });
    return void (await ctx.answerCbQuery(`Извините, ${verdict.reason}.`, { show_alert: true }));
  }
  let id = 0;
  const toast = await runSafely(ctx, async () => {
    id = await promoteToIncident(deps, { postId: Number(postId), actor: `user:${from}`, at: now });
    return 'Инцидент открыт: карточка в чате модераторов';
  });
  await ctx.answerCbQuery(toast.text, toast.alert ? { show_alert: true } : {});
  if (id) await syncCards(deps, id);
}
