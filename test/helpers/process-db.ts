import { join } from 'node:path';
import { openDb, type DbHandle } from '../../src/db/client.js';

/**
 * The database of a spawned `otklik` process and of the test that looks into it between
 * runs: a PGlite directory under `dir` (open it only while no process holds it), or — when
 * TEST_DATABASE_URL is set (CI) — a fresh database on that Postgres server, dropped by `drop`.
 */
export interface ProcessDb {
  driver: 'pglite' | 'postgres';
  /** OTKLIK_DATA_DIR or DATABASE_URL for the spawned process. */
  env: Record<string, string>;
  open(): Promise<DbHandle>;
  drop(): Promise<void>;
}

export async function processDb(dir: string): Promise<ProcessDb> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const dataDir = join(dir, 'data');
    return { driver: 'pglite', env: { OTKLIK_DATA_DIR: dataDir }, open: () => openDb({ dataDir }), drop: async () => {} };
  }
  const { default: postgres } = await import('postgres');
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const name = `otklik_p_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.unsafe(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    driver: 'postgres',
    env: { DATABASE_URL: u.toString() },
    open: () => openDb({ url: u.toString() }),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
