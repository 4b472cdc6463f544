import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { OperatorError } from '../operator-error.js';
import { LOCK_FILE, lockDataDir, lockOwnerName } from './dir-lock.js';
import * as schema from './schema.js';
import { fromRoot } from '../paths.js';
import { PGLITE_OPTIONS, limitMemoryForPglite } from './pglite-settings.js';

/** One database type for PGlite and postgres.js (both are drizzle PgDatabase). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DbHandle {
  db: Db;
  /** `postgres` (DATABASE_URL) or `pglite` (embedded, in a directory or in memory). */
  driver: 'postgres' | 'pglite';
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = fromRoot('drizzle');

export interface OpenDbOptions {
  /** Postgres URL; when absent the embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite data directory; `memory://` for a throwaway in-memory database. */
  dataDir?: string;
  /** Empty the PGlite directory first, after taking its lock (the demo starts from nothing). */
  fresh?: boolean;
}

/** Opens the database and applies pending migrations. */
export async function openDb(opts: OpenDbOptions): Promise<DbHandle> {
  const handle = opts.url ? await openPostgres(opts.url) : await openPglite(opts.dataDir ?? './data', opts.fresh ?? false);
  await migrate(handle);
  return handle;
}

/** Seconds to wait for Postgres to accept a connection before giving up with one line. */
export const CONNECT_TIMEOUT_S = 5;

async function openPostgres(url: string): Promise<DbHandle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, { max: 10, onnotice: () => {}, connect_timeout: CONNECT_TIMEOUT_S });
  // postgres.js's connect_timeout ends the socket but leaves a queued query waiting while it
  // reconnects (an unreachable host hangs forever): bound the first query ourselves.
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`нет ответа за ${CONNECT_TIMEOUT_S} с`)), CONNECT_TIMEOUT_S * 1000 + 500);
  });
  try {
    await Promise.race([client`select 1`, timedOut]);
  } catch (e) {
    await client.end({ timeout: 0 }).catch(() => {});
    const why = (e as { code?: string }).code === 'CONNECT_TIMEOUT' ? `нет ответа за ${CONNECT_TIMEOUT_S} с` : (e as Error).message;
    throw new OperatorError(`база данных недоступна (DATABASE_URL, ${describeUrl(url)}): ${why}`, { cause: e });
  } finally {
    clearTimeout(timer);
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, driver: 'postgres', close: () => client.end({ timeout: 5 }) };
}

/** Host, port and database of a Postgres URL, never the password. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'адрес не разобран';
  }
}

/**
 * Opens the embedded database. A directory is locked for this process first (two
 * processes on one PGlite directory corrupt it) and kept owner-only.
 */
async function openPglite(dataDir: string, fresh: boolean): Promise<DbHandle> {
  limitMemoryForPglite();
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (dataDir.startsWith('memory://')) {
    const client = await PGlite.create(dataDir, PGLITE_OPTIONS);
    return { db: drizzle(client, { schema }) as unknown as Db, driver: 'pglite', close: () => client.close() };
  }
  prepareDataDir(dataDir);
  const lock = lockDataDir(dataDir, lockOwnerName());
  try {
    if (fresh) emptyDir(dataDir, LOCK_FILE);
    const client = await PGlite.create(dataDir, PGLITE_OPTIONS);
    restrictToOwner(dataDir);
    const db = drizzle(client, { schema }) as unknown as Db;
    const close = () => client.close().finally(() => (restrictToOwner(dataDir), lock.release()));
    return { db, driver: 'pglite', close };
  } catch (e) {
    lock.release();
    throw e;
  }
}

/** PGlite writes its files 0666 whatever the umask: take group and others' bits away (the directory is 700 too). */
function restrictToOwner(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    try {
      if (entry.isFile() && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    } catch {
      // a file PGlite removed meanwhile
    }
  }
}

function emptyDir(dir: string, keep: string): void {
  for (const name of readdirSync(dir)) if (name !== keep) rmSync(join(dir, name), { recursive: true, force: true });
}

/** Creates the data directory owner-only (PGlite writes its files 0666; the directory keeps others out). */
function prepareDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new OperatorError(`папка встроенной базы недоступна для записи: ${dataDir} (${code}); укажите другую в OTKLIK_DATA_DIR или используйте DATABASE_URL`, { cause: e });
  }
}

/** Advisory lock key of migrating (any fixed number, the same in every instance). */
const MIGRATE_LOCK = 7_310_311;

async function migrate(handle: DbHandle): Promise<void> {
  if (await migrationsApplied(handle.db)) return;
  const config = { migrationsFolder: MIGRATIONS_DIR };
  if (handle.driver === 'postgres') {
    const { migrate: run } = await import('drizzle-orm/postgres-js/migrator');
    // Several instances starting at once: one migrates, the others wait for it and find it done.
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATE_LOCK})`);
      if (!(await migrationsApplied(handle.db))) await run(handle.db as never, config);
    });
  } else {
    const { migrate: run } = await import('drizzle-orm/pglite/migrator');
    await run(handle.db as never, config);
  }
}

/**
 * True when the newest migration of the journal is already recorded in
 * `drizzle.__drizzle_migrations` — the test drizzle's migrator makes (it applies
 * the entries newer than the last recorded one) — so a start-up on an
 * up-to-date database neither loads the migrator nor reads the SQL files.
 */
async function migrationsApplied(db: Db): Promise<boolean> {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ when: number }> };
  const newest = Math.max(...journal.entries.map((e) => e.when));
  try {
    // postgres.js answers with an array of rows, PGlite with { rows }.
    const res: unknown = await db.execute(sql`select max(created_at)::text as last from drizzle.__drizzle_migrations`);
    const [row] = (Array.isArray(res) ? res : ((res as { rows?: unknown[] }).rows ?? [])) as Array<{ last: string | null }>;
    return row?.last != null && Number(row.last) >= newest;
  } catch {
    return false; // a new database: no migrations table yet
  }
}
