import type { App } from '../app/app.js';
import { startSchedules } from '../jobs/schedule.js';
import { createReplyPublisher } from '../replies/publish.js';
import type { CommandDeps } from './types.js';
import { startStaffBot } from '../bot/runtime.js';

/**
 * `otklik start`: runs pollers and schedules until SIGINT/SIGTERM. Stopping takes no new
 * work, waits (at most OTKLIK_SHUTDOWN_SEC) for the poll batch, job and send under way, then
 * returns so the CLI closes the database.
 */
export async function startCommand(deps: CommandDeps & { app: App }): Promise<number> {
  const { app } = deps;
  // Finish what a previous run left: replies caught mid-send, posts stored but not decided.
  const recovered = await createReplyPublisher({ db: app.db, adapters: app.adapters, clock: app.clock, log: app.log }).recover();
  if (recovered.resent || recovered.unconfirmed) app.log.warn({ resent: recovered.resent, unconfirmed: recovered.unconfirmed }, 'replies interrupted by the last stop');
  await app.processPending(Number.MAX_SAFE_INTEGER);
  const http = await startOps(app);
  const schedules = startSchedules(app);
  const staff = await startStaffBot(app);
  // The cards of replies the recovery settled show it now, not at the next press.
  for (const id of recovered.incidentIds) await app.staffIntake.syncCards?.(id);
  app.log.info({ sources: app.installation.sources.filter((s) => s.enabled).length, db: app.dbHandle.driver, ...(http ? { httpPort: http.port } : {}) }, 'otklik started');
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const graceMs = app.env.OTKLIK_SHUTDOWN_SEC * 1000;
  app.log.info({ signal, graceSec: app.env.OTKLIK_SHUTDOWN_SEC }, 'stopping');
  app.lifecycle.requestStop();
  schedules.stop();
  const started = Date.now();
  const [drained] = await Promise.all([app.lifecycle.drained(graceMs), withinMs(staff.stop(), graceMs)]);
  if (!drained) app.log.warn({ graceSec: app.env.OTKLIK_SHUTDOWN_SEC }, 'work still running after the grace period; closing anyway (it is resumed on the next start)');
  await http?.close();
  app.log.info({ waitedMs: Date.now() - started, drained }, 'stopped');
  // Anything left (a long poll, a stuck socket) must not keep the process after the database closes.
  setTimeout(() => process.exit(process.exitCode ?? 0), 5_000).unref();
  return 0;
}

/** /healthz and /metrics when OTKLIK_HTTP_PORT is set (prom-client loads only then). */
async function startOps(app: App) {
  if (app.env.OTKLIK_HTTP_PORT === undefined) return null;
  const [{ createMetrics }, { startHttpServer }] = await Promise.all([import('../http/metrics.js'), import('../http/server.js')]);
  const registry = createMetrics({ db: app.db, clock: app.clock, events: app.events });
  return startHttpServer({ db: app.db, clock: app.clock, log: app.log, registry, port: app.env.OTKLIK_HTTP_PORT, host: app.env.OTKLIK_HTTP_HOST });
}

function withinMs(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.then(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, ms)))]).finally(() => clearTimeout(timer));
}
