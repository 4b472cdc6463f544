import { TableError, readLabelledFile } from '../classify/tabular.js';
import { UsageError } from '../cli/errors.js';

/**
 * Department names from an «Инцидент Менеджмент» export (CSV or XLSX): the distinct
 * values of the executor column, most frequent first.
 */
export async function importDepartments(file: string, column: string): Promise<string[]> {
  let rows: Awaited<ReturnType<typeof readLabelledFile>>;
  try {
    rows = await readLabelledFile(file, { text: column });
  } catch (e) {
    if (e instanceof TableError) throw new UsageError(e.message.replace(/use --text-col$/, 'укажите столбец исполнителя: --executor-col'));
    throw e;
  }
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.text, (counts.get(r.text) ?? 0) + 1);
  const names = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  if (!names.length) throw new UsageError(`${file}: в столбце «${column}» нет ни одного названия`);
  return names;
}
