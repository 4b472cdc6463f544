import { hostname } from 'node:os';
import { and, eq } from 'drizzle-orm';
import { Telegram } from 'telegraf';
import type { App } from '../app/app.js';
import { replies, sources } from '../db/schema.js';
import { createReplyPublisher } from '../replies/publish.js';
import { computeDeadline } from '../sla/deadline.js';
import { createStaffBot, type StaffBot } from './bot.js';
import { syncCards, syncNewIncidents } from './card-sync.js';
import type { BotDeps } from './deps.js';
import { createDegradedMode } from './degraded.js';
import { createDraftWriter } from './draft.js';
import { sendSetAsideDigest } from './set-aside.js';
import { createOutboxSender, type OutboxSender } from './sender.js';
import type { SendLimits } from './send-limits.js';
import { startWebhook } from './webhook.js';
import { ConfigError } from '../config/installation.js';

export interface StaffRuntime {
  deps: BotDeps;
  bot: StaffBot;
  sender: OutboxSender;
  /** One intake round: poll the staff bot's source (long poll), decide posts, send new cards. */
  intakeOnce(): Promise<number>;
  stop(): void;
}

/** Builds the staff bot's parts on an App (no loops started): used by `start`, the demo and tests. */
export async function createStaffRuntime(app: App, opts: { token: string; apiRoot?: string; instance?: string; limits?: SendLimits }): Promise<StaffRuntime> {
  const telegram = new Telegram(opts.token, opts.apiRoot ? { apiRoot: opts.apiRoot } : {});
  const log = app.log.child({ part: 'bot' });
  const sender = createOutboxSender({ db: app.db, telegram, clock: app.clock, log, instance: opts.instance ?? app.env.OTKLIK_INSTANCE ?? `${hostname()}:${process.pid}`, ...(opts.limits ? { limits: opts.limits } : {}), shared: app.dbHandle?.driver === 'postgres' });
  const fetchPhoto = async (fileId: string) => {
    const url = await telegram.getFileLink(fileId);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`photo ${fileId}: HTTP ${res.status} from the Bot API file server`);
    return { filename: `${fileId}.jpg`, data: new Uint8Array(await res.arrayBuffer()) };
  };
  const publisher = createReplyPublisher({ db: app.db, adapters: app.adapters, clock: app.clock, log, interimDays: app.installation.sla.interim_days, fetchPhoto });
  let bot: StaffBot | null = null;
  const deps: BotDeps = {
    db: app.db,
    installation: app.installation,
    clock: app.clock,
    log,
    notifier: app.notifier,
    publisher,
    drafts: createDraftWriter(app.env, log),
    gazetteer: app.pipeline.gazetteer,
    deadline: (from, hours) => computeDeadline({ from, hours, mode: app.installation.sla.mode }, app.calendar),
    queued: () => sender.wake(),
    botUsername: () => bot?.username() ?? 'bot',
  };
  bot = createStaffBot(deps, { token: opts.token, ...(opts.apiRoot ? { apiRoot: opts.apiRoot } : {}) });
  await bot.init();
  app.staffIntake.handler = (update) => bot!.handleUpdate(update);
  app.staffIntake.syncCards = (incidentId) => syncCards(deps, incidentId);
  const abort = new AbortController();
  return {
    deps,
    bot,
    sender,
    async intakeOnce() {
      const ids = await staffSourceIds(app);
      // The lease covers one long poll and handling its updates: a dead reader is replaced in minutes, not 10.
      const leaseMs = ((app.staffIntake.longPollSec ?? 0) + STAFF_LEASE_SLACK_S) * 1000;
      const cycle = ids.length ? await app.poller.pollOnce({ force: true, sourceIds: ids, leaseMs }) : { polled: 0, failed: 0 };
      await app.processPending();
      await syncNewIncidents(deps);
      await sendSetAsideDigest(deps);
      // Another instance holds the lease, or Telegram failed: do not spin.
      return cycle.polled ? 0 : 5_000;
    },
    stop: () => abort.abort(),
  };
}

