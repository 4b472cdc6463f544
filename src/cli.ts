import { parseArgs } from 'node:util';
import { createApp, type AppOptions } from './app/app.js';
import { readEnv } from './config/env.js';
import { ConfigError } from './config/installation.js';
import type { ChannelAdapter } from './domain/source.js';
import { incidentsCommand } from './commands/incidents.js';
import { reportCommand } from './commands/report.js';
import { sourcesCommand } from './commands/sources.js';
import type { CommandDeps } from './commands/types.js';
import { runDemo } from './demo/run.js';
import { startCommand } from './commands/start.js';

export const USAGE = `otklik — responses to citizens' posts in VK, OK and Telegram

Usage: otklik <command> [options]

  demo                       play a simulated week on the embedded database and print the weekly report
  migrate                    apply database migrations and sync the installation config
  poll --once                poll every enabled source once and process the posts
  incidents [--json] [--status S]   list incidents (JSON: one object a line)
  report --from YYYY-MM-DD --to YYYY-MM-DD [--format text|json]
  sources [--json]           sources with status, last poll, posts seen, last error
  start                      run pollers and schedules until stopped (SIGINT/SIGTERM)
  train --csv FILE [...]     train the classifier from labelled history
  eval --csv FILE [...]      measure the stored classifier on a labelled file
  classify "text"            show how a text would be classified and routed

Settings come from the environment (see .env.example) and the installation config (OTKLIK_CONFIG).`;

export interface CliDeps {
  /** Builds the channel adapters (the composition root passes the real ones). */
  createAdapters: NonNullable<AppOptions['createAdapters']>;
  fileAdapter: ChannelAdapter;
  out?: (line: string) => void;
  err?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

type Command = (deps: CommandDeps & { app: Awaited<ReturnType<typeof createApp>> }, argv: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  migrate: async () => async (d) => (d.out(`database ready (${d.app.dbHandle.driver}); config synced`), 0),
  poll: async () => async (d) => {
    const cycle = await d.app.poller.pollOnce({ force: true });
    const done = await d.app.processPending(Number.MAX_SAFE_INTEGER);
    d.out(JSON.stringify({ ...cycle, ...done, failed: cycle.failed, failedPosts: done.failed }));
    return cycle.failed && !cycle.polled ? 1 : 0;
  },
  incidents: async () => incidentsCommand,
  report: async () => reportCommand,
  sources: async () => sourcesCommand,
  start: async () => startCommand,
  train: async () => (await import('./commands/train.js')).trainCommand,
  eval: async () => (await import('./commands/eval.js')).evalCommand,
  classify: async () => (await import('./commands/classify.js')).classifyCommand,
};

/** Runs one CLI invocation; returns the exit code. Errors become one clear line. */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  const out = deps.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const err = deps.err ?? ((l: string) => process.stderr.write(`${l}\n`));
  const [name, ...rest] = argv;
  try {
    if (!name || name === 'help' || name === '--help' || name === '-h') return out(USAGE), name ? 0 : 2;
    const env = readEnv(deps.env);
    if (name === 'demo') {
      const { values } = parseArgs({ args: rest, options: { format: { type: 'string', default: 'text' } } });
      return await runDemo({ env, fileAdapter: deps.fileAdapter, out, format: values.format === 'json' ? 'json' : 'text' });
    }
    const load = COMMANDS[name];
    if (!load) return err(`otklik: unknown command "${name}"\n\n${USAGE}`), 2;
    const command = await load();
    const app = await createApp({ env, createAdapters: deps.createAdapters });
    try {
      return await command({ ...app, out, app }, rest);
    } finally {
      await app.close();
    }
  } catch (e) {
    if (e instanceof ConfigError) return err(`otklik: ${e.message}`), 78;
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return err(`otklik ${name}: ${(e as Error).message}`), 2;
    throw e;
  }
}
