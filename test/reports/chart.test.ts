import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { CHART_WIDTH, renderChartPng, svgToPng } from '../../src/reports/chart.js';

const DATA = {
  weekly: ['28.09', '05.10', '12.10', '19.10', '26.10', '02.11', '09.11', '16.11'].flatMap((week, i) => [
    { week, group: 'ЖКХ', count: 5 + i },
    { week, group: 'Благоустройство', count: 3 + (i % 3) },
  ]),
  onTime: [
    { department: 'Комитет жилищно-коммунального хозяйства города Курска', share: 0.8, answered: 10 },
    { department: 'Комитет дорожного хозяйства', share: 0.55, answered: 9 },
  ],
};

/** One line of text rendered alone with the shipped font, as RGBA pixels. */
function renderText(text: string): Buffer {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60"><text x="10" y="42" font-family="DejaVu Sans" font-size="32">${text}</text></svg>`;
  return PNG.sync.read(Buffer.from(svgToPng(svg, 400))).data;
}
const ink = (px: Buffer) => px.reduce((n, v, i) => n + (i % 4 === 0 && v < 128 ? 1 : 0), 0);

describe('chart PNG', () => {
  it('decodes as a PNG of the expected width with both charts', async () => {
    const png = PNG.sync.read(Buffer.from(await renderChartPng(DATA)));
    expect(png.width).toBe(CHART_WIDTH);
    expect(png.height).toBeGreaterThan(300);
    expect(png.height).toBeLessThan(900);
    expect(ink(png.data)).toBeGreaterThan(5000);
  });

  it('Cyrillic labels render as glyphs, not missing-glyph boxes', () => {
    const label = renderText('Благоустройство');
    // The same number of characters that no font here has: the missing-glyph rendering.
    const tofu = renderText('\uE000'.repeat('Благоустройство'.length));
    expect(ink(label)).toBeGreaterThan(500);
    expect(label.equals(tofu)).toBe(false);
    // Distinct letters draw distinct shapes (missing glyphs would all be the same box).
    expect(renderText('Ж').equals(renderText('Д'))).toBe(false);
    expect(renderText('Ж').equals(renderText('\uE000'))).toBe(false);
  });
});
