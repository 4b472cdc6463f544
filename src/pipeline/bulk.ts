import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';

/**
 * Many rows in one statement with one bound value: the rows travel as a JSON
 * array and SQL unpacks them (`jsonb_to_recordset`). Building a multi-row
 * INSERT through the query builder costs CPU per value (15 columns × 500 rows
 * is 7,500 parameters); this costs one JSON.stringify. Keys are column names.
 * NUL characters are dropped on the way: Postgres refuses them in text and jsonb,
 * and networks do send them.
 */
export function jsonRows(rows: readonly unknown[]): SQL {
  const json = JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'string' && value.includes('\u0000') ? value.replace(/\u0000/g, '') : value));
  return sql`${json}::jsonb`;
}

/** The rows a raw statement returned: postgres.js gives an array, PGlite `{ rows }`. */
export async function execRows<T>(db: Db, query: SQL): Promise<T[]> {
  const res: unknown = await db.execute(query);
  return (Array.isArray(res) ? res : ((res as { rows?: T[] }).rows ?? [])) as T[];
}
