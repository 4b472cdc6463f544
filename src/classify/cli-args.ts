import { parseArgs } from 'node:util';
import { DEFAULT_COLUMNS, type ColumnMap } from './tabular.js';

/** `--csv FILE [--text-col text] [--topic-col topic] [--department-col department] [--kind-col kind]` */
export function parseTableArgs(argv: string[]): { file: string | undefined; columns: ColumnMap; adopt: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      csv: { type: 'string' },
      xlsx: { type: 'string' },
      'text-col': { type: 'string' },
      'topic-col': { type: 'string' },
      'department-col': { type: 'string' },
      'kind-col': { type: 'string' },
      'group-col': { type: 'string' },
      adopt: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  return {
    file: values.csv ?? values.xlsx,
    adopt: values.adopt ?? false,
    columns: {
      text: values['text-col'] ?? DEFAULT_COLUMNS.text,
      topic: values['topic-col'] ?? DEFAULT_COLUMNS.topic,
      department: values['department-col'] ?? DEFAULT_COLUMNS.department,
      kind: values['kind-col'] ?? DEFAULT_COLUMNS.kind,
      group: values['group-col'] ?? DEFAULT_COLUMNS.group,
    },
  };
}
