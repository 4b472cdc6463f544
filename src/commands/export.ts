import { writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import type { AppCommand } from '../cli/spec.js';
import { UsageError } from '../cli/errors.js';
import { departments } from '../db/schema.js';
import { EXPORT_HEADERS, exportIm } from '../reports/history/export.js';
import { IM_HEADERS, type ImField } from '../reports/history/columns.js';

/** Exports hold citizens' texts and names (personal data): a new file is readable by its owner only. */
const OWNER_ONLY = 0o600;

/**
 * `otklik export --format im --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE]`: incidents in the
 * incumbent system's layout — XLSX when FILE ends in .xlsx, else CSV (`;`, UTF-8 with BOM).
 */
export const exportCommand: AppCommand = async (deps, input) => {
  const o = input.opts as { from: string; to: string; out?: string };
  const tz = deps.installation.timezone;
  const from = DateTime.fromISO(o.from, { zone: tz });
  const to = DateTime.fromISO(o.to, { zone: tz }).plus({ days: 1 });
  if (to <= from) throw new UsageError('--from позже --to');
  const names = new Map((await deps.db.select().from(departments)).map((d) => [d.code, d.name]));
  const rows = await exportIm(deps.db, { from: from.toJSDate(), to: to.toJSDate() }, tz, (c) => names.get(c) ?? c);
  const fields = Object.keys(IM_HEADERS) as ImField[];
  if (o.out?.toLowerCase().endsWith('.xlsx')) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Инциденты', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = fields.map((f) => ({ header: IM_HEADERS[f], key: f, width: f === 'text' ? 80 : f === 'executors' ? 40 : 18 }));
    ws.getRow(1).font = { bold: true };
    for (const r of rows) ws.addRow(r);
    writeFileSync(o.out, Buffer.from(await wb.xlsx.writeBuffer()), { mode: OWNER_ONLY });
  } else {
    const csv = `\uFEFF${stringify([EXPORT_HEADERS, ...rows.map((r) => fields.map((f) => r[f]))], { delimiter: ';' })}`;
    if (!o.out) return deps.out(csv.trimEnd()), 0;
    writeFileSync(o.out, csv, { mode: OWNER_ONLY });
  }
  deps.out(`экспорт: ${rows.length} инцидентов → ${o.out}`);
  return 0;
};
