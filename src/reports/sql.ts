import type { SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';

/** Rows of a raw query on either driver (postgres.js returns an array, PGlite `{ rows }`). */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const r = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(r) ? r : r.rows;
}

/** A time zone name as a SQL literal (for GROUP BY expressions, where a parameter would not match). */
export function zoneLiteral(zone: string): string {
  if (!/^[A-Za-z0-9_+\-/]+$/.test(zone)) throw new Error(`report: bad time zone "${zone}"`);
  return `'${zone}'`;
}

export const num = (x: unknown): number => (x === null || x === undefined ? 0 : Number(x));
export const numOrNull = (x: unknown): number | null => (x === null || x === undefined ? null : Number(x));
