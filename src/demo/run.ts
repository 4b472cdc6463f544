import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { createApp, type AppOptions } from '../app/app.js';
import { ManualClock } from '../clock.js';
import type { Env } from '../config/env.js';
import type { ChannelAdapter } from '../domain/source.js';
import { createLogger } from '../log.js';
import { buildPeriodReport } from '../reports/period.js';
import { renderReportText } from '../reports/text.js';
import { createReplayAdapter } from './replay-adapter.js';
import { createSimulatedStaff } from './staff.js';

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
}

/**
 * Plays a week: the bundled feed arrives post by post as the simulated clock
 * reaches each post's time, goes through the real poller and pipeline into the
 * embedded database, simulated staff answer, and the weekly report is printed.
 */
export async function runDemo(opts: DemoOptions): Promise<number> {
  const clock = new ManualClock(DEMO_WEEK_START);
  const dataDir = opts.dataDir ?? join(opts.env.OTKLIK_DATA_DIR, 'demo');
  const log = createLogger({ level: opts.env.LOG_LEVEL === 'info' ? 'warn' : opts.env.LOG_LEVEL });
  const appOpts: AppOptions = {
    // The demo's own config (the bundled feed as its only source), whatever OTKLIK_CONFIG says.
    env: { ...opts.env, DATABASE_URL: undefined, OTKLIK_CONFIG: DEMO_CONFIG },
    clock,
    log,
    dataDir,
    // Wiped only after its lock is taken: a second demo on the same directory is refused, not clobbered.
    freshDb: true,
    createAdapters: () => new Map([['file', createReplayAdapter(opts.fileAdapter, clock)]]),
  };
  const app = await createApp(appOpts);
  try {
    const staff = createSimulatedStaff(app);
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
    const report = await buildPeriodReport(app.db, from, to, clock.now());
    if (opts.format === 'json') {
      opts.out(JSON.stringify(report));
    } else {
      opts.out(renderReportText(report, app.installation.timezone, app.installation.territory.name));
      opts.out('');
      opts.out(`Демо: ${posts} публикаций прошли через конвейер за неделю ${DateTime.fromJSDate(from).setZone(app.installation.timezone).toFormat('dd.MM')}–${DateTime.fromJSDate(new Date(to.getTime() - 1)).setZone(app.installation.timezone).toFormat('dd.MM.yyyy')}.`);
      if (!dataDir.startsWith('memory://')) opts.out(`База демо: ${dataDir} (посмотреть: OTKLIK_DATA_DIR=${dataDir} npx otklik incidents)`);
    }
    return 0;
  } finally {
    await app.close();
  }
}
