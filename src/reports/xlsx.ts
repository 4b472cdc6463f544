import ExcelJS from 'exceljs';
import type { ReportTable } from './tables.js';

/**
 * The report as an Excel workbook: one sheet per table, a title row, a bold header
 * row repeated on every printed page, column widths, A4 landscape fitted to the
 * page width, page numbers in the footer.
 */
export async function reportXlsx(tables: ReportTable[], title: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'otklik';
  wb.title = title;
  for (const t of tables) addSheet(wb, t);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function addSheet(wb: ExcelJS.Workbook, t: ReportTable): void {
  const ws = wb.addWorksheet(t.sheet.slice(0, 31), {
    pageSetup: {
      paperSize: 9, // A4
      orientation: t.columns.length > 3 ? 'landscape' : 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:2',
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: '&LOtklik&RСтр. &P из &N' },
    views: [{ state: 'frozen', ySplit: 2 }],
  });
  ws.columns = t.columns.map((c) => ({ width: c.width }));
  const titleRow = ws.addRow([t.title]);
  titleRow.font = { bold: true, size: 12 };
  ws.mergeCells(1, 1, 1, Math.max(1, t.columns.length));
  const head = ws.addRow(t.columns.map((c) => c.header));
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: 'middle' };
  head.eachCell((cell) => {
    cell.border = { bottom: { style: 'thin' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } };
  });
  for (const r of t.rows) ws.addRow(r).alignment = { wrapText: true, vertical: 'top' };
}
