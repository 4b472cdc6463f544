import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { buildPeriodReport } from '../reports/period.js';
import { renderReportText } from '../reports/text.js';
import { workCalendarFromConfig } from '../sla/from-config.js';
import type { CommandDeps } from './types.js';

/** `otklik report --from YYYY-MM-DD --to YYYY-MM-DD --format text|json` (dates inclusive, installation time zone). */
export async function reportCommand(deps: CommandDeps, argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string', default: 'text' } } });
  const tz = deps.installation.timezone;
  const today = DateTime.fromJSDate(deps.clock.now(), { zone: tz }).startOf('day');
  const from = values.from ? DateTime.fromISO(values.from, { zone: tz }) : today.minus({ days: 7 });
  const to = values.to ? DateTime.fromISO(values.to, { zone: tz }).plus({ days: 1 }) : today;
  if (!from.isValid || !to.isValid || to <= from) {
    deps.out('report: --from and --to must be dates YYYY-MM-DD, --from not after --to');
    return 2;
  }
  if (values.format !== 'text' && values.format !== 'json') {
    deps.out(`report: --format must be text or json, got "${values.format}"`);
    return 2;
  }
  const calendar = workCalendarFromConfig(deps.installation, { log: deps.log });
  const report = await buildPeriodReport(deps.db, from.toJSDate(), to.toJSDate(), deps.clock.now(), { calendar });
  deps.out(values.format === 'json' ? JSON.stringify(report) : renderReportText(report, tz, deps.installation.territory.name));
  return 0;
}
