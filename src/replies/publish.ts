import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { incidents, posts, replies } from '../db/schema.js';
import type { Channel } from '../domain/post.js';
import { isAmbiguousDelivery, SourceError, type ChannelAdapter, type ReplyPhoto } from '../domain/source.js';
import { canTransition, type Status } from '../domain/status.js';
import { transition } from '../incidents/transition.js';
import { interimFollowupDeadline } from '../sla/deadline.js';
import { redactSecretShapes, type Logger } from '../log.js';

/**
 * Reply states: pending → sending → published; `failed` = the network said no,
 * safe to try again; `unconfirmed` = it may have been posted (a timeout on a
 * channel without idempotency keys): a person must look before anything is re-sent.
 */
/** First key of the per-incident advisory lock taken while queueing a reply. */
const REPLY_LOCK = 720_001;

export type ReplyStatus = 'pending' | 'sending' | 'published' | 'failed' | 'unconfirmed';

export interface ReplyPublisherDeps {
  db: Db;
  adapters: ReadonlyMap<Channel, ChannelAdapter>;
  clock: Clock;
  log: Logger;
  /** Days for the full answer after an interim one (`sla.interim_days`, default 7). */
  interimDays?: number;
  /** Fetches a photo kept as a staff-bot file id (the department's answer) for publishing. */
  fetchPhoto?: (fileId: string) => Promise<ReplyPhoto>;
}

export interface QueueReply {
  incidentId: number;
  text: string;
  /** An interim answer («передано в работу») stops the first clock but is not the answer. */
  interim?: boolean;
  actor: string;
  /** The post to answer; default: the incident's first post. */
  postId?: number;
  /** Staff-bot file ids of photos to publish with the text (where the channel allows). */
  photos?: string[];
}

/**
 * Publishes answers back into the networks exactly once. The reply row (with its
 * idempotency key) is committed before the network is called, and marked
 * `sending` in its own commit, so a crash at any point either re-sends with the
 * same key (channels that deduplicate by it) or leaves the reply for a person.
 */
