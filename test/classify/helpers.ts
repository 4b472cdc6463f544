import { readEnv, type Env } from '../../src/config/env.js';
import { createLogger } from '../../src/log.js';
import { ManualClock } from '../../src/clock.js';

export const silentLog = createLogger({ level: 'silent' });

export function testEnv(overrides: Record<string, string> = {}): Env {
  return readEnv({ OPENAI_TIMEOUT_MS: '400', ...overrides });
}

export const testClock = () => new ManualClock('2025-03-10T09:00:00Z');
