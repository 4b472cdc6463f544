import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { App } from '../../src/app/app.js';
import { incidents, labels } from '../../src/db/schema.js';
import { importImFile } from '../../src/reports/history/import.js';
import { buildPeriodReport } from '../../src/reports/period.js';
import { reportTables } from '../../src/reports/tables.js';
import { renderReportText } from '../../src/reports/text.js';
import { reportXlsx } from '../../src/reports/xlsx.js';
import { createTestApp } from '../helpers/app.js';
import { openTestDb } from '../helpers/db.js';

const HEADERS = ['Номер инцидента', 'Дата создания', 'Дата закрытия', 'Время первого ответа', 'Группа тем', 'Тема', 'ИСПОЛНИТЕЛЬ', 'Регион', 'Муниципалитет', 'Населенный пункт', 'Улица', 'Дом', 'Ссылка', 'Источник', 'Текст инцидента', 'Статус', 'Лишний столбец'];
const DEPTS = ['Управление ЖКХ', 'Комитет дорожного хозяйства города Курска', 'Комитет по культуре'];

/** Rows of one January: `n` incidents; every 4th has a co-executor. Texts are made up for the test. */
function january(year: number, n: number, first: number): string[][] {
  return Array.from({ length: n }, (_, i) => {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const executors = i % 4 === 0 ? `${DEPTS[i % 3]}; ${DEPTS[(i + 1) % 3]}` : DEPTS[i % 3]!;
    return [String(first + i), `${day}.01.${year} 10:${String(i % 60).padStart(2, '0')}`, `${day}.01.${year} 17:00`, `${day}.01.${year} 12:00`, 'ЖКХ', i % 2 ? 'Вывоз мусора' : 'Освещение', executors, 'Курская область', 'Курск', 'Курск', `улица Тестовая ${i}`, String(i + 1), `https://vk.com/wall-1_${first + i}`, 'ВКонтакте', `Тестовое обращение ${year} номер ${i}: во дворе проблема`, 'Закрыт', 'x'];
  });
}

const BROKEN = [
  ['9001', '32.01.2022 10:00', '', '', 'ЖКХ', 'Освещение', 'Управление ЖКХ', '', '', '', '', '', '', 'ВКонтакте', 'Текст с плохой датой', 'Закрыт', ''],
  ['9002', '10.01.2022 10:00', '', '', 'ЖКХ', 'Освещение', 'Управление ЖКХ', '', '', '', '', '', '', 'ВКонтакте', '   ', 'Закрыт', ''],
  ['9003', '11.01.2022 10:00', '', '', 'ЖКХ', 'Освещение', 'Управление ЖКХ', '', '', '', '', '', '', 'ВКонтакте', 'Текст с непонятным статусом', 'Заморожен', ''],
];

async function writeXlsx(path: string, rows: string[][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Выгрузка');
  ws.addRow(HEADERS);
  rows.forEach((r) => ws.addRow(r));
  await wb.xlsx.writeFile(path);
}

/** The department table as the file says it should be: each executor of each January 2022 row counted once. */
function expectedDepartments(rows: string[][]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) for (const d of r[6]!.split(';').map((s) => s.trim())) m.set(d, (m.get(d) ?? 0) + 1);
  return m;
}

describe('history import in the incumbent layout', () => {
  let h: Awaited<ReturnType<typeof openTestDb>>;
  let app: App;
  const dir = mkdtempSync(join(tmpdir(), 'otklik-im-'));
  const jan21 = january(2021, 14, 5000);
  const jan22 = january(2022, 17, 7000);
  const file = join(dir, 'export.xlsx');
  const csv = join(dir, 'export.csv');
  beforeAll(async () => {
    h = await openTestDb();
    app = await createTestApp(h);
    await writeXlsx(file, [...jan21, ...BROKEN, ...jan22]);
    writeFileSync(csv, [HEADERS, ...jan22.slice(0, 3)].map((r) => r.map((c) => `"${c}"`).join(';')).join('\n'));
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const deps = () => ({ db: h.db, installation: app.installation, calendar: app.calendar, now: new Date('2026-11-23T09:00:00+03:00') });

  it('imports the good rows, names each broken row and why, and a second import doubles nothing', async () => {
    const first = await importImFile(deps(), file);
    expect(first).toMatchObject({ rows: 34, imported: 31, existing: 0 });
    expect(first.rejected).toEqual([
      { line: 16, reason: 'неверная дата создания «32.01.2022 10:00»' },
      { line: 17, reason: 'пустой текст инцидента' },
      { line: 18, reason: 'неизвестный статус «Заморожен»' },
    ]);
    const again = await importImFile(deps(), file);
    expect(again).toMatchObject({ imported: 0, existing: 31 });
    const fromCsv = await importImFile(deps(), csv); // the same incidents as CSV: already there
    expect(fromCsv).toMatchObject({ rows: 3, imported: 0, existing: 3 });
    const [count] = await h.db.select({ n: sql<number>`count(*)::int` }).from(incidents);
    expect(count!.n).toBe(31);
    const [lab] = await h.db.select({ n: sql<number>`count(*)::int` }).from(labels);
    expect(lab!.n).toBe(31);
    const [kept] = await h.db.select().from(incidents).where(sql`external_number = '7003'`);
    expect(kept).toMatchObject({ number: 7003, channel: 'vk', status: 'closed', topicGroup: 'ЖКХ' });
    expect(kept!.detectedAt.toISOString()).toBe('2022-01-04T07:03:00.000Z'); // 10:03 Moscow time
  });

  it('the January 2022 report rebuilds the department table and the year-over-year total in text, JSON and XLSX', async () => {
    const from = new Date('2022-01-01T00:00:00+03:00');
    const to = new Date('2022-02-01T00:00:00+03:00');
    const r = await buildPeriodReport(h.db, from, to, deps().now, { calendar: app.calendar });
    const want = expectedDepartments(jan22);
    // JSON
    const json = JSON.parse(JSON.stringify(r)) as typeof r;
    expect(json.incidents).toBe(17);
    expect(json.yearAgo).toMatchObject({ incidents: 14 });
    expect(new Map(json.byDepartment.map((d) => [d.label, d.count]))).toEqual(want);
    // Text
    const text = renderReportText(r, 'Europe/Moscow', 'Курск');
    expect(text).toContain('Поступило и отработано 17 инцидентов (январь 2021 года – 14; +3 (+21,4%))');
    for (const [dept, n] of want) expect(text).toMatch(new RegExp(`${dept.slice(0, 20)}.*\\s${n}\\s`));
    // XLSX, read back
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportXlsx(reportTables(r, 'Europe/Moscow'), 'Январь 2022')) as unknown as ArrayBuffer);
    const total = wb.getWorksheet('Итоги')!;
    expect(total.getRow(2).values).toEqual([undefined, '', 'январь 2022 года', 'январь 2021 года', '+/-', '%']);
    expect(total.getRow(3).values).toEqual([undefined, 'Количество инцидентов', 17, 14, 3, 21.4]);
    const sheet = wb.getWorksheet('По исполнителям')!;
    expect(sheet.getRow(2).getCell(1).value).toBe('Исполнитель');
    expect(sheet.pageSetup.orientation).toBe('landscape');
    const got = new Map<string, number>();
    sheet.eachRow((row, i) => i > 2 && got.set(String(row.getCell(1).value), Number(row.getCell(2).value)));
    expect(got).toEqual(want);
  });
});
