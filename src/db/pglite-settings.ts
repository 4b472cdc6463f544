import { setFlagsFromString } from 'node:v8';

/**
 * Settings for the embedded PGlite server, chosen by measuring `npm run
 * bench:ingest` (README, "Performance"): PGlite keeps Postgres's buffer cache
 * inside its WebAssembly memory, which never shrinks, so the default 128 MB of
 * shared_buffers costs RSS for little gain — the operating system's page cache
 * under the data directory does that work. At 20,000 posts: 489 MB peak RSS with
 * 128 MB, 358 MB with 16 MB, the same CPU seconds (under tsx). Then, with the
 * bench running plain JS as `npm start` does: 304 MB with 16 MB, 281 MB with 4 MB
 * shared_buffers and small WAL/temp buffers, for 11.1 → 12.0 node CPU seconds
 * (within this shared machine's noise, but possibly a few % of eviction I/O); those
 * peaks were sampled on a timer, which misses some (the bench now reads VmHWM). The
 * WebAssembly memory is 128 MB (PGlite's default `initialMemory`), counted whole in
 * process.memoryUsage().external, but only its touched pages are resident (≈25 MB
 * in /proc/self/smaps during the ingest). maintenance_work_mem (index builds
 * in migrations) is capped so that one migration does not raise the high-water mark
 * for the life of the process.
 */
export const PGLITE_OPTIONS = {
  postgresqlconf: ['shared_buffers = 4MB', 'wal_buffers = 64kB', 'temp_buffers = 1MB', 'maintenance_work_mem = 16MB'].join('\n'),
};

/**
 * V8 settings for a process that runs PGlite, set at run time before the database
 * is opened, so that they apply however otklik is started (bin/otklik.js, npm
 * start, the systemd unit, Docker, the tests) with no node command-line flag.
 * Beside PGlite's own WebAssembly memory, `bench:ingest` (README, "Performance")
 * found two large costs of RSS (/proc/self/smaps, process.memoryUsage()):
 * - TurboFan: V8 compiles the hot functions of PGlite's 9 MB module (all of
 *   Postgres) again with its optimizing compiler, on background threads whose
 *   scratch memory glibc keeps in per-thread malloc arenas for the life of the
 *   process: 70–120 MB. With the baseline compiler (Liftoff) alone, under 20 MB.
 * - The JS heap's growth between full collections: the live heap stays near
 *   50–70 MB, but by default V8 lets it grow to about 2.5× that first (135 MB at
 *   50,000 posts); here it grows by at most 50 % between collections.
 * At 100,000 posts on PGlite (same machine, same load): peak RSS 368 → 250 MB, for
 * 72.3 → 82.9 node CPU seconds of ingest + decide (+15 %: Liftoff's code is slower,
 * and collections are more frequent). Postgres (DATABASE_URL) does not use these.
 * Only PGlite uses WebAssembly in this process.
 */
export function limitMemoryForPglite(): void {
  setFlagsFromString('--no-wasm-tier-up');
  setFlagsFromString('--no-wasm-dynamic-tiering');
  setFlagsFromString('--heap-growing-percent=50');
}
