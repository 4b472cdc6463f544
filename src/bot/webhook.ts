import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update } from 'telegraf/types';
import type { App } from '../app/app.js';
import type { StaffRuntime } from './runtime.js';

export interface WebhookOptions {
  /** The public HTTPS URL Telegram posts to (TELEGRAM_WEBHOOK_URL); its path is the path we serve. */
  url: string;
  /** TELEGRAM_WEBHOOK_SECRET: Telegram sends it in `X-Telegram-Bot-Api-Secret-Token` on every request. */
  secret: string;
  /** Local port (TELEGRAM_WEBHOOK_PORT); 0 picks a free one (tests). */
  port: number;
  host?: string;
  /**
   * How long an update waits while another instance holds the staff bot's source (its own
   * intake round) before we answer 503 so that Telegram delivers it again. Default 10 s.
   */
  busyPatienceMs?: number;
}

/** Pause between tries while another instance holds the staff bot's source. */
const BUSY_RETRY_MS = 200;

const ALLOWED = ['message', 'edited_message', 'channel_post', 'edited_channel_post', 'callback_query', 'my_chat_member', 'chat_member'];

function sameSecret(got: string | string[] | undefined, want: string): boolean {
  if (typeof got !== 'string' || got.length !== want.length) return false;
  return timingSafeEqual(Buffer.from(got), Buffer.from(want));
}

/**
 * Webhook mode: Telegram posts each update to us. A request without the secret token is
 * refused (401) and nothing runs. An accepted update joins the adapter's push queue and one
 * intake round runs before we answer 200 — posts are committed and the bot has handled the
 * rest — so an update we die on is redelivered by Telegram. Rounds run one at a time.
 * Several instances behind one URL: a round finds the source leased by another instance's
 * round now and then; the update waits for it (at most `busyPatienceMs`) and is never
 * answered 200 before it has been taken in — else 503, and Telegram delivers it again.
 */
export async function startWebhook(app: App, rt: StaffRuntime, opts: WebhookOptions): Promise<{ server: Server; port: number; stop(): Promise<void> }> {
  const path = new URL(opts.url).pathname || '/';
  app.staffIntake.pushed ??= [];
  let chain: Promise<unknown> = Promise.resolve();
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== path) return void res.writeHead(404).end();
    if (!sameSecret(req.headers['x-telegram-bot-api-secret-token'], opts.secret)) {
      app.log.warn({ ip: req.socket.remoteAddress }, 'telegram webhook: request without the right secret token refused');
      return void res.writeHead(401).end();
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let update: Update;
      try {
        update = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Update;
      } catch {
        return void res.writeHead(400).end();
      }
      app.staffIntake.pushed!.push(update);
      const round = chain.then(() => takeIn(update));
      chain = round.catch(() => undefined);
      round.then(
        (taken) => {
          if (taken) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
          app.log.warn({ updateId: update.update_id }, 'telegram webhook: the staff bot is busy in another instance; Telegram will deliver the update again');
          res.writeHead(503).end();
        },
        (err: unknown) => (app.log.error({ err }, 'telegram webhook: intake round failed; Telegram will retry'), res.writeHead(500).end()),
      );
    });
  });
  /** Runs intake rounds until the update has been taken from the queue; false (and dropped from it) when out of patience. */
  async function takeIn(update: Update): Promise<boolean> {
    const patience = opts.busyPatienceMs ?? 10_000;
    const started = Date.now();
    for (;;) {
      await rt.intakeOnce();
      const queue = app.staffIntake.pushed!;
      if (!queue.includes(update)) return true;
      if (Date.now() - started >= patience) {
        queue.splice(queue.indexOf(update), 1);
        return false;
      }
      await new Promise((r) => setTimeout(r, BUSY_RETRY_MS));
    }
  }

  await new Promise<void>((resolve) => server.listen(opts.port, opts.host ?? '0.0.0.0', resolve));
  await rt.bot.bot.telegram.setWebhook(opts.url, { secret_token: opts.secret, allowed_updates: ALLOWED as never, drop_pending_updates: false });
  const port = (server.address() as AddressInfo).port;
  app.log.info({ url: opts.url, port }, 'telegram webhook ready');
  return { server, port, stop: () => new Promise<void>((r) => server.close(() => r())) };
}