export function createReplyPublisher(deps: ReplyPublisherDeps) {
  const { db, clock } = deps;

  const queue = (input: QueueReply) => queueIn(db, input);

  async function queueIn(db: Db, input: QueueReply): Promise<number> {
    const postId = input.postId ?? (await db.select({ id: incidents.firstPostId }).from(incidents).where(eq(incidents.id, input.incidentId)))[0]?.id;
    const [row] = await db
      .insert(replies)
      .values({ incidentId: input.incidentId, postId: postId ?? null, text: input.text, isInterim: input.interim ?? false, photos: input.photos ?? [], idempotencyKey: `otklik-${randomUUID()}`, createdBy: input.actor, createdAt: clock.now() })
      .returning({ id: replies.id });
    return row!.id;
  }

  /**
   * Queues unless the same answer is already out or on its way (pending, sending, published,
   * unconfirmed): Telegram delivers a button press again after a crash (its update was never
   * confirmed), and a second press must not publish a second answer. Same answer = the final
   * answer, or an interim one with the same text. Returns null when refused.
   */
  async function queueOnce(input: QueueReply): Promise<number | null> {
    return db.transaction(async (tx) => {
      // Two presses at once (two instances, two people) are serialized per incident.
      await tx.execute(sql`select pg_advisory_xact_lock(${REPLY_LOCK}::int, ${input.incidentId}::int)`);
      const open = await tx
        .select({ id: replies.id })
        .from(replies)
        .where(and(eq(replies.incidentId, input.incidentId), eq(replies.isInterim, input.interim ?? false), inArray(replies.status, ['pending', 'sending', 'published', 'unconfirmed']), input.interim ? eq(replies.text, input.text) : undefined))
        .limit(1);
      if (open.length) return null;
      return queueIn(tx as unknown as Db, input);
    });
  }

  /** Claims the reply for sending; null when it is not in a sendable state (someone else has it, or it is done). */
  async function claim(replyId: number) {
    const [row] = await db
      .update(replies)
      .set({ status: 'sending' })
      .where(and(eq(replies.id, replyId), inArray(replies.status, ['pending', 'failed'])))
      .returning();
    return row ?? null;
  }

  async function publish(replyId: number): Promise<ReplyStatus> {
    const reply = await claim(replyId);
    if (!reply) return ((await db.select({ s: replies.status }).from(replies).where(eq(replies.id, replyId)))[0]?.s ?? 'failed') as ReplyStatus;
    const [post] = reply.postId ? await db.select().from(posts).where(eq(posts.id, reply.postId)) : [];
    const adapter = post ? deps.adapters.get(post.channel as Channel) : undefined;
    if (!post?.replyTarget || !adapter?.reply) return settleFailure(reply.id, new SourceError('broken', 'на этот пост нельзя ответить из бота (нет адреса ответа или канал не подключён)'), true);
    try {
      const photos = deps.fetchPhoto && reply.photos.length ? await Promise.all(reply.photos.map(deps.fetchPhoto)) : [];
      const res = await adapter.reply(post.replyTarget, reply.text, reply.idempotencyKey, photos);
      const now = clock.now();
      await db.transaction(async (tx) => {
        await tx.update(replies).set({ status: 'published', externalId: res.externalId, url: res.url ?? null, publishedAt: now, attempts: reply.attempts + 1, lastError: null }).where(eq(replies.id, reply.id));
        await markAnswered(tx as unknown as Db, reply.incidentId, reply.isInterim, reply.createdBy, now, deps.interimDays ?? 7);
      });
      return 'published';
    } catch (err) {
      return settleFailure(reply.id, err, adapter.replyRetrySafe ?? false, reply.attempts + 1);
    }
  }

  async function settleFailure(replyId: number, err: unknown, retrySafe: boolean, attempts?: number): Promise<ReplyStatus> {
    const saidNo = err instanceof SourceError ? err.kind === 'broken' : !isAmbiguousDelivery(err);
    const status: ReplyStatus = retrySafe || saidNo ? 'failed' : 'unconfirmed';
    const message = redactSecretShapes(err instanceof Error ? err.message : String(err));
    await db.update(replies).set({ status, lastError: message, ...(attempts ? { attempts } : {}) }).where(eq(replies.id, replyId));
    deps.log.warn({ replyId, status, err: message }, 'reply not published');
    return status;
  }

  /**
   * The press service posted the answer by hand (or checked that an unconfirmed one did
   * go out): the reply is recorded as published with its link and the incident is answered.
   */
  async function markPublishedByHand(input: { incidentId: number; url: string; text: string; actor: string }): Promise<void> {
    const now = clock.now();
    await db.transaction(async (tx) => {
      const [open] = await tx.select().from(replies).where(and(eq(replies.incidentId, input.incidentId), inArray(replies.status, ['unconfirmed', 'failed', 'pending']))).orderBy(asc(replies.id)).limit(1);
      let interim = false;
      if (open) {
        interim = open.isInterim;
        await tx.update(replies).set({ status: 'published', url: input.url, publishedAt: now, lastError: null }).where(eq(replies.id, open.id));
      } else {
        const postId = (await tx.select({ id: incidents.firstPostId }).from(incidents).where(eq(incidents.id, input.incidentId)))[0]?.id ?? null;
        await tx.insert(replies).values({ incidentId: input.incidentId, postId, text: input.text, status: 'published', url: input.url, idempotencyKey: `manual-${randomUUID()}`, createdBy: input.actor, createdAt: now, publishedAt: now });
      }
      await markAnswered(tx as unknown as Db, input.incidentId, interim, input.actor, now, deps.interimDays ?? 7);
    });
  }

  return {
    queue,
    queueOnce,
    publish,
    markPublishedByHand,
    /**
     * After a restart: replies left `sending` by a crash are re-sent where the
     * channel deduplicates by key, and otherwise marked `unconfirmed` for a person.
     */
    async recover(): Promise<{ resent: number; unconfirmed: number; incidentIds: number[] }> {
      const stuck = await db.select().from(replies).where(eq(replies.status, 'sending')).orderBy(asc(replies.id));
      const result = { resent: 0, unconfirmed: 0, incidentIds: [...new Set(stuck.map((r) => r.incidentId))] };
      for (const r of stuck) {
        const [post] = r.postId ? await db.select({ channel: posts.channel }).from(posts).where(eq(posts.id, r.postId)) : [];
        const safe = post ? (deps.adapters.get(post.channel as Channel)?.replyRetrySafe ?? false) : false;
        await db.update(replies).set({ status: safe ? 'failed' : 'unconfirmed', lastError: 'процесс прервался во время отправки' }).where(eq(replies.id, r.id));
        if (safe) {
          result.resent++;
          await publish(r.id);
        } else {
          result.unconfirmed++;
        }
      }
      return result;
    },
  };
}

/** The first public answer: the incident moves to `interim` or `answered` and its first-response time is set. */
async function markAnswered(db: Db, incidentId: number, interim: boolean, actor: string, at: Date, interimDays: number): Promise<void> {
  const [inc] = await db.select({ status: incidents.status }).from(incidents).where(eq(incidents.id, incidentId));
  if (!inc) return;
  const to: Status = interim ? 'interim' : 'answered';
  const from = inc.status as Status;
  const path: Status[] = from === 'new' && interim ? ['assigned', 'interim'] : [to];
  // A reply to an incident already past this point (closed, answered again) changes no status:
  // the reply row itself is the record. Never throw here: the message is already out.
  if (from === to || !canTransition(from, path[0]!)) return;
  // An interim answer stops the first clock and starts the follow-up one.
  const followupDeadline = interim ? interimFollowupDeadline(at, interimDays) : null;
  for (const step of path) await transition(db, { incidentId, to: step, actor, at, ...(step === 'interim' ? { followupDeadline } : {}) });
}
