import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { decodeText } from '../decode-text.js';
import type { Sample } from './model.js';

/** Which column holds what; an export of «Инцидент Менеджмент» uses e.g. `--text-col "Текст инцидента" --topic-col Тема`. */
export interface ColumnMap {
  text: string;
  topic?: string;
  department?: string;
  kind?: string;
  /** Topic group (a category of the incumbent system): the taxonomy's groups and the model's group → topic hierarchy. */
  group?: string;
}

export const DEFAULT_COLUMNS: ColumnMap = { text: 'text', topic: 'topic', department: 'department', kind: 'kind', group: 'group' };

/** Thrown when the file lacks the text column: the message lists the columns it has. */
export class TableError extends Error {}

function toSamples(records: Record<string, unknown>[], cols: ColumnMap, where: string): Sample[] {
  const first = records[0];
  if (first && !(cols.text in first)) {
    throw new TableError(`${where}: no column "${cols.text}" (columns: ${Object.keys(first).join(', ')}); use --text-col`);
  }
  const cell = (r: Record<string, unknown>, c?: string) => {
    const v = c ? r[c] : undefined;
    const s = v === undefined || v === null ? '' : String(v).trim();
    return s || null;
  };
  return records
    .map((r) => ({ text: cell(r, cols.text) ?? '', topic: cell(r, cols.topic), department: cell(r, cols.department), kind: cell(r, cols.kind), group: cell(r, cols.group) }))
    .filter((s) => s.text.length > 0);
}

function cellText(v: unknown): unknown {
  if (v && typeof v === 'object') {
    const o = v as { text?: unknown; richText?: { text: string }[]; result?: unknown };
    if (o.richText) return o.richText.map((t) => t.text).join('');
    if (o.text !== undefined) return o.text;
    if (o.result !== undefined) return o.result;
  }
  return v;
}

async function readXlsx(path: string): Promise<Record<string, unknown>[]> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const sheet = wb.worksheets[0];
  if (!sheet) return [];
  const header: string[] = [];
  sheet.getRow(1).eachCell((c, i) => (header[i] = String(cellText(c.value) ?? '').trim()));
  const out: Record<string, unknown>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const rec: Record<string, unknown> = {};
    header.forEach((h, i) => h && (rec[h] = cellText(row.getCell(i).value)));
    out.push(rec);
  });
  return out;
}

/** Rows of a CSV (comma or semicolon, UTF-8, BOM ok) or an .xlsx file, as header → cell. */
export async function readRecords(path: string): Promise<Record<string, unknown>[]> {
  if (path.toLowerCase().endsWith('.xlsx')) return readXlsx(path);
  const text = decodeText(await readFile(path));
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const delimiter = firstLine.split(';').length > firstLine.split(',').length ? ';' : ',';
  return parse(text, { columns: true, bom: true, delimiter, skip_empty_lines: true, relax_column_count: true }) as Record<string, unknown>[];
}

/** Reads labelled texts from a CSV or an .xlsx file (rows without text are skipped). */
export async function readLabelledFile(path: string, cols: ColumnMap = DEFAULT_COLUMNS): Promise<Sample[]> {
  return toSamples(await readRecords(path), cols, path);
}

/** The text column of every row (empty rows kept as ''), and the `id` column when the file has one. */
export async function readTexts(path: string, textCol: string): Promise<Array<{ text: string; id: string | null }>> {
  const records = await readRecords(path);
  const first = records[0];
  if (first && !(textCol in first)) throw new TableError(`${path}: no column "${textCol}" (columns: ${Object.keys(first).join(', ')}); use --text-col`);
  return records.map((r) => ({ text: String(r[textCol] ?? '').trim(), id: r.id === undefined || r.id === null ? null : String(r.id) }));
}
