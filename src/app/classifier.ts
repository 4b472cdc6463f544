import type { Clock } from '../clock.js';
import type { Env } from '../config/env.js';
import type { Installation } from '../config/installation.js';
import type { Db } from '../db/client.js';
import { createClassifier, type CombinedClassifier } from '../classify/index.js';
import type { Logger } from '../log.js';

/** The classifier the pipeline uses: the trained model, the LLM when configured and the model is unsure, rules last. */
export function createPipelineClassifier(deps: { installation: Installation; db: Db; env: Env; log: Logger; clock: Clock }): Promise<CombinedClassifier> {
  return createClassifier(deps);
}
