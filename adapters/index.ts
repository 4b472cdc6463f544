import type { Clock } from '../src/clock.js';
import type { Env } from '../src/config/env.js';
import type { Installation } from '../src/config/installation.js';
import type { Channel } from '../src/domain/post.js';
import type { ChannelAdapter } from '../src/domain/source.js';
import type { Logger } from '../src/log.js';
import { createFileAdapter } from './file/index.js';

export interface AdapterDeps {
  env: Env;
  log: Logger;
  clock: Clock;
  installation: Installation;
}

/**
 * The registry of channel adapters (one per channel), built from the environment.
 * A channel without credentials has no adapter; its sources are reported as not configured.
 */
export function createAdapters(deps: AdapterDeps): Map<Channel, ChannelAdapter> {
  const registry = new Map<Channel, ChannelAdapter>();
  registry.set('file', createFileAdapter());
  return registry;
}

export { createFileAdapter };
