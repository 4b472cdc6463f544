import { fileURLToPath } from 'node:url';
import { createApp, type App, type AppOptions } from '../../src/app/app.js';
import { ManualClock } from '../../src/clock.js';
import { readEnv } from '../../src/config/env.js';
import { loadInstallation, type Installation } from '../../src/config/installation.js';
import { createLogger } from '../../src/log.js';
import type { DbHandle } from '../../src/db/client.js';

export const EXAMPLE_CONFIG = fileURLToPath(new URL('../../config/example.yaml', import.meta.url));

/** The example installation with only the sources a test gives. */
export function testInstallation(sources: Installation['sources'] = []): Installation {
  return { ...loadInstallation(EXAMPLE_CONFIG), sources };
}

/**
 * An App on an already open test database (see openTestDb), with a manual clock
 * and a silent logger. Options override anything.
 */
export async function createTestApp(handle: DbHandle, opts: Partial<AppOptions> & { installation?: Installation } = {}): Promise<App & { clock: ManualClock }> {
  const clock = (opts.clock as ManualClock | undefined) ?? new ManualClock('2026-11-16T09:00:00+03:00');
  const app = await createApp({
    env: readEnv({}),
    installation: opts.installation ?? testInstallation(),
    log: createLogger({ level: 'silent' }),
    clock,
    db: handle,
    ...opts,
  });
  return app as App & { clock: ManualClock };
}
