import { resolve } from 'node:path';
import type { EnvCommand, EnvCommandDeps } from '../cli/spec.js';
import { readEnv, type Env } from '../config/env.js';
import { loadInstallation } from '../config/installation.js';
import type { CredentialCheck } from '../domain/credentials.js';
import { collectAnswers, createPrompter, type SetupAnswers } from '../init/answers.js';
import { importDepartments } from '../init/departments.js';
import { renderConfig, renderEnv, writeNew } from '../init/files.js';

/** Base URLs are copied from the environment into .env: an installation behind a proxy needs them every run. */
const BASE_URLS = ['VK_API_BASE_URL', 'OK_API_BASE_URL', 'TELEGRAM_API_ROOT', 'TME_BASE_URL'] as const;

/**
 * `otklik init`: asks for the territory, departments, tokens and sources (or takes
 * them from flags with --yes), checks each token against its API, writes `.env`
 * (mode 600) and the installation config, and makes the first admin invite.
 */
export const initCommand: EnvCommand = async (deps, input) => {
  const opts = input.opts;
  const envFile = resolve(String(opts.envFile ?? '.env'));
  const configFile = resolve(String(opts.config ?? 'config/installation.yaml'));
  const prompter = opts.yes ? null : createPrompter(deps.stdin, deps.out);
  let answers: SetupAnswers;
  try {
    answers = await collectAnswers(opts, deps.rawEnv, prompter?.ask ?? null, importDepartments);
  } finally {
    prompter?.close();
  }
  const values: Record<string, string | undefined> = { OTKLIK_CONFIG: configFile, ...answers.env };
  for (const key of BASE_URLS) values[key] = deps.rawEnv[key];
  if (deps.rawEnv.OTKLIK_DATA_DIR) values.OTKLIK_DATA_DIR = deps.rawEnv.OTKLIK_DATA_DIR;
  const env = readEnv({ ...values, LOG_LEVEL: deps.env.LOG_LEVEL });
  const configText = renderConfig(answers);

  const checks = await (await deps.adapters()).checkCredentials?.(env) ?? [];
  reportChecks(deps, checks);

  writeNew(configFile, configText, 0o644, Boolean(opts.force));
  loadInstallation(configFile); // what we wrote must pass the same validation as any config
  writeNew(envFile, renderEnv(values), 0o600, Boolean(opts.force));
  deps.out(`записано: ${envFile} (только для владельца), ${configFile}`);
  deps.out(`источников: ${answers.vkWalls.length * 2 + answers.okGroups.length + answers.tmeChannels.length + (env.VK_TOKEN ? 1 : 0) + (env.VK_GROUP_TOKEN && env.VK_GROUP_ID ? 2 : 0)}, ведомств: ${answers.departments.length}`);
  await firstAdminInvite(deps, env, checks);
  deps.out('дальше: дополните темы и маршруты в конфигурации (пример: config/example.yaml), затем otklik poll --once и otklik start');
  return checks.some((c) => !c.ok) ? 1 : 0;
};

function reportChecks(deps: EnvCommandDeps, checks: CredentialCheck[]): void {
  if (!checks.length) deps.out('ключи не заданы — проверять нечего (источники VK, OK и Telegram не заработают без них)');
  for (const c of checks) deps.out(`${c.ok ? 'работает' : 'НЕ работает'}: ${c.name} (${c.variable}) — ${c.detail}`);
}

/** The first admin comes from an invite link; it needs the database and the staff bot's name. */
async function firstAdminInvite(deps: EnvCommandDeps, env: Env, checks: CredentialCheck[]): Promise<void> {
  const bot = checks.find((c) => c.variable === 'TELEGRAM_BOT_TOKEN' && c.ok);
  const username = bot ? /@(\w+)/.exec(bot.detail)?.[1] : undefined;
  if (!username) {
    deps.out('приглашение администратора: задайте TELEGRAM_BOT_TOKEN, затем выполните otklik invite admin');
    return;
  }
  const [{ createApp }, { createInvite, inviteLink }] = await Promise.all([import('../app/app.js'), import('../bot/invites.js')]);
  const { createLogger } = await import('../log.js');
  const app = await createApp({ env, log: createLogger({ level: 'warn' }) });
  try {
    const invite = await createInvite(app.db, { role: 'admin', createdBy: 'otklik init', now: app.clock.now() });
    deps.out(`первый администратор: откройте в Telegram ${inviteLink(username, invite.code)} (одноразовая ссылка, до ${invite.expiresAt.toISOString().slice(0, 10)})`);
  } finally {
    await app.close();
  }
}
