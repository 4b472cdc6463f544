/**
 * Settings for the embedded PGlite server, chosen by measuring `npm run
 * bench:ingest` (README, "Performance"): PGlite keeps Postgres's buffer cache
 * inside its WebAssembly memory, which never shrinks, so the default 128 MB of
 * shared_buffers costs RSS for little gain — the operating system's page cache
 * under the data directory does that work. At 20,000 posts: 489 MB peak RSS with
 * 128 MB, 358 MB with 16 MB, the same CPU seconds.
 */
export const PGLITE_OPTIONS = { postgresqlconf: 'shared_buffers = 16MB' };
