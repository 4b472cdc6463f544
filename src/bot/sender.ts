import { and, eq, min, sql } from 'drizzle-orm';
import { Input, TelegramError, type Telegram } from 'telegraf';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { cards, leases, outbox } from '../db/schema.js';
import { redactSecretShapes, type Logger } from '../log.js';
import { databaseAnswers } from './degraded.js';
import { markUnconfirmed, settleInterrupted } from './outbox-recovery.js';
import { createSendLimits, type SendLimits } from './send-limits.js';

type Row = typeof outbox.$inferSelect;

/** How long a send's outcome is kept in memory while the database is down (then the claim's expiry settles it). */
const SETTLE_PATIENCE_MS = 300_000;
const SETTLE_RETRY_MS = 2_000;

export interface OutboxSenderDeps {
  db: Db;
  telegram: Telegram;
  clock: Clock;
  log: Logger;
  /** This instance's name in claims. */
  instance: string;
  limits?: SendLimits;
  /** How long a claimed row stays ours if we die mid-send. */
  claimMs?: number;
  /** Network / 5xx failures before a row is given up (it stays in the table as `failed`). */
  maxAttempts?: number;
  /** Other instances may drain the same outbox (Postgres): `run` sends only while it holds the `outbox` lease. */
  shared?: boolean;
}

/** The lease of the one instance sending at a time (src/db/schema.ts `leases`). */
const OUTBOX_LEASE = 'outbox';
/** A sender that stops renewing (died, or lost the database) is replaced after this long. */
const LEASE_MS = 15_000;
/** How often the sending instance renews its lease (at most; it renews before a round). */
const LEASE_RENEW_MS = 3_000;
/** How often a standing-by instance tries to take the lease. */
const STANDBY_MS = 2_000;

export interface DrainResult {
  sent: number;
  deferred: number;
  failed: number;
  /** When something may become sendable next (ms since epoch), or null when the outbox is empty. */
  nextAt: number | null;
}

/**
 * Drains the outbox into the Bot API. Rows are claimed with `FOR UPDATE SKIP LOCKED`, one
 * per chat at a time and in order within a chat, so several drainers never send a row twice
 * and a chat's messages keep their order; claims of a dead drainer expire. Telegram's limits
 * are kept (src/bot/send-limits.ts), a 429 pauses that chat for `retry_after` and the row
 * waits — it is never lost nor sent twice; a definite "no" (400/403) is kept as `failed`.
 */
