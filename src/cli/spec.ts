import type { App } from '../app/app.js';
import type { Env } from '../config/env.js';
import type { ChannelAdapter } from '../domain/source.js';
import type { AppOptions } from '../app/app.js';
import type { CommandDeps } from '../commands/types.js';
import type { CredentialCheck } from '../domain/credentials.js';

/** The channel adapters, loaded only when a command needs them (vk-io, telegraf are heavy). */
export interface AdapterKit {
  createAdapters: NonNullable<AppOptions['createAdapters']>;
  fileAdapter: ChannelAdapter;
  /** Asks each API whether the configured tokens work (`otklik init`). */
  checkCredentials?: (env: Env) => Promise<CredentialCheck[]>;
}

/** What the parser hands a command: validated options, positional arguments, and the raw arguments. */
export interface CommandInput {
  /** Options by their camelCase name (`--text-col` → `textCol`), parsed and validated. */
  opts: Record<string, unknown>;
  /** Positional arguments. */
  args: string[];
  /** The arguments after the command name, as typed (for commands that parse them themselves). */
  argv: string[];
}

/** A command that runs on the built App (database open, config synced). */
export type AppCommand = (deps: CommandDeps & { app: App }, input: CommandInput) => Promise<number>;

/** What a command that builds its own world (demo, init) receives. */
export interface EnvCommandDeps {
  env: Env;
  /** The raw environment (e.g. for *_BASE_URL overrides written back to .env). */
  rawEnv: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
  stdin: NodeJS.ReadableStream;
  adapters: () => Promise<AdapterKit>;
}
export type EnvCommand = (deps: EnvCommandDeps, input: CommandInput) => Promise<number>;

export interface OptionSpec {
  /** Commander flags: `--status <статус>`, `--json`, `-y, --yes`. */
  flags: string;
  /** Russian, one line. */
  description: string;
  default?: string | boolean;
  /** May be given several times; the command gets an array. */
  repeatable?: boolean;
  /** The command cannot run without it (refused before anything is opened). */
  required?: boolean;
  /** Turns the typed value into what the command gets; throws UsageError (one Russian line) when it is bad. */
  parse?: (value: string) => unknown;
  /** Shown after the description: the values allowed. */
  choices?: readonly string[];
}

export interface ArgSpec {
  /** `<текст...>`, `[файл]`. */
  name: string;
  description: string;
}

interface SpecBase {
  name: string;
  /** Russian, one line: what the command does (shown in `otklik --help`). */
  summary: string;
  /** Longer Russian text for `otklik <command> --help`. */
  details?: string;
  args?: ArgSpec[];
  options?: OptionSpec[];
  /** At least one full example invocation (without the leading `otklik`). */
  examples: string[];
  /** False: the command never polls or replies, so the channel adapters (vk-io, telegraf, cheerio) are not loaded. */
  adapters?: false;
}

/**
 * `app`: the CLI reads .env and the environment, builds the App (opens the database,
 * syncs the config), runs the command, and closes the App. `env`: the command gets
 * the parsed environment and builds what it needs itself.
 */
export type CommandSpec =
  | (SpecBase & { needs: 'app'; load: () => Promise<AppCommand> })
  | (SpecBase & { needs: 'env'; load: () => Promise<EnvCommand> });
