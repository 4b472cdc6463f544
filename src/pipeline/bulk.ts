import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';

/**
 * Many rows in one statement with one bound value: the rows travel as a JSON
 * array and SQL unpacks them (`jsonb_to_recordset`). Building a multi-row
 * INSERT through the query builder costs CPU per value (15 columns × 500 rows
 * is 7,500 parameters); this costs one JSON.stringify. Keys are column names.
 * NUL characters and lone surrogates are cleaned on the way (cleanString): Postgres refuses them,
 * and networks do send them.
 */
export function jsonRows(rows: readonly unknown[]): SQL {
  // JSON.stringify escapes exactly what needs cleaning (NUL as \u0000, a lone surrogate as \udXXX):
  // when neither shows, the text is clean and the replacer's per-string pass is skipped.
  const plain = JSON.stringify(rows);
  const json = NEEDS_CLEANING.test(plain) ? JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'string' ? cleanString(value) : value)) : plain;
  return sql`${json}::jsonb`;
}

/** In JSON text: an escaped NUL or an escaped (hence lone) surrogate; a false alarm only costs the slow path. */
const NEEDS_CLEANING = /\\u0000|\\ud[89a-f]/i;

/** A lone UTF-16 surrogate becomes the JSON escape "\ud800", which jsonb refuses. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** NULs dropped and lone surrogates replaced by U+FFFD: what Postgres text and jsonb accept. */
export function cleanString(s: string): string {
  return s.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\ufffd');
}

/** The rows a raw statement returned: postgres.js gives an array, PGlite `{ rows }`. */
export async function execRows<T>(db: Db, query: SQL): Promise<T[]> {
  const res: unknown = await db.execute(query);
  return (Array.isArray(res) ? res : ((res as { rows?: T[] }).rows ?? [])) as T[];
}
