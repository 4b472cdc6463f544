import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { matchColumns, type ImField } from './columns.js';
import type { RawCell } from './values.js';

export interface ImportRow {
  /** Line (CSV) or row (XLSX) number in the file, header = 1. */
  line: number;
  cells: Partial<Record<ImField, RawCell>>;
}

/** Thrown for a file that cannot be an export at all (no text column, unreadable). */
export class ImportFileError extends Error {}

function cellValue(v: unknown): RawCell {
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const o = v as { text?: unknown; richText?: { text: string }[]; result?: unknown; hyperlink?: string };
    if (o.richText) return o.richText.map((t) => t.text).join('');
    if (o.text !== undefined) return o.text;
    if (o.result !== undefined) return o.result;
    if (o.hyperlink !== undefined) return o.hyperlink;
  }
  return v;
}

async function xlsxRecords(path: string): Promise<{ headers: string[]; rows: Array<{ line: number; values: RawCell[] }> }> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const sheet = wb.worksheets[0];
  if (!sheet) return { headers: [], rows: [] };
  const headers: string[] = [];
  sheet.getRow(1).eachCell((c, i) => (headers[i - 1] = String(cellValue(c.value) ?? '').trim()));
  const rows: Array<{ line: number; values: RawCell[] }> = [];
  sheet.eachRow((row, n) => {
    if (n > 1) rows.push({ line: n, values: headers.map((_, i) => cellValue(row.getCell(i + 1).value)) });
  });
  return { headers, rows };
}

async function csvRecords(path: string): Promise<{ headers: string[]; rows: Array<{ line: number; values: RawCell[] }> }> {
  const text = await readFile(path, 'utf8');
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const delimiter = firstLine.split(';').length > firstLine.split(',').length ? ';' : ',';
  const records = parse(text, { bom: true, delimiter, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  const [head, ...rest] = records;
  return { headers: (head?.record ?? []).map((h) => h.trim()), rows: rest.map((r) => ({ line: r.info.lines, values: r.record })) };
}

/** Reads an export (XLSX or CSV, comma or semicolon, UTF-8) into rows of known fields. */
export async function readImExport(path: string): Promise<ImportRow[]> {
  const { headers, rows } = path.toLowerCase().endsWith('.xlsx') ? await xlsxRecords(path) : await csvRecords(path);
  const fields = matchColumns(headers);
  if (!fields.text) throw new ImportFileError(`${path}: нет столбца «Текст инцидента» (столбцы: ${headers.filter(Boolean).join(', ') || 'нет'})`);
  const index = Object.entries(fields).map(([f, h]) => [f as ImField, headers.indexOf(h!)] as const);
  return rows
    .filter((r) => r.values.some((v) => v !== null && v !== undefined && String(v).trim() !== ''))
    .map((r) => ({ line: r.line, cells: Object.fromEntries(index.map(([f, i]) => [f, r.values[i]])) }));
}