export function createOutboxSender(deps: OutboxSenderDeps) {
  const { db, clock } = deps;
  const limits = deps.limits ?? createSendLimits();
  const claimMs = deps.claimMs ?? 60_000;
  const maxAttempts = deps.maxAttempts ?? 8;
  let wakeUp: (() => void) | null = null;
  let lastRelease = -Infinity;

  /** Expired claims: a drainer died mid-send. Never re-sent blindly (src/bot/outbox-recovery.ts). */
  async function releaseStale(now: Date): Promise<void> {
    await settleInterrupted(db, deps.log, now, {});
  }

  async function claim(now: Date, budget: number): Promise<Row[]> {
    const at = sql`${now.toISOString()}::timestamptz`;
    const busy = [...limits.busy(now.getTime()).keys()];
    const notBusy = busy.length ? sql`and d.chat_id not in (${sql.join(busy.map((c) => sql`${c}`), sql`, `)})` : sql``;
    // Each chat's oldest open row only (one at a time per chat, in order): one pass over the open rows.
    const heads = sql`select distinct on (h.chat_id) h.id, h.chat_id, h.status, h.not_before from ${outbox} h
      where h.status in ('pending', 'sending') order by h.chat_id, h.id`;
    const due = sql`select d.id from (${heads}) d where d.status = 'pending' and d.not_before <= ${at} ${notBusy}`;
    const candidates = sql`select o.id from ${outbox} o where o.id in (${due}) and o.status = 'pending'
      order by o.id limit ${budget} for update skip locked`;
    return db
      .update(outbox)
      .set({ status: 'sending', claimedBy: deps.instance, claimedUntil: new Date(now.getTime() + claimMs), attempts: sql`${outbox.attempts} + 1` })
      .where(sql`${outbox.id} in (${candidates})`)
      .returning();
  }

  async function call(row: Row): Promise<number | null> {
    const p = row.payload;
    if (row.kind === 'send') {
      const msg = (await deps.telegram.callApi('sendMessage', { chat_id: row.chatId, ...p } as never)) as { message_id: number };
      return msg.message_id;
    }
    if (row.kind === 'edit') {
      const messageId = await cardMessageId(row.cardId);
      if (messageId === null) throw new Error('the card was never sent; nothing to edit');
      const { reply_parameters: _ignored, ...edit } = p;
      try {
        await deps.telegram.callApi('editMessageText', { chat_id: row.chatId, message_id: messageId, ...edit } as never);
      } catch (err) {
        if (err instanceof TelegramError && /message is not modified/i.test(err.description)) return messageId;
        throw err;
      }
      return messageId;
    }
    const file = Input.fromBuffer(Buffer.from(row.attachment ?? '', 'base64'), String(p.filename ?? 'file'));
    const extra = { ...(p.caption ? { caption: String(p.caption), parse_mode: 'HTML' as const } : {}) };
    const msg = row.kind === 'photo' ? await deps.telegram.sendPhoto(row.chatId, file, extra) : await deps.telegram.sendDocument(row.chatId, file, extra);
    return msg.message_id;
  }

  async function cardMessageId(cardId: number | null): Promise<number | null> {
    if (cardId === null) return null;
    const [c] = await db.select({ m: cards.messageId }).from(cards).where(eq(cards.id, cardId));
    return c?.m ?? null;
  }

  async function settle(row: Row, outcome: { messageId: number } | { error: unknown }): Promise<'sent' | 'deferred' | 'failed'> {
    const now = clock.now();
    if ('messageId' in outcome) {
      const done = { status: 'sent' as const, messageId: outcome.messageId, sentAt: now, claimedBy: null, claimedUntil: null, lastError: null };
      // A card's first send also remembers its message id (for later edits): both in one transaction.
      if (row.cardId === null || row.kind !== 'send') await db.update(outbox).set(done).where(eq(outbox.id, row.id));
      else {
        const cardId = row.cardId;
        await db.transaction(async (tx) => {
          await tx.update(outbox).set(done).where(eq(outbox.id, row.id));
          await tx.update(cards).set({ messageId: outcome.messageId }).where(eq(cards.id, cardId));
        });
      }
      return 'sent';
    }
    const err = outcome.error;
    const message = redactSecretShapes(err instanceof Error ? err.message : String(err));
    if (err instanceof TelegramError && err.code === 429) {
      const until = now.getTime() + (Number(err.parameters?.retry_after) || 5) * 1000;
      limits.pause(row.chatId, until);
      // A 429 is a definite "not sent": the row waits, its attempt does not count.
      await db.update(outbox).set({ status: 'pending', notBefore: new Date(until), attempts: sql`${outbox.attempts} - 1`, claimedBy: null, claimedUntil: null, lastError: message }).where(eq(outbox.id, row.id));
      return 'deferred';
    }
    // The connection broke after the request went out: the message may be in the chat already.
    // Not sent again by itself (Telegram has no idempotency key); edits are safe to repeat.
    if (row.kind !== 'edit' && mayHaveArrived(err)) {
      await markUnconfirmed(db, row, now, message);
      deps.log.warn({ outboxId: row.id, chatId: row.chatId, err: message }, 'staff message: the connection broke mid-call; marked unconfirmed (not resent), a notice queued');
      return 'failed';
    }
    const definite = err instanceof TelegramError && err.code >= 400 && err.code < 500;
    if (definite || row.attempts >= maxAttempts) {
      await db.update(outbox).set({ status: 'failed', claimedBy: null, claimedUntil: null, lastError: message }).where(eq(outbox.id, row.id));
      deps.log.error({ outboxId: row.id, chatId: row.chatId, err: message }, 'staff message not delivered (kept as failed in the outbox)');
      return 'failed';
    }
    const backoff = Math.min(300_000, 2_000 * 2 ** Math.max(0, row.attempts - 1));
    await db.update(outbox).set({ status: 'pending', notBefore: new Date(now.getTime() + backoff), claimedBy: null, claimedUntil: null, lastError: message }).where(eq(outbox.id, row.id));
    deps.log.warn({ outboxId: row.id, chatId: row.chatId, err: message }, 'staff message: network or server error; will retry');
    return 'deferred';
  }

  async function deliver(row: Row): Promise<'sent' | 'deferred' | 'failed'> {
    limits.record(row.chatId, clock.now().getTime());
    let outcome: { messageId: number } | { error: unknown };
    try {
      outcome = { messageId: (await call(row)) ?? 0 };
    } catch (error) {
      outcome = { error };
    }
    limits.answered(row.chatId, clock.now().getTime());
    // Telegram's answer must be recorded as it was: a database error while recording a sent
    // message is not a send error (that would send it again). Wait for the database instead.
    return settleSurely(row, outcome);
  }

  async function settleSurely(row: Row, outcome: { messageId: number } | { error: unknown }): Promise<'sent' | 'deferred' | 'failed'> {
    for (let waited = 0; ; waited += SETTLE_RETRY_MS) {
      try {
        return await settle(row, outcome);
      } catch (err) {
        if (waited >= SETTLE_PATIENCE_MS || (await databaseAnswers(db))) throw err;
        if (waited === 0) deps.log.warn({ outboxId: row.id, sent: 'messageId' in outcome }, 'outbox: the database is unreachable; keeping Telegram\'s answer until it is back');
        await new Promise((r) => setTimeout(r, SETTLE_RETRY_MS));
      }
    }
  }

  async function nextAt(now: Date): Promise<number | null> {
    const [r] = await db.select({ at: min(outbox.notBefore) }).from(outbox).where(eq(outbox.status, 'pending'));
    const t = now.getTime();
    if (!r?.at) {
      // Rows another (possibly dead) drainer holds come back when their claim expires.
      const [c] = await db.select({ at: min(outbox.claimedUntil) }).from(outbox).where(eq(outbox.status, 'sending'));
      return c?.at ? Math.max(t + 1, new Date(c.at).getTime() + 1) : null;
    }
    const times = [new Date(r.at).getTime(), ...limits.busy(t).values(), limits.globalFreeAt(t)].filter((x) => x > t);
    return times.length ? Math.min(...times) : t + 50;
  }

  async function drainOnce(): Promise<DrainResult> {
    const now = clock.now();
    // Claims expire after claimMs: looking for stale ones every few seconds is plenty.
    if (now.getTime() - lastRelease >= 15_000) {
      lastRelease = now.getTime();
      await releaseStale(now);
    }
    const result: DrainResult = { sent: 0, deferred: 0, failed: 0, nextAt: null };
    const budget = limits.globalBudget(now.getTime());
    const rows = budget > 0 ? await claim(now, budget) : [];
    const outcomes = await Promise.all(rows.map(deliver));
    for (const o of outcomes) result[o]++;
    const t = clock.now().getTime();
    // After sends the chats just served are busy: their free time is known without asking the database.
    const busyAt = rows.length ? Math.min(...limits.busy(t).values(), limits.globalFreeAt(t) > t ? limits.globalFreeAt(t) : Infinity) : Infinity;
    result.nextAt = Number.isFinite(busyAt) ? busyAt : await nextAt(clock.now());
    return result;
  }

  return {
    drainOnce,
    /** Drains until nothing is pending, sleeping on the clock between rounds (tests: a manual clock, no real waiting). */
    async drainAll(maxRounds = 100_000): Promise<DrainResult> {
      const total: DrainResult = { sent: 0, deferred: 0, failed: 0, nextAt: null };
      for (let i = 0; i < maxRounds; i++) {
        const r = await drainOnce();
        total.sent += r.sent;
        total.deferred += r.deferred;
        total.failed += r.failed;
        total.nextAt = r.nextAt;
        if (r.nextAt === null) return total;
        const wait = r.nextAt - clock.now().getTime();
        if (wait > 0) await clock.sleep(wait);
      }
      return total;
    },
    /** Tells a waiting `run` loop that something was queued. */
    wake(): void {
      wakeUp?.();
    },
    /**
     * Runs until `signal` aborts: drains, then waits for the next due row, a wake-up, or `idleMs`.
     * Shared: Telegram's limits are per bot, so one instance sends at a time and counts them
     * all (the `outbox` lease); the others stand by. One takes over at once when the sender
     * stops, and within LEASE_MS when it dies or loses the database. A sender stalled longer than
     * that (Telegram or the database hanging) may overlap with its successor for a round: rows
     * are still claimed one by one, so nothing is sent twice, only the rate count is split.
     */
    async run(signal: AbortSignal, idleMs = 500): Promise<void> {
      // Our own claims from before a restart (same OTKLIK_INSTANCE) are settled now, not when they expire.
      await settleInterrupted(db, deps.log, clock.now(), { instance: deps.instance }).catch((err: unknown) => deps.log.error({ err }, 'outbox: settling interrupted sends failed'));
      if (!deps.shared) return loop(signal, idleMs, async () => true);
      let lastRenew = -Infinity;
      const renew = async (): Promise<boolean> => {
        if (Date.now() - lastRenew < LEASE_RENEW_MS) return true;
        const mine = await holdLease();
        if (mine) lastRenew = Date.now();
        return mine;
      };
      while (!signal.aborted) {
        let mine = false;
        try {
          mine = await holdLease();
        } catch {
          // The database is unreachable: the loop below would fail too; try again after the standby wait.
        }
        if (mine) {
          lastRenew = Date.now();
          try {
            await countRecentSends(clock.now());
            deps.log.info({ instance: deps.instance }, 'outbox: this instance sends to Telegram; others stand by');
            await loop(signal, idleMs, renew);
          } catch (err) {
            deps.log.error({ err }, 'outbox sender failed');
          }
          if (!signal.aborted) deps.log.warn({ instance: deps.instance }, 'outbox: another instance took over sending; this one stands by');
        }
        // Real time (not the injected clock): standing by is waiting for another process.
        await abortableSleep(STANDBY_MS, signal);
      }
      // Stopping: the next instance takes over at once instead of waiting for the lease to expire.
      await db.delete(leases).where(and(eq(leases.name, OUTBOX_LEASE), eq(leases.holder, deps.instance))).catch(() => {});
    },
  };

  /**
   * Takes or renews the outbox lease (database time, so the instances' clocks don't matter):
   * true while this instance holds it. Our own name takes it at once (this instance restarted).
   */
  async function holdLease(): Promise<boolean> {
    const until = sql`clock_timestamp() + make_interval(secs => ${LEASE_MS / 1000})`;
    const rows = await db
      .insert(leases)
      .values({ name: OUTBOX_LEASE, holder: deps.instance, until })
      .onConflictDoUpdate({ target: leases.name, set: { holder: deps.instance, until }, setWhere: sql`${leases.holder} = ${deps.instance} or ${leases.until} < clock_timestamp()` })
      .returning({ holder: leases.holder });
    return rows.length === 1;
  }

  /** A new sender counts what was sent in the last minute (by the instance before it) against the limits. */
  async function countRecentSends(now: Date): Promise<void> {
    const recent = await db
      .select({ chatId: outbox.chatId, at: outbox.sentAt })
      .from(outbox)
      .where(sql`${outbox.sentAt} > ${new Date(now.getTime() - 61_000).toISOString()}::timestamptz`)
      .orderBy(outbox.sentAt);
    for (const r of recent) if (r.at) limits.record(r.chatId, new Date(r.at).getTime());
  }

  /** Drains until `signal` aborts or `alive` says this instance may no longer send. */
  async function loop(signal: AbortSignal, idleMs: number, alive: () => Promise<boolean>): Promise<void> {
    while (!signal.aborted) {
      try {
        if (!(await alive())) return;
        const r = await drainOnce();
        if (r.sent + r.deferred + r.failed > 0) continue;
        const wait = Math.min(idleMs, r.nextAt === null ? idleMs : Math.max(1, r.nextAt - clock.now().getTime()));
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, wait);
          function done() {
            clearTimeout(timer);
            wakeUp = null;
            signal.removeEventListener('abort', done);
            resolve();
          }
          wakeUp = done;
          signal.addEventListener('abort', done, { once: true });
        });
      } catch (err) {
        deps.log.error({ err }, 'outbox sender round failed');
        await abortableSleep(idleMs, signal);
      }
    }
  }
}

/** Network error codes meaning the request never reached Telegram (safe to send again). */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/**
 * True for a transport failure after the request may have been received: a reset or hang-up
 * mid-call, a time-out. Telegram's own answers (TelegramError: 4xx, 429, 5xx) and failures to
 * connect at all are not.
 */
export function mayHaveArrived(err: unknown): boolean {
  if (err instanceof TelegramError) return false;
  const e = err as { code?: unknown; errno?: unknown; type?: unknown; name?: unknown; cause?: { code?: unknown } } | null;
  const code = String(e?.code ?? e?.errno ?? e?.cause?.code ?? '');
  if (NOT_SENT_CODES.has(code)) return false;
  return ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_SOCKET'].includes(code) || e?.name === 'AbortError' || e?.type === 'request-timeout' || /socket hang up/i.test(String((err as Error)?.message ?? ''));
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export type OutboxSender = ReturnType<typeof createOutboxSender>;
