import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { botCallbacks } from '../db/schema.js';
import type { Keyboard } from './outbox.js';

/** A button as a card wants it: what it does, not how Telegram carries it. */
export interface ButtonSpec {
  text: string;
  action: string;
  arg?: string;
}

export type KeyboardSpec = ButtonSpec[][];

export interface CallbackRow {
  id: string;
  action: string;
  incidentId: number | null;
  arg: string | null;
}

const PREFIX = 'c:';

/**
 * Turns button specs into an inline keyboard whose callback_data is `c:<random id>`.
 * The action, incident and argument stay in the database, so a client can never
 * forge a decision; an id is reused for the same button of the same incident.
 */
export async function toKeyboard(db: Db, incidentId: number | null, spec: KeyboardSpec, now: Date): Promise<Keyboard> {
  const known = incidentId === null ? [] : await db.select().from(botCallbacks).where(eq(botCallbacks.incidentId, incidentId));
  const byKey = new Map(known.map((r) => [`${r.action}|${r.arg ?? ''}`, r.id]));
  const fresh: Array<typeof botCallbacks.$inferInsert> = [];
  const rows = spec.map((row) =>
    row.map((b) => {
      const key = `${b.action}|${b.arg ?? ''}`;
      let id = byKey.get(key);
      if (!id) {
        id = randomBytes(9).toString('base64url');
        byKey.set(key, id);
        fresh.push({ id, action: b.action, incidentId, arg: b.arg ?? null, createdAt: now });
      }
      return { text: b.text, data: PREFIX + id };
    }),
  );
  if (fresh.length) await db.insert(botCallbacks).values(fresh).onConflictDoNothing();
  return rows;
}

/** The button behind a callback_data, or null for anything we did not issue (a forged or stale payload). */
export async function resolveCallback(db: Db, data: string | undefined): Promise<CallbackRow | null> {
  if (!data?.startsWith(PREFIX) || data.length > 64) return null;
  const [row] = await db.select().from(botCallbacks).where(eq(botCallbacks.id, data.slice(PREFIX.length)));
  return row ? { id: row.id, action: row.action, incidentId: row.incidentId, arg: row.arg } : null;
}
