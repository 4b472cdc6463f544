import { hostname } from 'node:os';
import { systemClock, type Clock } from '../clock.js';
import { readEnv, type Env } from '../config/env.js';
import { loadInstallation, type Installation } from '../config/installation.js';
import { openDb, type Db, type DbHandle } from '../db/client.js';
import type { Classifier } from '../domain/classification.js';
import type { Update } from 'telegraf/types';
import type { Channel } from '../domain/post.js';
import type { ChannelAdapter } from '../domain/source.js';
import { createLogger, createRedactor, type Logger } from '../log.js';
import { createLogNotifier, type Notifier } from '../notify.js';
import { createOutboxNotifier } from '../bot/notifier.js';
import { keepSetAside } from '../bot/set-aside.js';
import { createDedupeIndex } from '../pipeline/dedupe-index.js';
import { createPoller } from '../pipeline/poller.js';
import { createEventHub, type EventHub } from '../events.js';
import { createLifecycle, type Lifecycle } from '../lifecycle.js';
import { processPending, type PipelineStep, type ProcessDeps } from '../pipeline/process.js';
import { createGazetteer } from '../routing/territory.js';
import type { WorkCalendar } from '../sla/calendar.js';
import { workCalendarFromConfig } from '../sla/from-config.js';
import { computeDeadline } from '../sla/deadline.js';
import { createPipelineClassifier } from './classifier.js';
import { syncConfig } from './sync-config.js';

/**
 * Late-bound hooks between the Telegram adapter (which owns getUpdates) and the staff bot,
 * which is built after the adapters: the bot sets them when it starts.
 */
export interface StaffIntakeHooks {
  /** Staff-bot updates that are not monitored posts go here (the bot's handleUpdate). */
  onTelegramUpdate: (update: Update, which: 'bot' | 'citizen_bot') => Promise<void>;
  /** getUpdates long-poll timeout in seconds: 0 for poll cycles, more while the bot's intake runs. */
  telegramLongPollSec: () => number;
  /** Webhook mode: updates Telegram pushed, taken instead of calling getUpdates (null: polling mode). */
  telegramPushed: () => Update[] | null;
}

/** Everything a command needs, built once. */
export interface App {
  env: Env;
  installation: Installation;
  db: Db;
  dbHandle: DbHandle;
  log: Logger;
  clock: Clock;
  calendar: WorkCalendar;
  /** `reload` picks up a newly trained model (absent when a test passes its own classifier). */
  classifier: Classifier & { reload?(): Promise<void> };
  notifier: Notifier;
  adapters: ReadonlyMap<Channel, ChannelAdapter>;
  /** Set by the staff bot when it starts (src/bot/runtime.ts). */
  staffIntake: {
    handler: ((update: Update) => Promise<void>) | null;
    longPollSec: number;
    pushed: Update[] | null;
    /** Redraws an incident's cards after a change made outside the bot (a job); null without a bot. */
    syncCards: ((incidentId: number) => Promise<void>) | null;
  };
  pipeline: ProcessDeps;
  poller: ReturnType<typeof createPoller>;
  /** What the running parts report (metrics listen). */
  events: EventHub;
  /** Stop request and in-flight work of `start` (graceful shutdown). */
  lifecycle: Lifecycle;
  /** Decide every stored post that has no decision yet. */
  processPending(limit?: number): ReturnType<typeof processPending>;
  close(): Promise<void>;
}

export interface AppOptions {
  env?: Env;
  installation?: Installation;
  clock?: Clock;
  log?: Logger;
  /** Overrides the database location (tests: `memory://`). */
  dataDir?: string;
  /** Empty the PGlite directory before opening it (the demo); the directory is locked first. */
  freshDb?: boolean;
  /** An already open database (tests share one per file); the app will not close it. */
  db?: DbHandle;
  databaseUrl?: string;
  createAdapters?: (deps: { env: Env; log: Logger; clock: Clock; installation: Installation } & StaffIntakeHooks) => Map<Channel, ChannelAdapter>;
  classifier?: Classifier;
  notifier?: Notifier;
  faults?: (step: PipelineStep) => void;
}

