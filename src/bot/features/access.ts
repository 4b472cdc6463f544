import { asc, eq } from 'drizzle-orm';
import type { Telegraf } from 'telegraf';
import { users } from '../../db/schema.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { createInvite, inviteLink, redeemInvite } from '../invites.js';
import { enqueueMessage } from '../outbox.js';
import { authorize, findStaff, recordRefusal, ROLE_LABELS, ROLES, type Permission, type Role } from '../roles.js';

const WHY: Record<'unknown' | 'used' | 'expired', string> = {
  unknown: 'такого приглашения нет',
  used: 'это приглашение уже использовано',
  expired: 'срок приглашения истёк',
};

export const HELP_BY_ROLE: Record<Role, string> = {
  admin: '/invite &lt;роль&gt; [отдел] — приглашение; /users — сотрудники; /role &lt;id&gt; &lt;роль&gt; [отдел]; /deactivate &lt;id&gt;',
  moderator: 'карточки новых инцидентов приходят в чат модераторов: подтвердите, смените тему или отдел, отклоните, объедините',
  department: 'карточки вашего отдела приходят в его чат: возьмите в работу, ответьте (ответом на сообщение бота, можно с фото)',
  press: 'когда отдел ответил, в чат пресс-службы приходит черновик: опубликуйте, исправьте или отметьте опубликованным вручную',
  manager: 'еженедельный отчёт и просрочки приходят в чат руководителей; /stats — цифры за любой период с графиком, /stats month xlsx — с таблицей',
};

/** Invites, /start with a code, and the admin's user management. */
export function registerAccess(bot: Telegraf, deps: BotDeps): void {
  const say = (chatId: number, html: string) => enqueueMessage(deps.db, { chatId: String(chatId), html }, deps.clock.now()).then(deps.queued);
  /** Runs `fn` only for a user with `permission`; otherwise a polite refusal, logged. */
  const guarded = (permission: Permission, name: string, fn: (ctx: { chat: { id: number }; from: { id: number } }, args: string[]) => Promise<unknown>) =>
    bot.command(name, async (ctx) => {
      const staff = await findStaff(deps.db, ctx.from.id);
      const verdict = authorize(staff, permission);
      if (!verdict.ok) {
        await recordRefusal(deps, { telegramId: ctx.from.id, staff }, { action: `/${name}`, reason: verdict.reason, at: deps.clock.now() });
        return say(ctx.chat.id, `Извините, ${escapeHtml(verdict.reason)}.`);
      }
      await fn(ctx, ctx.message.text.split(/\s+/).slice(1));
    });

  bot.start(async (ctx) => {
    const code = ctx.payload?.trim();
    const staff = await findStaff(deps.db, ctx.from.id);
    if (!code) return say(ctx.chat.id, staff ? `Вы — ${ROLE_LABELS[staff.role]}. ${HELP_BY_ROLE[staff.role]}\n/help — все команды.` : 'Это служебный бот администрации. Войти можно только по приглашению администратора.');
    const name = [ctx.from.first_name, ctx.from.last_name].filter(Boolean).join(' ');
    const r = await redeemInvite(deps.db, code, { telegramId: ctx.from.id, name }, deps.clock.now());
    if (!r.ok) {
      await recordRefusal(deps, { telegramId: ctx.from.id, staff }, { action: '/start invite', reason: r.why, at: deps.clock.now() });
      return say(ctx.chat.id, `Не получилось войти: ${WHY[r.why]}. Попросите у администратора новое приглашение.`);
    }
    const dept = r.staff.departmentCode ? ` (${escapeHtml(deps.installation.departments.find((d) => d.code === r.staff.departmentCode)?.name ?? r.staff.departmentCode)})` : '';
    deps.log.info({ telegramId: ctx.from.id, role: r.staff.role }, 'bot: invite redeemed');
    return say(ctx.chat.id, `Добро пожаловать, ${escapeHtml(name)}! Ваша роль: ${ROLE_LABELS[r.staff.role]}${dept}.\n${HELP_BY_ROLE[r.staff.role]}`);
  });

  guarded('invite', 'invite', async (ctx, [role, dept]) => {
    if (!ROLES.includes(role as Role)) return say(ctx.chat.id, `Укажите роль: ${ROLES.join(', ')}. Например: /invite department zhkh`);
    if (role === 'department' && !deps.installation.departments.some((d) => d.code === dept)) {
      return say(ctx.chat.id, `Укажите код отдела: ${deps.installation.departments.map((d) => d.code).join(', ')}`);
    }
    const inv = await createInvite(deps.db, { role: role as Role, departmentCode: dept ?? null, createdBy: `user:${ctx.from.id}`, now: deps.clock.now() });
    return say(ctx.chat.id, `Приглашение (${ROLE_LABELS[role as Role]}${dept ? `, ${escapeHtml(dept)}` : ''}), действует 7 дней, один раз:\n${inviteLink(deps.botUsername(), inv.code)}`);
  });

  guarded('manage_users', 'users', async (ctx) => {
    const rows = await deps.db.select().from(users).orderBy(asc(users.role), asc(users.name));
    const lines = rows.map((u) => `${u.active ? '🟢' : '⚪️'} <code>${u.telegramId}</code> ${escapeHtml(u.name ?? '')} — ${ROLE_LABELS[u.role as Role] ?? u.role}${u.departmentCode ? ` (${escapeHtml(u.departmentCode)})` : ''}`);
    return say(ctx.chat.id, lines.length ? `<b>Сотрудники</b>\n${lines.join('\n')}\n\n/role &lt;id&gt; &lt;роль&gt; [отдел] · /deactivate &lt;id&gt;` : 'Сотрудников пока нет.');
  });

  guarded('manage_users', 'role', async (ctx, [id, role, dept]) => {
    if (!id || !ROLES.includes(role as Role)) return say(ctx.chat.id, 'Формат: /role &lt;telegram id&gt; &lt;роль&gt; [отдел]');
    const done = await deps.db.update(users).set({ role: role!, departmentCode: role === 'department' ? (dept ?? null) : null, active: true }).where(eq(users.telegramId, Number(id))).returning();
    deps.log.info({ by: ctx.from.id, telegramId: id, role }, 'bot: role changed');
    return say(ctx.chat.id, done.length ? `Роль изменена: ${ROLE_LABELS[role as Role]}.` : 'Такого сотрудника нет.');
  });

  guarded('manage_users', 'deactivate', async (ctx, [id]) => {
    const done = await deps.db.update(users).set({ active: false }).where(eq(users.telegramId, Number(id))).returning();
    deps.log.info({ by: ctx.from.id, telegramId: id }, 'bot: user deactivated');
    return say(ctx.chat.id, done.length ? 'Сотрудник отключён.' : 'Такого сотрудника нет.');
  });
}
