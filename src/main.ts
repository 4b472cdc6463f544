/**
 * The composition root: the only module in src/ that knows the adapters. It
 * hands them to the CLI, which builds the App for the command being run.
 */
import { runCli } from './cli.js';

// Adapters (vk-io, telegraf) load only when a command runs, so `--help` stays light.
const loadAdapters = async () => {
  const { createAdapters, createFileAdapter } = await import('../adapters/index.js');
  return { createAdapters, fileAdapter: createFileAdapter() };
};
const code = await runCli(process.argv.slice(2), { loadAdapters });
process.exitCode = code;
