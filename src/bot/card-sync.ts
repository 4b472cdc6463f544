import { and, eq, isNull, sql } from 'drizzle-orm';
import { cards, incidents } from '../db/schema.js';
import { toKeyboard } from './callbacks.js';
import { loadCardModel, type CardModel } from './card-model.js';
import { renderDepartmentCard } from './cards/department.js';
import { renderModeratorCard } from './cards/moderator.js';
import { renderPressCard } from './cards/press.js';
import type { BotDeps } from './deps.js';
import { showCard } from './outbox.js';

type CardKind = 'moderator' | 'department' | 'press';
type SyncDeps = Pick<BotDeps, 'db' | 'installation' | 'clock' | 'queued'>;

const DEPARTMENT_STATUSES = ['assigned', 'in_work', 'interim', 'ready'];

/** Where the cards of an incident belong now: the moderators always, its department once assigned, the press once an answer is ready. */
function wanted(m: CardModel, d: SyncDeps): Array<{ kind: CardKind; chatId: string }> {
  const cfg = d.installation;
  const out: Array<{ kind: CardKind; chatId: string }> = [];
  if (cfg.chats.moderators) out.push({ kind: 'moderator', chatId: cfg.chats.moderators });
  const deptChat = cfg.departments.find((x) => x.code === m.incident.departmentCode)?.chat;
  if (deptChat && DEPARTMENT_STATUSES.includes(m.incident.status)) out.push({ kind: 'department', chatId: deptChat });
  const replyOpen = m.reply && ['unconfirmed', 'failed'].includes(m.reply.status);
  if (cfg.chats.press && (m.incident.status === 'ready' || replyOpen)) out.push({ kind: 'press', chatId: cfg.chats.press });
  return out;
}

/**
 * Brings every card of an incident up to date: cards already shown are edited in place
 * (the outbox coalesces), cards newly due are sent. No chat ever gets a copy.
 */
export async function syncCards(d: SyncDeps, incidentId: number): Promise<void> {
  const m = await loadCardModel(d.db, incidentId);
  if (!m) return;
  const existing = await d.db.select().from(cards).where(eq(cards.incidentId, incidentId));
  const targets = new Map<string, { kind: CardKind; chatId: string; view: string }>();
  for (const c of existing) targets.set(`${c.kind}|${c.chatId}`, { kind: c.kind, chatId: c.chatId, view: c.view });
  for (const w of wanted(m, d)) if (!targets.has(`${w.kind}|${w.chatId}`)) targets.set(`${w.kind}|${w.chatId}`, { ...w, view: 'main' });
  const now = d.clock.now();
  for (const t of targets.values()) {
    const r =
      t.kind === 'moderator' ? renderModeratorCard(m, d.installation, t.view, now) : t.kind === 'department' ? renderDepartmentCard(m, d.installation, now) : renderPressCard(m, d.installation, now);
    const keyboard = await toKeyboard(d.db, incidentId, r.keyboard, now);
    await showCard(d.db, { incidentId, chatId: t.chatId, kind: t.kind, html: r.html, keyboard }, now);
  }
  d.queued();
}

/** Switches a moderator card between its main buttons and a pick list, then redraws it. */
export async function setCardView(d: SyncDeps, incidentId: number, chatId: string, view: string): Promise<void> {
  await d.db.update(cards).set({ view }).where(and(eq(cards.incidentId, incidentId), eq(cards.chatId, chatId), eq(cards.kind, 'moderator')));
  await syncCards(d, incidentId);
}

/** Sends the moderators' card of every incident that has none yet (after a poll cycle). Returns how many. */
export async function syncNewIncidents(d: SyncDeps, limit = 200): Promise<number> {
  if (!d.installation.chats.moderators) return 0;
  const rows = await d.db
    .select({ id: incidents.id })
    .from(incidents)
    .leftJoin(cards, and(eq(cards.incidentId, incidents.id), eq(cards.kind, 'moderator')))
    .where(and(isNull(cards.id), eq(incidents.status, 'new'), sql`true`))
    .orderBy(incidents.id)
    .limit(limit);
  for (const r of rows) await syncCards(d, r.id);
  return rows.length;
}
