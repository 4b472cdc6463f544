/**
 * Settings for the embedded PGlite server, chosen by measuring `npm run
 * bench:ingest` (README, "Performance"): PGlite keeps Postgres's buffer cache
 * inside its WebAssembly memory, which never shrinks, so the default 128 MB of
 * shared_buffers costs RSS for little gain — the operating system's page cache
 * under the data directory does that work. At 20,000 posts: 489 MB peak RSS with
 * 128 MB, 358 MB with 16 MB, the same CPU seconds (under tsx). Then, with the
 * bench running plain JS as `npm start` does: 304 MB with 16 MB, 281 MB with 4 MB
 * shared_buffers and small WAL/temp buffers, for 11.1 → 12.0 node CPU seconds
 * (within this shared machine's noise, but possibly a few % of eviction I/O). The WebAssembly memory starts at 128 MB (the module's minimum;
 * PGlite's `initialMemory` cannot go below it). maintenance_work_mem (index builds
 * in migrations) is capped so that one migration does not raise the high-water mark
 * for the life of the process.
 */
export const PGLITE_OPTIONS = {
  postgresqlconf: ['shared_buffers = 4MB', 'wal_buffers = 64kB', 'temp_buffers = 1MB', 'maintenance_work_mem = 16MB'].join('\n'),
};
