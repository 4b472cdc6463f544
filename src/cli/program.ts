import { readFileSync } from 'node:fs';
import { Command, CommanderError, Help, Option } from 'commander';
import { UsageError } from './errors.js';
import type { CommandSpec } from './spec.js';
import { fromRoot } from '../paths.js';

const TITLES: Record<string, string> = {
  'Usage:': 'Использование:',
  'Options:': 'Параметры:',
  'Arguments:': 'Аргументы:',
  'Commands:': 'Команды:',
  'Global Options:': 'Общие параметры:',
};

/** Commander's help layout with Russian titles and value notes. */
class RussianHelp extends Help {
  override styleTitle(str: string): string {
    return TITLES[str] ?? str;
  }

  override subcommandTerm(cmd: Command): string {
    return super.subcommandTerm(cmd).replace('[options]', '[параметры]');
  }

  override commandUsage(cmd: Command): string {
    return super.commandUsage(cmd).replace('[options]', '[параметры]');
  }

  override optionDescription(option: Option): string {
    const extra: string[] = [];
    const choices = (option as Option & { choicesRu?: readonly string[] }).choicesRu;
    if (choices) extra.push(`варианты: ${choices.join(', ')}`);
    if (option.defaultValue !== undefined && option.defaultValue !== false) extra.push(`по умолчанию: ${String(option.defaultValue)}`);
    return extra.length ? `${option.description} (${extra.join('; ')})` : option.description;
  }
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** What a parsed invocation asks for: a command with its options and arguments. */
export interface Invocation {
  spec: CommandSpec;
  opts: Record<string, unknown>;
  args: string[];
  argv: string[];
}

/**
 * Builds the commander program from the registry. Actions only record the
 * invocation; the caller loads and runs the command after parsing, so help,
 * version and usage errors never load a command module.
 */
export function buildProgram(specs: readonly CommandSpec[], write: { out: (s: string) => void; err: (s: string) => void }, onInvoke: (inv: Invocation) => void): Command {
  const program = new Command('otklik')
    .description('Отклик: ответы на обращения жителей во ВКонтакте, Одноклассниках и Telegram')
    .usage('<команда> [параметры]')
    .version(packageVersion(), '-V, --version', 'показать версию')
    .helpOption('-h, --help', 'показать справку')
    .helpCommand('help [команда]', 'справка по команде')
    .addHelpText('after', '\nНастройки: переменные окружения и файл .env (см. .env.example), конфигурация установки — OTKLIK_CONFIG.\nСправка по команде: otklik <команда> --help')
    .configureOutput({ writeOut: write.out, writeErr: write.err, outputError: () => {} })
    .showSuggestionAfterError(true)
    .exitOverride();
  program.createHelp = () => Object.assign(new RussianHelp(), program.configureHelp());
  for (const spec of specs) program.addCommand(buildCommand(spec, write, onInvoke));
  return program;
}

function buildCommand(spec: CommandSpec, write: { out: (s: string) => void; err: (s: string) => void }, onInvoke: (inv: Invocation) => void): Command {
  const cmd = new Command(spec.name).description(spec.details ? `${spec.summary}\n\n${spec.details}` : spec.summary).summary(spec.summary);
  cmd.helpOption('-h, --help', 'показать справку').configureOutput({ writeOut: write.out, writeErr: write.err, outputError: () => {} });
  cmd.createHelp = () => Object.assign(new RussianHelp(), cmd.configureHelp());
  for (const a of spec.args ?? []) cmd.argument(a.name, a.description);
  for (const o of spec.options ?? []) {
    const option = new Option(o.flags, o.description);
    if (o.default !== undefined) option.default(o.default);
    if (o.repeatable) option.argParser((v: string, prev: unknown) => [...((prev as unknown[] | undefined) ?? []), o.parse ? o.parse(v) : v]);
    else if (o.parse) option.argParser(o.parse);
    if (o.required) option.makeOptionMandatory();
    (option as Option & { choicesRu?: readonly string[] }).choicesRu = o.choices;
    cmd.addOption(option);
  }
  const examples = spec.examples.map((e) => `  otklik ${e}`).join('\n');
  cmd.addHelpText('after', `\nПримеры:\n${examples}`);
  cmd.exitOverride().action((...params: unknown[]) => {
    const self = params[params.length - 1] as Command;
    onInvoke({ spec, opts: self.opts(), args: self.args, argv: self.parent ? argvAfter(self) : [] });
  });
  return cmd;
}

function argvAfter(cmd: Command): string[] {
  const raw = (cmd.parent as Command & { rawArgs: string[] }).rawArgs;
  const at = raw.indexOf(cmd.name());
  return at >= 0 ? raw.slice(at + 1) : [];
}

const quoted = (message: string) => /'([^']*)'/.exec(message)?.[1] ?? '';
const suggestion = (message: string) => {
  const m = /\(Did you mean (.*)\?\)/.exec(message);
  return m ? ` (может быть, ${m[1]}?)` : '';
};

/** Commander's English usage errors as one Russian line. Returns null for help/version exits. */
export function translateCommanderError(e: CommanderError, command = '<команда>'): { line: string | null; code: number } {
  const m = e.message;
  const lines: Record<string, () => string> = {
    'commander.unknownOption': () => `неизвестный параметр ${quoted(m)}${suggestion(m)}`,
    'commander.unknownCommand': () => `неизвестная команда «${quoted(m)}»${suggestion(m)}; список команд: otklik --help`,
    'commander.missingArgument': () => `не хватает аргумента ${quoted(m)}`,
    'commander.optionMissingArgument': () => `у параметра ${quoted(m).split(' ')[0]} нет значения`,
    'commander.missingMandatoryOptionValue': () => `нужен параметр ${quoted(m).split(' ')[0]} (справка: otklik ${command} --help)`,
    'commander.excessArguments': () => `лишние аргументы`,
    'commander.invalidArgument': () => m.replace(/^error: /, ''),
  };
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return { line: null, code: 0 };
  if (e.code === 'commander.help') return { line: null, code: e.exitCode === 0 ? 0 : 2 };
  const make = lines[e.code];
  return { line: make ? make() : m.replace(/^error: /, ''), code: 2 };
}

export { CommanderError, UsageError };
