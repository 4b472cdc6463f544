import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { cards, outbox } from '../db/schema.js';

/** An inline keyboard: rows of buttons whose `data` is a short callback id (src/bot/callbacks.ts). */
export type Keyboard = Array<Array<{ text: string; data?: string; url?: string }>>;

export interface OutgoingMessage {
  chatId: string;
  html: string;
  keyboard?: Keyboard;
  /** Once-only key: a second message with the same key is dropped (also across restarts and instances). */
  key?: string;
  /** Remembered with the sent message: what a reply to it means (the bot asked for text). */
  meta?: Record<string, unknown>;
  /** Ask the client to reply to this message (`force_reply`). */
  forceReply?: boolean;
  /** Answer to this message of the chat. */
  replyTo?: number;
  /** Sent after this moment (a 429 pause, a scheduled message). */
  notBefore?: Date;
}

export interface OutgoingFile {
  chatId: string;
  kind: 'photo' | 'document';
  filename: string;
  data: Uint8Array;
  caption?: string;
  key?: string;
}

export function replyMarkup(keyboard?: Keyboard, forceReply?: boolean): Record<string, unknown> | undefined {
  if (forceReply) return { force_reply: true, selective: true };
  if (!keyboard?.length) return undefined;
  return {
    inline_keyboard: keyboard.map((row) => row.map((b) => (b.url ? { text: b.text, url: b.url } : { text: b.text, callback_data: b.data ?? 'noop' }))),
  };
}

function messagePayload(m: { html: string; keyboard?: Keyboard; forceReply?: boolean; replyTo?: number }): Record<string, unknown> {
  const markup = replyMarkup(m.keyboard, m.forceReply);
  return {
    text: m.html,
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    ...(markup ? { reply_markup: markup } : {}),
    ...(m.replyTo ? { reply_parameters: { message_id: m.replyTo, allow_sending_without_reply: true } } : {}),
  };
}

/** Queues one message; returns false when its once-only key was already used. */
export async function enqueueMessage(db: Db, m: OutgoingMessage, now: Date): Promise<boolean> {
  const rows = await db
    .insert(outbox)
    .values({ chatId: m.chatId, kind: 'send', payload: messagePayload(m), key: m.key ?? null, meta: m.meta ?? null, notBefore: m.notBefore ?? now, createdAt: now })
    .onConflictDoNothing({ target: outbox.key })
    .returning({ id: outbox.id });
  return rows.length > 0;
}

/** Queues a photo or a document with its bytes (kept in the row, so a restart loses nothing). */
export async function enqueueFile(db: Db, f: OutgoingFile, now: Date): Promise<boolean> {
  const payload = { filename: f.filename, ...(f.caption ? { caption: f.caption, parse_mode: 'HTML' } : {}) };
  const rows = await db
    .insert(outbox)
    .values({ chatId: f.chatId, kind: f.kind, payload, attachment: Buffer.from(f.data).toString('base64'), key: f.key ?? null, notBefore: now, createdAt: now })
    .onConflictDoNothing({ target: outbox.key })
    .returning({ id: outbox.id });
  return rows.length > 0;
}

export interface CardState {
  incidentId: number;
  chatId: string;
  kind: 'moderator' | 'department' | 'press';
  html: string;
  keyboard: Keyboard;
}

const hashOf = (c: CardState) => createHash('sha1').update(c.html).update(JSON.stringify(c.keyboard.map((r) => r.map((b) => b.text)))).digest('hex');

/**
 * Shows a card in its chat: the first time it is sent, later it is edited in place.
 * Edits of one card coalesce: while an edit waits in the outbox, a newer state replaces
 * its payload, so Telegram only ever sees the latest state. Unchanged cards are not edited.
 */
export async function showCard(db: Db, card: CardState, now: Date): Promise<void> {
  const hash = hashOf(card);
  const payload = messagePayload(card);
  const [created] = await db
    .insert(cards)
    .values({ incidentId: card.incidentId, chatId: card.chatId, kind: card.kind, renderedHash: hash, createdAt: now })
    .onConflictDoNothing()
    .returning({ id: cards.id });
  if (created) {
    await db.insert(outbox).values({ chatId: card.chatId, kind: 'send', cardId: created.id, payload, notBefore: now, createdAt: now });
    return;
  }
  const [row] = await db
    .select()
    .from(cards)
    .where(and(eq(cards.incidentId, card.incidentId), eq(cards.chatId, card.chatId), eq(cards.kind, card.kind)));
  if (!row || row.renderedHash === hash) return;
  await db.update(cards).set({ renderedHash: hash }).where(eq(cards.id, row.id));
  // Not sent yet: the waiting send simply carries the new state.
  const waiting = await db
    .update(outbox)
    .set({ payload })
    .where(and(eq(outbox.cardId, row.id), eq(outbox.kind, 'send'), eq(outbox.status, 'pending')))
    .returning({ id: outbox.id });
  if (waiting.length) return;
  await db
    .insert(outbox)
    .values({ chatId: card.chatId, kind: 'edit', cardId: row.id, payload, notBefore: now, createdAt: now })
    .onConflictDoUpdate({ target: outbox.cardId, targetWhere: sql`kind = 'edit' and status = 'pending'`, set: { payload } });
}
