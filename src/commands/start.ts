import type { App } from '../app/app.js';
import { startSchedules } from '../jobs/schedule.js';
import { createReplyPublisher } from '../replies/publish.js';
import type { CommandDeps } from './types.js';
import { startStaffBot } from '../bot/runtime.js';

/** `otklik start`: runs pollers and schedules until SIGINT/SIGTERM. */
export async function startCommand(deps: CommandDeps & { app: App }): Promise<number> {
  const { app } = deps;
  // Finish what a previous run left: replies caught mid-send, posts stored but not decided.
  const recovered = await createReplyPublisher({ db: app.db, adapters: app.adapters, clock: app.clock, log: app.log }).recover();
  if (recovered.resent || recovered.unconfirmed) app.log.warn(recovered, 'replies interrupted by the last stop');
  await app.processPending(Number.MAX_SAFE_INTEGER);
  const schedules = startSchedules(app);
  const staff = await startStaffBot(app);
  app.log.info({ sources: app.installation.sources.filter((s) => s.enabled).length, db: app.dbHandle.driver }, 'otklik started');
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      app.log.info({ signal }, 'stopping');
      schedules.stop();
      staff.stop();
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}
