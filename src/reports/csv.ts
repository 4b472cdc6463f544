import { stringify } from 'csv-stringify/sync';
import type { ReportTable } from './tables.js';

/**
 * The report's tables as one CSV text: a title line, a header line and the rows of
 * each table, a blank line between tables; `;`-separated with a BOM, the way Excel
 * in a Russian locale opens it.
 */
export function reportCsv(tables: ReportTable[]): string {
  const blocks = tables.map((t) => stringify([[t.title], t.columns.map((c) => c.header), ...t.rows.map((r) => r.map((c) => (c === null ? '' : c)))], { delimiter: ';' }));
  return `\uFEFF${blocks.join('\n')}`;
}
