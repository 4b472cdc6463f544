import type { Clock } from '../clock.js';
import type { Env } from '../config/env.js';
import type { Installation } from '../config/installation.js';
import type { Db } from '../db/client.js';
import type { CombinedClassifier } from '../classify/index.js';
import { classifyAll, type Classifier } from '../domain/classification.js';
import type { Logger } from '../log.js';

/**
 * The classifier the pipeline uses: the trained model, the LLM when configured and
 * the model is unsure, rules last. Built on first use, so commands that classify
 * nothing (incidents, report, sources) neither load the classifier's modules nor
 * read the stored model.
 */
export function createPipelineClassifier(deps: { installation: Installation; db: Db; env: Env; log: Logger; clock: Clock }): Classifier & { reload(): Promise<void> } {
  let built: Promise<CombinedClassifier> | null = null;
  const get = () => {
    built ??= import('../classify/index.js').then((m) => m.createClassifier(deps));
    built.catch(() => (built = null)); // a failed start is tried again on the next use
    return built;
  };
  return {
    classify: async (text) => (await get()).classify(text),
    classifyMany: async (texts) => classifyAll(await get(), texts),
    reload: async () => (await get()).reload(),
  };
}
