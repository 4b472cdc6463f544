/**
 * The composition root: the only module in src/ that knows the adapters. It
 * hands them to the CLI, which builds the App for the command being run.
 */
import { runCli } from './cli.js';
import type { AdapterKit } from './cli/spec.js';

// Adapters (vk-io, telegraf) load only when a command runs, so `--help` stays light.
const loadAdapters = async () => {
  const { createAdapters, createFileAdapter } = await import('../adapters/index.js');
  const checkCredentials: AdapterKit['checkCredentials'] = async (env) => (await import('../adapters/credential-checks.js')).checkCredentials(env);
  return { createAdapters, fileAdapter: createFileAdapter(), checkCredentials };
};
// Everything otklik creates (the PGlite files, .env, models) is for its own user only.
process.umask(0o077);
const code = await runCli(process.argv.slice(2), { loadAdapters });
process.exitCode = code;
