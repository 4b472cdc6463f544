import type { EnvCommand } from '../cli/spec.js';

/** `otklik demo [--format text|json]`: the simulated week on its own embedded database. */
export const demoCommand: EnvCommand = async (deps, input) => {
  const { runDemo } = await import('../demo/run.js');
  const { fileAdapter } = await deps.adapters();
  return runDemo({ env: deps.env, fileAdapter, out: deps.out, format: input.opts.format === 'json' ? 'json' : 'text', chats: input.opts.chats === true });
};