/** Seconds a staff-bot reader's lease lasts beyond its long poll (handling up to 100 updates). */
const STAFF_LEASE_SLACK_S = 90;

/** The workflow's chats (moderators, press, managers, admins, departments). */
function staffChatsOf(app: App): Set<string> {
  const chats = [...Object.values(app.installation.chats), ...app.installation.departments.map((d) => d.chat)];
  return new Set(chats.filter((c) => c !== undefined && c !== null && String(c) !== '').map(String));
}

async function staffSourceIds(app: App): Promise<number[]> {
  const rows = await app.db.select({ id: sources.id }).from(sources).where(and(eq(sources.channel, 'telegram'), eq(sources.kind, 'bot'), eq(sources.enabled, true)));
  return rows.map((r) => r.id);
}

/**
 * `otklik start` with TELEGRAM_BOT_TOKEN: the outbox sender, and one long-poll intake loop
 * for the staff bot's token. Only the instance holding the source's lease reads updates
 * (the poller's `FOR UPDATE SKIP LOCKED` lease), so several instances never steal them.
 */
export async function startStaffBot(app: App): Promise<{ stop(): Promise<void> }> {
  const token = app.env.TELEGRAM_BOT_TOKEN;
  if (!token) return { stop: async () => {} };
  const rt = await createStaffRuntime(app, { token, ...(app.env.TELEGRAM_API_ROOT ? { apiRoot: app.env.TELEGRAM_API_ROOT } : {}) });
  const abort = new AbortController();
  const sending = rt.sender.run(abort.signal);
  const webhookUrl = app.env.TELEGRAM_WEBHOOK_URL;
  if (webhookUrl) {
    if (!app.env.TELEGRAM_WEBHOOK_SECRET) throw new ConfigError('environment: TELEGRAM_WEBHOOK_SECRET: required with TELEGRAM_WEBHOOK_URL');
    const hook = await startWebhook(app, rt, { url: webhookUrl, secret: app.env.TELEGRAM_WEBHOOK_SECRET, port: app.env.TELEGRAM_WEBHOOK_PORT });
    return { stop: async () => (abort.abort(), void hook.stop(), void (await sending.catch(() => undefined))) };
  }
  app.staffIntake.longPollSec = app.env.TELEGRAM_LONG_POLL_SEC;
  // Replies a crash left unconfirmed (the publisher's recover()) get their press card: "published? give the link / send again".
  const unsure = await app.db.selectDistinct({ id: replies.incidentId }).from(replies).where(eq(replies.status, 'unconfirmed'));
  for (const r of unsure) await syncCards(rt.deps, r.id);
  if (!(await staffSourceIds(app)).length) app.log.warn('staff bot: no `channel: telegram, kind: bot` source is configured, so the bot reads no updates (buttons and commands will not work)');
  const degraded = createDegradedMode({ db: app.db, telegram: new Telegram(token, app.env.TELEGRAM_API_ROOT ? { apiRoot: app.env.TELEGRAM_API_ROOT } : {}), log: app.log.child({ part: 'bot' }), sleep: (ms, signal) => app.clock.sleep(ms, signal), staffChats: staffChatsOf(app) });
  const intake = (async () => {
    while (!abort.signal.aborted) {
      try {
        const pause = await rt.intakeOnce();
        if (pause) await app.clock.sleep(pause, abort.signal).catch(() => undefined);
      } catch (err) {
        app.log.error({ err }, 'staff bot intake round failed');
        // A database outage: users get «временно недоступна» instead of silence until it is back.
        await degraded.whileDatabaseDown(abort.signal);
        await app.clock.sleep(5_000, abort.signal).catch(() => undefined);
      }
    }
  })();
  app.log.info({ bot: rt.bot.username() }, 'staff bot started');
  // Stopping waits for the send and the intake round under way (a card sent is marked sent).
  return { stop: async () => (abort.abort(), void (await Promise.allSettled([sending, intake]))) };
}
