/**
 * `otklik <command>`: parses the invocation against the registry (src/cli/registry.ts),
 * then loads and runs only the command asked for. Help, version and usage errors
 * import nothing but commander and the registry.
 */
import { CommanderError } from 'commander';
import { describeError, EXIT } from './cli/errors.js';
import { redactSecretShapes } from './log.js';
import { buildProgram, translateCommanderError, type Invocation } from './cli/program.js';
import { COMMANDS } from './cli/registry.js';
import type { AdapterKit, CommandSpec } from './cli/spec.js';

export interface CliDeps {
  /** Loads the channel adapters when a command needs them (the composition root passes the real ones). */
  loadAdapters?: () => Promise<AdapterKit>;
  /** Already built adapters (tests). */
  createAdapters?: AdapterKit['createAdapters'];
  fileAdapter?: AdapterKit['fileAdapter'];
  out?: (line: string) => void;
  err?: (line: string) => void;
  /** The environment; default process.env. A `.env` file adds what it does not set (see envFile). */
  env?: NodeJS.ProcessEnv;
  /** The .env file to read; default `.env` in the working directory; null: none. */
  envFile?: string | null;
  /** Where interactive commands (init) read answers; default process.stdin. */
  stdin?: NodeJS.ReadableStream;
  /** The command table; default the registry (tests may add one). */
  commands?: readonly CommandSpec[];
}

/** Runs one CLI invocation; returns the exit code. Every error is one line on stderr, never a stack. */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  const out = deps.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const err = deps.err ?? ((l: string) => process.stderr.write(`${l}\n`));
  const chunked = (write: (l: string) => void) => (s: string) => write(s.replace(/\n$/, ''));
  let invocation: Invocation | undefined;
  const program = buildProgram(deps.commands ?? COMMANDS, { out: chunked(out), err: chunked(err) }, (inv) => (invocation = inv));
  if (argv.length === 0) return out(program.helpInformation().replace(/\n$/, '')), EXIT.usage;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) return fail(err, argv[0], e);
    const known = (deps.commands ?? COMMANDS).some((c) => c.name === argv[0]);
    const { line, code } = translateCommanderError(e, known ? argv[0] : undefined);
    if (line) err(`otklik${known ? ` ${argv[0]}` : ''}: ${line}`);
    return code;
  }
  if (!invocation) return EXIT.ok;
  try {
    return await runInvocation(invocation, deps, out, err);
  } catch (e) {
    return fail(err, invocation.spec.name, e);
  }
}

function fail(err: (l: string) => void, name: string | undefined, e: unknown): number {
  const { line, code } = describeError(e);
  // A library's message may quote a URL with a token or a password: shapes are redacted here.
  err(redactSecretShapes(`otklik${name && code !== EXIT.config ? ` ${name}` : ''}: ${line}`));
  if (process.env.OTKLIK_DEBUG && e instanceof Error && e.stack) err(redactSecretShapes(e.stack));
  return code;
}

async function runInvocation(inv: Invocation, deps: CliDeps, out: (l: string) => void, err: (l: string) => void): Promise<number> {
  const { loadEnvironment } = await import('./config/dotenv.js');
  const loaded = loadEnvironment(deps.env ?? process.env, deps.envFile === undefined ? '.env' : deps.envFile);
  const rawEnv = loaded.env;
  const { readEnv } = await import('./config/env.js');
  const env = readEnv(rawEnv, loaded);
  const adapters = deps.loadAdapters ?? (async () => ({ createAdapters: deps.createAdapters!, fileAdapter: deps.fileAdapter! }));
  const input = { opts: inv.opts, args: inv.args, argv: inv.argv };
  if (inv.spec.needs === 'env') {
    const command = await inv.spec.load();
    return command({ env, rawEnv, out, err, stdin: deps.stdin ?? process.stdin, adapters }, input);
  }
  if (!env.DATABASE_URL && !env.OTKLIK_DATA_DIR.startsWith('memory://')) (await import('./db/dir-lock.js')).probeDataDir(env.OTKLIK_DATA_DIR);
  const noAdapters = async (): Promise<Pick<AdapterKit, 'createAdapters'>> => ({ createAdapters: () => new Map() });
  const [command, { createApp }, kit] = await Promise.all([inv.spec.load(), import('./app/app.js'), inv.spec.adapters === false ? noAdapters() : adapters()]);
  const app = await createApp({ env, createAdapters: kit.createAdapters });
  try {
    return await command({ ...app, out, app }, input);
  } finally {
    await app.close();
  }
}
