import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { incidentEvents, users } from '../db/schema.js';
import type { Logger } from '../log.js';

export const ROLES = ['admin', 'moderator', 'department', 'press', 'manager'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'администратор',
  moderator: 'модератор',
  department: 'исполнитель (отдел)',
  press: 'пресс-служба',
  manager: 'руководитель',
};

export interface Staff {
  id: number;
  telegramId: number;
  name: string | null;
  role: Role;
  departmentCode: string | null;
}

/**
 * Who may do what. The README's table is generated from the same words; keep them in step.
 * Department actions are further limited to the member's own department (see `authorize`).
 */
export const PERMISSIONS = {
  moderate: ['admin', 'moderator'],
  work: ['admin', 'department'],
  publish: ['admin', 'press'],
  invite: ['admin'],
  manage_users: ['admin'],
  read: ['admin', 'moderator', 'department', 'press', 'manager'],
  stats: ['admin', 'moderator', 'manager'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

/** An active invited user by Telegram id, or null: nobody is trusted by chat membership alone. */
export async function findStaff(db: Db, telegramId: number | undefined): Promise<Staff | null> {
  if (telegramId === undefined) return null;
  const [u] = await db.select().from(users).where(and(eq(users.telegramId, telegramId), eq(users.active, true)));
  if (!u || u.telegramId === null) return null;
  return { id: u.id, telegramId: u.telegramId, name: u.name, role: u.role as Role, departmentCode: u.departmentCode };
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/** Checks a permission, and for department work that the incident is the member's department's. */
export function authorize(staff: Staff | null, permission: Permission, incident?: { departmentCode: string | null }): Verdict {
  if (!staff) return { ok: false, reason: 'вы не зарегистрированы в боте: попросите администратора прислать приглашение' };
  if (!(PERMISSIONS[permission] as readonly Role[]).includes(staff.role)) {
    return { ok: false, reason: `это действие недоступно вашей роли (${ROLE_LABELS[staff.role]})` };
  }
  if (permission === 'work' && staff.role === 'department' && incident && incident.departmentCode !== staff.departmentCode) {
    return { ok: false, reason: 'этот инцидент назначен другому отделу' };
  }
  return { ok: true };
}

/** A refusal is written down: a log line, and an event on the incident when there is one. */
export async function recordRefusal(
  deps: { db: Db; log: Logger },
  who: { telegramId?: number; staff: Staff | null },
  what: { action: string; reason: string; incidentId?: number | null; at: Date },
): Promise<void> {
  deps.log.warn({ telegramId: who.telegramId, role: who.staff?.role, action: what.action, incidentId: what.incidentId, reason: what.reason }, 'bot: action refused');
  if (!what.incidentId) return;
  await deps.db.insert(incidentEvents).values({
    incidentId: what.incidentId,
    at: what.at,
    actor: `user:${who.telegramId ?? 'unknown'}`,
    type: 'refused',
    data: { action: what.action, reason: what.reason, role: who.staff?.role ?? null },
  });
}
