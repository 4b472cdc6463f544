import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';
import { fromRoot } from '../paths.js';
import { PGLITE_OPTIONS } from './pglite-settings.js';

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
}

/** Opens the database and applies pending migrations. */
export async function openDb(opts: OpenDbOptions): Promise<DbHandle> {
  const handle = opts.url ? await openPostgres(opts.url) : await openPglite(opts.dataDir ?? './data');
  await migrate(handle);
  return handle;
}

async function openPostgres(url: string): Promise<DbHandle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, { max: 10, onnotice: () => {} });
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, driver: 'postgres', close: () => client.end({ timeout: 5 }) };
}

async function openPglite(dataDir: string): Promise<DbHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir, PGLITE_OPTIONS);
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, driver: 'pglite', close: () => client.close() };
}

async function migrate(handle: DbHandle): Promise<void> {
  if (await migrationsApplied(handle.db)) return;
  const config = { migrationsFolder: MIGRATIONS_DIR };
  if (handle.driver === 'postgres') {
    const { migrate: run } = await import('drizzle-orm/postgres-js/migrator');
    await run(handle.db as never, config);
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
