import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { posts, setAside } from '../db/schema.js';
import type { Classification } from '../domain/classification.js';
import { toKeyboard } from './callbacks.js';
import type { BotDeps } from './deps.js';
import { CHANNEL_LABELS, KIND_LABELS, excerpt, link } from './format.js';
import { enqueueMessage } from './outbox.js';

/**
 * Whether a post the classifier decided is not an incident must still pass a moderator:
 * yes unless the trained model decided alone at its precision target. An LLM verdict
 * never takes a post out of moderation (a post can talk an LLM into "spam").
 */
export function needsModeratorLook(cls: Classification): boolean {
  return !(cls.by === 'model' && cls.auto === true);
}

/**
 * Keeps set-aside posts for the moderators' digest, a batch in one statement
 * (idempotent: a re-run adds nothing).
 */
export async function keepSetAside(db: Db, items: ReadonlyArray<{ postId: number; cls: Classification }>, now: Date): Promise<void> {
  const rows = items
    .filter(({ cls }) => needsModeratorLook(cls))
    .map(({ postId, cls }) => ({ postId, kind: cls.kind, by: cls.by, confidence: cls.confidence, reason: cls.explanation ?? null, createdAt: now }));
  for (let i = 0; i < rows.length; i += 1000) await db.insert(setAside).values(rows.slice(i, i + 1000)).onConflictDoNothing();
}

/**
 * Sends what the classifier set aside to the moderators as compact digests (up to 8
 * posts a message), each post with a one-tap «это инцидент», so a misjudged complaint
 * is never silently lost. Returns how many posts were shown.
 */
export async function sendSetAsideDigest(d: Pick<BotDeps, 'db' | 'installation' | 'clock' | 'queued'>, max = 8): Promise<number> {
  const chatId = d.installation.chats.moderators;
  if (!chatId) return 0;
  const rows = await d.db
    .select({ s: setAside, p: posts })
    .from(setAside)
    .innerJoin(posts, eq(posts.id, setAside.postId))
    .where(isNull(setAside.shownAt))
    .orderBy(asc(setAside.postId))
    .limit(max);
  if (!rows.length) return 0;
  const now = d.clock.now();
  const lines = rows.map(({ s, p }, i) => `${i + 1}. ${CHANNEL_LABELS[p.channel] ?? p.channel} · ${KIND_LABELS[s.kind] ?? s.kind} (${s.by}${s.reason ? `: ${excerpt(s.reason, 60)}` : ''})\n«${excerpt(p.text, 180, p.url)}»${p.url ? ` ${link(p.url, 'оригинал')}` : ''}`);
  const keyboard = await toKeyboard(d.db, null, [rows.map(({ s }, i) => ({ text: `${i + 1}: это инцидент`, action: 'promote', arg: String(s.postId) }))].flatMap((r) => chunk(r, 3)), now);
  const html = `🗂 <b>Не инциденты по мнению классификатора</b> — проверьте:\n\n${lines.join('\n\n')}`;
  await enqueueMessage(d.db, { chatId, html, keyboard, key: `set-aside:${rows[0]!.s.postId}-${rows.at(-1)!.s.postId}` }, now);
  await d.db.update(setAside).set({ shownAt: now }).where(and(inArray(setAside.postId, rows.map((r) => r.s.postId)), isNull(setAside.shownAt)));
  d.queued();
  return rows.length;
}

function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
