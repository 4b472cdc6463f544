import type { Clock } from '../clock.js';
import type { Env } from '../config/env.js';
import type { Installation } from '../config/installation.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../log.js';

/** What every CLI command receives (a slice of the App), plus where its output goes. */
export interface CommandDeps {
  db: Db;
  installation: Installation;
  env: Env;
  log: Logger;
  clock: Clock;
  /** One line of the command's output (stdout). */
  out: (line: string) => void;
}
