import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { clip } from './labels.js';

/** The font shipped with the project (DejaVu Sans, see assets/fonts/LICENSE-DejaVu.txt), so Cyrillic renders on any machine. */
export const CHART_FONT_FILE = fileURLToPath(new URL('../../assets/fonts/DejaVuSans.ttf', import.meta.url));
export const CHART_FONT = 'DejaVu Sans';
/** Width of every chart PNG, pixels. */
export const CHART_WIDTH = 1000;

export interface ChartData {
  /** Counted incidents by week (label «16.11») and topic group, oldest week first. */
  weekly: Array<{ week: string; group: string; count: number }>;
  /** On-time share of answered incidents by department (0..1). */
  onTime: Array<{ department: string; share: number; answered: number }>;
}

function spec(d: ChartData): TopLevelSpec {
  const weeks = [...new Set(d.weekly.map((w) => w.week))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    config: { font: CHART_FONT, view: { stroke: null }, axis: { labelLimit: 360 }, legend: { labelLimit: 260 } },
    vconcat: [
      {
        title: 'Инциденты по группам тем, последние 8 недель',
        width: 640,
        height: 220,
        data: { values: d.weekly },
        mark: 'bar',
        encoding: {
          x: { field: 'week', type: 'ordinal', title: 'Неделя с', sort: weeks, axis: { labelAngle: 0 } },
          y: { field: 'count', type: 'quantitative', title: 'Инцидентов' },
          color: { field: 'group', type: 'nominal', title: 'Группа тем' },
        },
      },
      {
        title: 'Ответы в срок по исполнителям, % от ответивших',
        width: 640,
        data: { values: d.onTime.map((o) => ({ ...o, department: clip(o.department, 44) })) },
        mark: 'bar',
        encoding: {
          y: { field: 'department', type: 'nominal', sort: '-x', title: null },
          x: { field: 'share', type: 'quantitative', title: 'В срок', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
        },
      },
    ],
  };
}

/** Renders an SVG with the shipped font only (no system fonts: the result is the same on every machine). */
export function svgToPng(svg: string, width = CHART_WIDTH): Uint8Array {
  const r = new Resvg(svg, { background: 'white', fitTo: { mode: 'width', value: width }, font: { fontFiles: [CHART_FONT_FILE], loadSystemFonts: false, defaultFontFamily: CHART_FONT } });
  return r.render().asPng();
}

/** The weekly chart: incidents by topic group over 8 weeks and on-time share by department, as a PNG. */
export async function renderChartPng(d: ChartData): Promise<Uint8Array> {
  const view = new vega.View(vega.parse(compile(spec(d)).spec), { renderer: 'none' });
  try {
    return svgToPng(await view.toSVG());
  } finally {
    view.finalize();
  }
}
