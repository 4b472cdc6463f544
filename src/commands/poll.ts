import { UsageError } from '../cli/errors.js';
import type { AppCommand } from '../cli/spec.js';

/** `otklik poll --once`: one poll of every enabled source, then every stored post decided; one JSON line. */
export const pollCommand: AppCommand = async (deps, input) => {
  if (!input.opts.once) throw new UsageError('otklik poll опрашивает один раз: добавьте --once (для постоянной работы — otklik start)');
  const cycle = await deps.app.poller.pollOnce({ force: true });
  const done = await deps.app.processPending(Number.MAX_SAFE_INTEGER);
  deps.out(JSON.stringify({ ...cycle, ...done, failed: cycle.failed, failedPosts: done.failed }));
  return cycle.failed && !cycle.polled ? 1 : 0;
};
