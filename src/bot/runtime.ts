import { hostname } from 'node:os';
import { Telegram } from 'telegraf';
import type { App } from '../app/app.js';
import { createOutboxSender } from './sender.js';

/** Runs the outbox sender of the staff bot when TELEGRAM_BOT_TOKEN is set; `stop` ends it. */
export function startStaffSender(app: App): { stop(): void } {
  const token = app.env.TELEGRAM_BOT_TOKEN;
  if (!token) return { stop() {} };
  const telegram = new Telegram(token, app.env.TELEGRAM_API_ROOT ? { apiRoot: app.env.TELEGRAM_API_ROOT } : {});
  const sender = createOutboxSender({ db: app.db, telegram, clock: app.clock, log: app.log.child({ part: 'outbox' }), instance: app.env.OTKLIK_INSTANCE ?? `${hostname()}:${process.pid}` });
  const abort = new AbortController();
  void sender.run(abort.signal);
  return { stop: () => abort.abort() };
}