export async function createApp(opts: AppOptions = {}): Promise<App> {
  const env = opts.env ?? readEnv();
  const installation = opts.installation ?? loadInstallation(env.OTKLIK_CONFIG);
  // Redact the tokens of the parsed settings too: those read from .env are not in process.env.
  const log = opts.log ?? createLogger({ level: env.LOG_LEVEL, env: { ...process.env, ...(env as Record<string, unknown>) } as NodeJS.ProcessEnv });
  const clock = opts.clock ?? systemClock;
  const dbHandle = opts.db ?? (await openDb({ url: opts.databaseUrl ?? env.DATABASE_URL, dataDir: opts.dataDir ?? env.OTKLIK_DATA_DIR, fresh: opts.freshDb ?? false }));
  const db = dbHandle.db;
  await syncConfig(db, installation);

  const calendar = workCalendarFromConfig(installation, { log });
  const classifier = opts.classifier ?? createPipelineClassifier({ installation, db, env, log, clock });
  // With a staff bot every notice goes through the outbox (sent by `start`); otherwise to the log.
  const notifier = opts.notifier ?? (env.TELEGRAM_BOT_TOKEN ? createOutboxNotifier({ db, installation, clock, log }) : createLogNotifier(log));
  const staffIntake: App['staffIntake'] = { handler: null, longPollSec: 0, pushed: null, syncCards: null };
  const hooks: StaffIntakeHooks = {
    onTelegramUpdate: async (update, which) => {
      if (which === 'bot' && staffIntake.handler) await staffIntake.handler(update);
    },
    telegramLongPollSec: () => staffIntake.longPollSec,
    telegramPushed: () => (staffIntake.pushed ? staffIntake.pushed.splice(0) : null),
  };
  const adapters = opts.createAdapters?.({ env, log, clock, installation, ...hooks }) ?? new Map();
  const gazetteer = createGazetteer(installation.territory);
  const pipeline: ProcessDeps = {
    db,
    installation,
    classifier,
    gazetteer,
    dedupe: createDedupeIndex(db, gazetteer, { windowHours: installation.dedupe.window_hours, threshold: installation.dedupe.threshold }),
    deadline: (from, hours) => computeDeadline({ from, hours, mode: installation.sla.mode }, calendar),
    clock,
    log,
    ...(opts.faults ? { faults: opts.faults } : {}),
    onSetAside: (items, at) => keepSetAside(db, items, at),
    shared: dbHandle.driver === 'postgres',
  };
  const events = createEventHub();
  const lifecycle = createLifecycle();
  const rawPoller = createPoller({
    events,
    stopping: lifecycle.stopping,
    db,
    adapters,
    clock,
    log,
    notifier,
    instance: env.OTKLIK_INSTANCE ?? `${hostname()}:${process.pid}`,
    redact: createRedactor(env),
    ...(opts.faults ? { faults: opts.faults } : {}),
  });
  // A poll under way when SIGTERM comes is waited for (its posts and cursor are stored).
  const poller: typeof rawPoller = { ...rawPoller, pollOnce: (o) => lifecycle.track(rawPoller.pollOnce(o)) };
  return {
    env, installation, db, dbHandle, log, clock, calendar, classifier, notifier, adapters, staffIntake, pipeline, poller,
    events, lifecycle,
    // Once stopping, nothing new is decided; stored posts wait for the next start.
    processPending: (limit) => (lifecycle.stopping.aborted ? Promise.resolve({ processed: 0, incidents: 0, merged: 0, notIncidents: 0, failed: 0 }) : lifecycle.track(processPending(pipeline, limit))),
    close: () => (opts.db ? Promise.resolve() : dbHandle.close()),
  };
}
