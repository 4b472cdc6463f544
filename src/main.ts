/**
 * The composition root: the only module in src/ that knows the adapters. It
 * hands them to the CLI, which builds the App for the command being run.
 */
import { createAdapters, createFileAdapter } from '../adapters/index.js';
import { runCli } from './cli.js';

const code = await runCli(process.argv.slice(2), { createAdapters, fileAdapter: createFileAdapter() });
process.exitCode = code;
