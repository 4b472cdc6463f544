import { existsSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { AppCommand } from '../cli/spec.js';
import { UsageError } from '../cli/errors.js';
import { importImFile } from '../reports/history/import.js';

/** Rows after which a progress bar is worth showing (on a terminal). */
const BAR_FROM = 2000;
/** sysexits.h EX_DATAERR: the good rows are in, but some rows were rejected (each named). */
export const EXIT_ROWS_REJECTED = 65;

/**
 * `otklik import --format im FILE`: history from an «Инцидент Менеджмент» export (XLSX or CSV).
 * Prints a summary and every rejected row with its reason; importing again adds nothing.
 * Exits 65 when any row was rejected, so a script sees a partial import.
 */
export const importCommand: AppCommand = async (deps, input) => {
  const file = input.args[0];
  if (!file) throw new UsageError('укажите файл выгрузки: otklik import --format im выгрузка.xlsx');
  if (!existsSync(file)) throw new UsageError(`файл не найден: ${file}`);
  const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: 'импорт {bar} {value}/{total} строк', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic) : null;
  let started = false;
  const summary = await importImFile(
    {
      db: deps.db,
      installation: deps.installation,
      calendar: deps.app.calendar,
      now: deps.clock.now(),
      onProgress: (done, total) => {
        if (!bar || total < BAR_FROM) return;
        if (!started) bar.start(total, 0), (started = true);
        bar.update(done);
      },
    },
    file,
  );
  if (started) bar!.stop();
  deps.out(`импорт: строк ${summary.rows}; добавлено ${summary.imported}; уже были ${summary.existing}; отклонено ${summary.rejected.length}`);
  for (const r of summary.rejected) deps.out(`  строка ${r.line}: ${r.reason}`);
  return summary.rejected.length ? EXIT_ROWS_REJECTED : 0;
};
