/**
 * Settings for the embedded PGlite server, chosen by measuring `npm run
 * bench:ingest` (see README, "Performance"): PGlite keeps Postgres's buffer cache
 * inside its WebAssembly memory, which never shrinks, so the default 128 MB of
 * shared_buffers alone costs 128 MB of RSS; the operating system's page cache
 * under the data directory does most of that work anyway.
 * OTKLIK_PGLITE_SHARED_BUFFERS overrides the size (e.g. `64MB`).
 */
export function pgliteOptions(env: NodeJS.ProcessEnv = process.env): { postgresqlconf: string } {
  const sharedBuffers = env.OTKLIK_PGLITE_SHARED_BUFFERS?.match(/^\d+(kB|MB|GB)$/) ? env.OTKLIK_PGLITE_SHARED_BUFFERS : '16MB';
  return { postgresqlconf: `shared_buffers = ${sharedBuffers}` };
}
