import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { cards, incidents, outbox } from '../db/schema.js';
import type { Logger } from '../log.js';
import { toKeyboard } from './callbacks.js';
import { escapeHtml } from './html.js';
import { enqueueMessage } from './outbox.js';

type Row = typeof outbox.$inferSelect;

/**
 * Rows a drainer claimed and never settled: it died (kill -9, power loss) or its claim ran out
 * while the request was in flight. The Bot API has no idempotency key, so whether Telegram
 * delivered such a message is unknown. Sending it again could show it twice, so only edits
 * (idempotent: the same text again is "not modified") go back to `pending`; a send, photo or
 * document becomes `unconfirmed` — at most once — and the chat gets a short notice saying
 * what may be missing (a card's notice has a button to send the card again, pressed by a
 * person who sees it is missing).
 */
export async function settleInterrupted(db: Db, log: Logger, now: Date, which: { instance?: string }): Promise<{ resent: number; unconfirmed: number }> {
  const stale = which.instance ? eq(outbox.claimedBy, which.instance) : lt(outbox.claimedUntil, now);
  const edits = await db
    .update(outbox)
    .set({ status: 'pending', claimedBy: null, claimedUntil: null })
    .where(and(eq(outbox.status, 'sending'), eq(outbox.kind, 'edit'), stale))
    .returning({ id: outbox.id });
  const unsure = await db
    .update(outbox)
    .set({ status: 'unconfirmed', claimedBy: null, claimedUntil: null, lastError: 'отправка прервалась: неизвестно, дошло ли сообщение' })
    .where(and(eq(outbox.status, 'sending'), inArray(outbox.kind, ['send', 'photo', 'document']), stale))
    .returning();
  for (const row of unsure) await noticeUnconfirmed(db, row, now, 'restart');
  if (unsure.length) log.warn({ outboxIds: unsure.map((r) => r.id) }, 'staff messages interrupted mid-send: marked unconfirmed (not resent) and a notice queued to their chats');
  return { resent: edits.length, unconfirmed: unsure.length };
}

/**
 * The connection to Telegram broke after the request went out (a reset or a time-out, not a
 * refusal): the message may have arrived. Like an interrupted send, it is not sent again by
 * itself: the row becomes `unconfirmed` and its chat gets the notice.
 */
export async function markUnconfirmed(db: Db, row: Row, now: Date, lastError: string): Promise<void> {
  const [marked] = await db.update(outbox).set({ status: 'unconfirmed', claimedBy: null, claimedUntil: null, lastError }).where(and(eq(outbox.id, row.id), eq(outbox.status, 'sending'))).returning();
  if (marked) await noticeUnconfirmed(db, marked, now, 'network');
}

const WHY: Record<'restart' | 'network', string> = {
  restart: 'Бот перезапустился во время отправки',
  network: 'Связь с Telegram оборвалась во время отправки',
};

/** The notice in the row's chat (once: keyed by the row). Notices about notices are not sent. */
async function noticeUnconfirmed(db: Db, row: Row, now: Date, why: 'restart' | 'network'): Promise<void> {
  if (row.key?.startsWith('unconfirmed:')) return;
  const card = row.cardId === null ? null : (await db.select({ incidentId: cards.incidentId, number: incidents.number }).from(cards).innerJoin(incidents, eq(incidents.id, cards.incidentId)).where(eq(cards.id, row.cardId)))[0];
  const base = { chatId: row.chatId, key: `unconfirmed:${row.id}` };
  if (card) {
    const keyboard = await toKeyboard(db, card.incidentId, [[{ text: '📨 Карточки нет — прислать заново', action: 'resend_card', arg: String(row.id) }]], now);
    await enqueueMessage(db, { ...base, html: `⚠️ ${WHY[why]} карточки инцидента № ${card.number}: она могла не дойти. Если карточки № ${card.number} выше нет, нажмите кнопку.`, keyboard }, now);
    return;
  }
  const what = row.kind === 'send' ? `сообщения «${escapeHtml(excerptOf(row))}»` : `файла «${escapeHtml(String(row.payload.filename ?? 'файл'))}»`;
  await enqueueMessage(db, { ...base, html: `⚠️ ${WHY[why]} ${what}: оно могло не дойти и повторно не отправляется.` }, now);
}

function excerptOf(row: Row): string {
  const text = String(row.payload.text ?? '').replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/**
 * A person saw that an unconfirmed card is missing and pressed the notice's button: the
 * card's send goes back to the queue. Returns false when there is nothing to resend.
 */
export async function resendUnconfirmedCard(db: Db, outboxId: number, incidentId: number): Promise<boolean> {
  const rows = await db
    .update(outbox)
    .set({ status: 'pending', lastError: 'повтор по решению сотрудника', notBefore: new Date(0) })
    .where(and(eq(outbox.id, outboxId), sql`${outbox.status} = 'unconfirmed'`, eq(outbox.kind, 'send'), inArray(outbox.cardId, db.select({ id: cards.id }).from(cards).where(eq(cards.incidentId, incidentId)))))
    .returning({ cardId: outbox.cardId });
  // The card is redrawn after the press (syncCards): a forgotten hash makes that redraw go into the waiting send.
  if (rows[0]?.cardId) await db.update(cards).set({ renderedHash: null }).where(eq(cards.id, rows[0].cardId));
  return rows.length > 0;
}
