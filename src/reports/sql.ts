import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';

/** Rows of a raw query on either driver (postgres.js returns an array, PGlite `{ rows }`). */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const r = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(r) ? r : r.rows;
}

/**
 * A big aggregate: run in its own transaction with more sort memory, so the sorts a
 * year's medians and groupings need stay in memory instead of spilling to disk
 * (the server default is 4 MB), and without JIT.
 */
export async function bigRows<T>(db: Db, query: SQL): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '64MB'`);
    // The planner's cost of a year's aggregate triggers JIT compilation, which costs more
    // (≈ 0.1 s per query, measured) than it saves on a few hundred thousand rows.
    await tx.execute(sql`set local jit = off`);
    return rows<T>(tx as unknown as Db, query);
  });
}

/** A time zone name as a SQL literal (for GROUP BY expressions, where a parameter would not match). */
export function zoneLiteral(zone: string): string {
  if (!/^[A-Za-z0-9_+\-/]+$/.test(zone)) throw new Error(`report: bad time zone "${zone}"`);
  return `'${zone}'`;
}

export const num = (x: unknown): number => (x === null || x === undefined ? 0 : Number(x));
export const numOrNull = (x: unknown): number | null => (x === null || x === undefined ? null : Number(x));
