import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { invites, users } from '../db/schema.js';
import type { Role, Staff } from './roles.js';

export const INVITE_DAYS = 7;

export interface NewInvite {
  role: Role;
  departmentCode?: string | null;
  createdBy: string;
  now: Date;
  days?: number;
}

/** Creates a one-time invite code (deep link `t.me/<bot>?start=<code>`). */
export async function createInvite(db: Db, input: NewInvite): Promise<{ code: string; expiresAt: Date }> {
  if (input.role === 'department' && !input.departmentCode) throw new Error('a department invite needs the department code');
  const code = randomBytes(12).toString('base64url');
  const expiresAt = new Date(input.now.getTime() + (input.days ?? INVITE_DAYS) * 86_400_000);
  await db.insert(invites).values({ code, role: input.role, departmentCode: input.role === 'department' ? input.departmentCode! : null, createdBy: input.createdBy, createdAt: input.now, expiresAt });
  return { code, expiresAt };
}

export function inviteLink(botUsername: string, code: string): string {
  return `https://t.me/${botUsername}?start=${code}`;
}

export type Redeemed = { ok: true; staff: Staff } | { ok: false; why: 'unknown' | 'used' | 'expired' };

/**
 * Redeems an invite once: in one transaction the invite is locked, checked (exists,
 * unused, not expired), marked used, and the Telegram user becomes (or is updated to)
 * an active staff member with the invite's role and department.
 */
export async function redeemInvite(db: Db, code: string, user: { telegramId: number; name: string }, now: Date): Promise<Redeemed> {
  return db.transaction(async (tx) => {
    const [inv] = await tx.select().from(invites).where(eq(invites.code, code)).for('update');
    if (!inv) return { ok: false, why: 'unknown' } as const;
    if (inv.usedAt) return { ok: false, why: 'used' } as const;
    if (inv.expiresAt.getTime() < now.getTime()) return { ok: false, why: 'expired' } as const;
    await tx.update(invites).set({ usedAt: now, usedBy: user.telegramId }).where(eq(invites.code, code));
    const values = { name: user.name, role: inv.role, departmentCode: inv.departmentCode, active: true, inviteCode: code };
    const [row] = await tx
      .insert(users)
      .values({ telegramId: user.telegramId, invitedAt: now, ...values })
      .onConflictDoUpdate({ target: users.telegramId, set: values })
      .returning();
    return { ok: true, staff: { id: row!.id, telegramId: user.telegramId, name: row!.name, role: inv.role, departmentCode: inv.departmentCode } } as const;
  });
}
