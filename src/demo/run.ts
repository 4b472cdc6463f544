import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { createApp, type AppOptions } from '../app/app.js';
import { createStaffRuntime } from '../bot/runtime.js';
import { createSendLimits } from '../bot/send-limits.js';
import { ManualClock } from '../clock.js';
import type { Env } from '../config/env.js';
import { loadInstallation, type Installation } from '../config/installation.js';
import type { ChannelAdapter } from '../domain/source.js';
import { createLogger } from '../log.js';
import { buildPeriodReport } from '../reports/period.js';
import { renderReportText } from '../reports/text.js';
import { startDemoBotApi } from './bot-api.js';
import { createBotStaff } from './bot-staff.js';
import { createDemoReplyAdapters, createReplayAdapter } from './replay-adapter.js';
import { renderTranscript } from './transcript.js';

/** The demo week: Monday 16 – Sunday 22 November 2026, Moscow time. */
export const DEMO_WEEK_START = '2026-11-16T00:00:00+03:00';
/** The demo installation: the example config with the bundled feed as its only source. */
export const DEMO_CONFIG = findUp(dirname(fileURLToPath(import.meta.url)), join('config', 'demo', 'config.yaml'));

/** `rel` in the nearest folder above `from` that has it: the same file from src/ and from a compiled dist/src/. */
function findUp(from: string, rel: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, rel))) return join(dir, rel);
    if (dirname(dir) === dir) return join(from, rel);
  }
}
const STEP_MS = 20 * 60_000;
const WEEK_MS = 7 * 24 * 3_600_000;

export interface DemoOptions {
  env: Env;
  /** The file adapter the demo replays the bundled feed through. */
  fileAdapter: ChannelAdapter;
  out: (line: string) => void;
  /** Database directory; default `<OTKLIK_DATA_DIR>/demo`, wiped first. `memory://` in tests. */
  dataDir?: string;
  format?: 'text' | 'json';
  /** Called with the App after the report, before it closes (tests check the report against the database). */
  inspect?: (app: Awaited<ReturnType<typeof createApp>>) => Promise<void>;
  /** Also print what every staff chat saw (`demo --chats`). */
  chats?: boolean;
}

/** The demo's staff chats: invented ids for the moderators, the press service, managers and every department. */
export function demoInstallation(base: Installation): Installation {
  return {
    ...base,
    chats: { moderators: '-1000000000001', press: '-1000000000002', managers: '-1000000000003', admins: '-1000000000004' },
    departments: base.departments.map((d, i) => ({ ...d, chat: String(-1000000000100 - i) })),
  };
}

/**
 * Plays a week: the bundled feed arrives post by post as the simulated clock
 * reaches each post's time, goes through the real poller and pipeline into the
 * embedded database; simulated staff work it through the real staff bot (cards,
 * button presses, replies to the bot) against an in-process Bot API, answers are
 * published through the reply publisher, and the weekly report is printed.
 */
export async function runDemo(opts: DemoOptions): Promise<number> {
  const clock = new ManualClock(DEMO_WEEK_START);
  const dataDir = opts.dataDir ?? join(opts.env.OTKLIK_DATA_DIR, 'demo');
  const log = createLogger({ level: opts.env.LOG_LEVEL === 'info' ? 'warn' : opts.env.LOG_LEVEL });
  const env = { ...opts.env, DATABASE_URL: undefined, TELEGRAM_BOT_TOKEN: undefined, OPENAI_API_KEY: undefined, OTKLIK_CONFIG: DEMO_CONFIG };
  const appOpts: AppOptions = {
    env,
    // The demo's own config (the bundled feed as its only source) with invented staff chats, whatever OTKLIK_CONFIG says.
    installation: demoInstallation(loadInstallation(DEMO_CONFIG)),
    clock,
    log,
    dataDir,
    // Wiped only after its lock is taken: a second demo on the same directory is refused, not clobbered.
    freshDb: true,
    createAdapters: () => new Map([['file', createReplayAdapter(opts.fileAdapter, clock)], ...createDemoReplyAdapters()]),
  };
  const app = await createApp(appOpts);
  const api = await startDemoBotApi(() => clock.now());
  try {
    // The week is simulated: the sender keeps no real-time limits (they would move the clock).
    const rt = await createStaffRuntime(app, { token: '7000:demo', apiRoot: api.apiRoot, instance: 'demo', limits: createSendLimits({ perChatMs: 0, groupPerMinute: Number.MAX_SAFE_INTEGER, globalPerSecond: Number.MAX_SAFE_INTEGER }) });
    const staff = await createBotStaff(app, rt, api);
    const start = clock.now().getTime();
    let posts = 0;
    while (clock.now().getTime() < start + WEEK_MS) {
      const cycle = await app.poller.pollOnce({ force: true });
      posts += cycle.newPosts;
      await app.processPending();
      await staff.tick();
      clock.advance(STEP_MS);
    }
    const from = new Date(start);
    const to = new Date(start + WEEK_MS);
    const report = await buildPeriodReport(app.db, from, to, clock.now(), { calendar: app.calendar });
    if (opts.format === 'json') {
      opts.out(JSON.stringify(report));
    } else {
      opts.out(renderReportText(report, app.installation.timezone, app.installation.territory.name));
      opts.out('');
      opts.out(`Демо: ${posts} публикаций прошли через конвейер за неделю ${DateTime.fromJSDate(from).setZone(app.installation.timezone).toFormat('dd.MM')}–${DateTime.fromJSDate(new Date(to.getTime() - 1)).setZone(app.installation.timezone).toFormat('dd.MM.yyyy')}.`);
      if (!dataDir.startsWith('memory://')) opts.out(`База демо: ${dataDir} (посмотреть: OTKLIK_DATA_DIR=${dataDir} npx otklik incidents)`);
    }
    if (opts.chats) for (const line of renderTranscript(api.transcript(), app.installation)) opts.out(line);
    await opts.inspect?.(app);
    return 0;
  } finally {
    await api.close();
    await app.close();
  }
}
