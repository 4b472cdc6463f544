import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Spawned `bin/otklik.js` processes run the sources under test, never a stale dist/ build.
    env: { OTKLIK_FROM_SOURCE: '1' },
    // PGlite is memory-hungry and slow to start; two workers fit the 2-core CI machine.
    maxWorkers: 2,
  },
});
