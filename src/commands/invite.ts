import { Telegram } from 'telegraf';
import type { App } from '../app/app.js';
import { createInvite, INVITE_DAYS, inviteLink } from '../bot/invites.js';
import { ROLES, type Role } from '../bot/roles.js';
import { UsageError } from '../cli/errors.js';
import type { AppCommand } from '../cli/spec.js';
import { ConfigError } from '../config/installation.js';

/**
 * `otklik invite <role> [department] [--bot <username>]`: prints a one-time deep link
 * `https://t.me/<bot>?start=<code>` (valid 7 days). The first admin comes from here;
 * later invites come from /invite in the bot.
 */
export const inviteCommand: AppCommand = async (deps, input) => {
  const [role, dept] = input.args;
  if (!role || !ROLES.includes(role as Role)) throw new UsageError(`роль: ${ROLES.join(', ')}`);
  if (role === 'department' && !deps.installation.departments.some((d) => d.code === dept)) {
    throw new UsageError(`для роли department нужен код отдела: ${deps.installation.departments.map((d) => d.code).join(', ')}`);
  }
  const days = Number(input.opts.days ?? INVITE_DAYS);
  if (!(days > 0)) throw new UsageError('--days: положительное число дней');
  const username = typeof input.opts.bot === 'string' ? input.opts.bot.replace(/^@/, '') : await botUsername(deps.app);
  const inv = await createInvite(deps.db, { role: role as Role, departmentCode: dept ?? null, createdBy: 'cli', now: deps.clock.now(), days });
  deps.out(inviteLink(username, inv.code));
  deps.out(`role: ${role}${dept ? ` (${dept})` : ''}; works once; expires ${inv.expiresAt.toISOString()}`);
  return 0;
};

async function botUsername(app: App): Promise<string> {
  const token = app.env.TELEGRAM_BOT_TOKEN;
  if (!token) throw new ConfigError('environment: TELEGRAM_BOT_TOKEN: required to make an invite link (or pass --bot <username>)');
  const me = await new Telegram(token, app.env.TELEGRAM_API_ROOT ? { apiRoot: app.env.TELEGRAM_API_ROOT } : {}).getMe();
  return me.username;
}
