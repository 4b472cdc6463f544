import { writeFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import type { AppCommand } from '../cli/spec.js';
import { UsageError } from '../cli/errors.js';
import { reportCsv } from '../reports/csv.js';
import { buildPeriodReport } from '../reports/period.js';
import { periodName } from '../reports/sentence.js';
import { reportTables } from '../reports/tables.js';
import { renderReportText } from '../reports/text.js';
import { reportXlsx } from '../reports/xlsx.js';

export const REPORT_FORMATS = ['text', 'json', 'csv', 'xlsx'] as const;
type Format = (typeof REPORT_FORMATS)[number];

/**
 * `otklik report --from YYYY-MM-DD --to YYYY-MM-DD [--format text|json|csv|xlsx] [--out FILE]`
 * (dates inclusive, installation time zone). XLSX needs --out; the others print unless --out is given.
 */
export const reportCommand: AppCommand = async (deps, input) => {
  const o = input.opts as { from?: string; to?: string; format: Format; out?: string };
  const tz = deps.installation.timezone;
  const today = DateTime.fromJSDate(deps.clock.now(), { zone: tz }).startOf('day');
  const from = o.from ? DateTime.fromISO(o.from, { zone: tz }) : today.minus({ days: 7 });
  const to = o.to ? DateTime.fromISO(o.to, { zone: tz }).plus({ days: 1 }) : today;
  if (to <= from) throw new UsageError('--from позже --to');
  if (o.format === 'xlsx' && !o.out) throw new UsageError('для --format xlsx укажите файл: --out отчёт.xlsx');
  const report = await buildPeriodReport(deps.db, from.toJSDate(), to.toJSDate(), deps.clock.now(), { calendar: deps.app.calendar });
  const territory = deps.installation.territory.name;
  let body: string | Buffer;
  if (o.format === 'json') body = JSON.stringify(report);
  else if (o.format === 'csv') body = reportCsv(reportTables(report, tz));
  else if (o.format === 'xlsx') body = await reportXlsx(reportTables(report, tz), `Отчёт — ${territory}, ${periodName(report.from, report.to, tz)}`);
  else body = renderReportText(report, tz, territory);
  if (!o.out) return deps.out(body as string), 0;
  writeFileSync(o.out, body);
  deps.out(`отчёт записан: ${o.out}`);
  return 0;
};
