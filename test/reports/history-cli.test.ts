import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileAdapter } from '../../adapters/file/index.js';
import { runCli } from '../../src/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'otklik-im-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const env = { LOG_LEVEL: 'silent', OTKLIK_DATA_DIR: join(dir, 'db') };
  return runCli(argv, { createAdapters: () => new Map([['file', createFileAdapter()]]), fileAdapter: createFileAdapter(), out: (l) => out.push(l), err: (l) => err.push(l), env, envFile: null }).then((code) => ({ code, out, err }));
}

describe('otklik import / export / report files (embedded database in a directory)', () => {
  it('imports a CSV export, reports it as XLSX and CSV, and exports it back in the same layout', { timeout: 120_000 }, async () => {
    const csv = join(dir, 'im.csv');
    const lines = [
      'Номер инцидента;Дата создания;Время первого ответа;Тема;Группа тем;Исполнитель;Источник;Текст инцидента;Статус',
      '101;05.01.2026 10:00;05.01.2026 12:00;Освещение;ЖКХ;Управление ЖКХ;ВКонтакте;Тестовый текст один;Закрыт',
      '102;06.01.2026 11:00;;Ямы;Дороги;Комитет дорожного хозяйства города Курска;Одноклассники;Тестовый текст два;В работе',
      '103;07.01.2026;;Ямы;Дороги;;ВКонтакте;;Закрыт',
    ];
    (await import('node:fs')).writeFileSync(csv, lines.join('\n'));
    const imp = await cli(['import', '--format', 'im', csv]);
    // The good rows are in; the exit code says some were not (65, EX_DATAERR).
    expect(imp).toMatchObject({ code: 65, out: ['импорт: строк 3; добавлено 2; уже были 0; отклонено 1', '  строка 4: пустой текст инцидента'] });
    const xlsx = join(dir, 'r.xlsx');
    expect((await cli(['report', '--from', '2026-01-01', '--to', '2026-01-31', '--format', 'xlsx', '--out', xlsx])).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.worksheets.map((w) => w.name)).toContain('По исполнителям');
    expect(wb.getWorksheet('Показатели')!.getRow(3).values).toEqual([undefined, 'Инцидентов', 2]);
    const csvReport = await cli(['report', '--from', '2026-01-01', '--to', '2026-01-31', '--format', 'csv']);
    expect(csvReport.out.join('\n')).toContain('Управление ЖКХ;1');
    const out = join(dir, 'back.csv');
    expect((await cli(['export', '--format', 'im', '--from', '2026-01-01', '--to', '2026-01-31', '--out', out])).code).toBe(0);
    const back = readFileSync(out, 'utf8').replace(/^\uFEFF/, '').split('\n');
    expect(back[0]).toBe('Номер инцидента;Дата создания;Дата закрытия;Время первого ответа;Группа тем;Тема;Исполнитель;Регион;Муниципалитет;Населённый пункт;Улица;Дом;Ссылка;Источник;Текст инцидента;Статус;Результат');
    expect(back[1]).toMatch(/^101;05\.01\.2026 10:00;05\.01\.2026 12:00;05\.01\.2026 12:00;ЖКХ;Освещение;Управление ЖКХ;.*;ВКонтакте;Тестовый текст один;Закрыт;разъяснено$/);
    // The export imports again as the same incidents: nothing new.
    const again = await cli(['import', '--format', 'im', out]);
    expect(again.out[0]).toBe('импорт: строк 2; добавлено 0; уже были 2; отклонено 0');
    expect(again.code).toBe(0); // nothing rejected: already there is not an error
  });
});
