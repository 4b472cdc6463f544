import { parse as parseCsv } from 'csv-parse/sync';
import { SourceError } from '../../src/domain/source.js';
export { decodeText } from '../../src/decode-text.js';

export type Row = Record<string, unknown>;

/** One record of a feed file: a row to turn into a post, or the reason it was refused. `where` is `file:line`. */
export type FileRecord = { row: Row; where: string } | { refused: string };

/** A record longer than this is refused: no post is that long, and a runaway field must not fill the database. */
export const MAX_RECORD_BYTES = 1_000_000;

/**
 * Every non-empty line is one record; a line that is not a JSON object is refused with
 * its line number and the lines after it are read as usual (CRLF is fine: JSON allows \r).
 */
export function readJsonlRecords(content: string, file: string): FileRecord[] {
  const out: FileRecord[] = [];
  content.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${file}:${i + 1}`;
    if (line.length > MAX_RECORD_BYTES) return void out.push({ refused: `${where}: строка длиннее ${MAX_RECORD_BYTES} символов` });
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return void out.push({ refused: `${where}: строка не JSON` });
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) return void out.push({ refused: `${where}: строка не объект JSON` });
    out.push({ row: value as Row, where });
  });
  return out;
}

/**
 * CSV with a header row (comma or semicolon). A record the parser cannot read (an unclosed
 * quote, a field over the size limit) is refused and the rest are read; a file without a
 * `text` column is refused as a whole, naming the columns it has.
 */
export function readCsvRecords(content: string, file: string): FileRecord[] {
  const firstLine = content.slice(0, Math.max(0, content.indexOf('\n')) || content.length);
  const delimiter = firstLine.split(';').length > firstLine.split(',').length ? ';' : ',';
  const out: FileRecord[] = [];
  let columns: string[] | null = null;
  try {
    parseCsv(content, {
      columns: (header: string[]) => (columns = header.map((h) => h.trim())),
      delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_records_with_error: true,
      on_skip: (err) => void out.push({ refused: `${file}:${err?.lines ?? '?'}: ${csvReason(err?.code)}` }),
      on_record: (row: Row, ctx) => {
        const where = `${file}:${ctx.lines}`;
        const size = Object.values(row).reduce<number>((n, v) => n + String(v ?? '').length, 0);
        out.push(size > MAX_RECORD_BYTES ? { refused: `${where}: ${csvReason('CSV_MAX_RECORD_SIZE')}` } : { row, where });
        return null;
      },
    });
  } catch (cause) {
    throw new SourceError('broken', `${file}: не читается как CSV: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  const cols: string[] = columns ?? [];
  if (cols.length && !cols.includes('text')) {
    throw new SourceError('broken', `${file}: нет столбца text (столбцы: ${cols.join(', ')})`);
  }
  return out;
}

function csvReason(code: string | undefined): string {
  if (code === 'CSV_MAX_RECORD_SIZE') return `запись длиннее ${MAX_RECORD_BYTES} символов`;
  if (code === 'CSV_QUOTE_NOT_CLOSED') return 'незакрытая кавычка';
  return `запись не читается (${code ?? 'ошибка CSV'})`;
}
