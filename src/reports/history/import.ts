import type { Installation } from '../../config/installation.js';
import type { Db } from '../../db/client.js';
import type { WorkCalendar } from '../../sla/calendar.js';
import { parseRow, type ImportRecord } from './parse.js';
import { readImExport } from './read.js';
import { bumpNumberSequence, storeChunk } from './store.js';

export interface ImportSummary {
  rows: number;
  imported: number;
  /** Already stored (same number): a repeated import adds nothing. */
  existing: number;
  rejected: Array<{ line: number; reason: string }>;
}

export interface ImportDeps {
  db: Db;
  installation: Installation;
  calendar: WorkCalendar;
  now: Date;
  /** Called after each stored chunk with the rows done so far and the total (progress bar). */
  onProgress?: (done: number, total: number) => void;
}

const CHUNK = 500;

/** Imports an «Инцидент Менеджмент» export: good rows stored in chunks, bad rows named with the reason. */
export async function importImFile(deps: ImportDeps, path: string): Promise<ImportSummary> {
  const rows = await readImExport(path);
  const good: ImportRecord[] = [];
  const rejected: ImportSummary['rejected'] = [];
  for (const r of rows) {
    const parsed = parseRow(r.cells, deps.installation.timezone);
    if (parsed.ok) good.push(parsed.record);
    else rejected.push({ line: r.line, reason: parsed.reason });
  }
  let imported = 0;
  deps.onProgress?.(0, good.length);
  for (let i = 0; i < good.length; i += CHUNK) {
    imported += await storeChunk(deps, good.slice(i, i + CHUNK));
    deps.onProgress?.(Math.min(i + CHUNK, good.length), good.length);
  }
  if (imported) await bumpNumberSequence(deps.db);
  return { rows: rows.length, imported, existing: good.length - imported, rejected };
}
