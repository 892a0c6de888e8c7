// A Vega-Lite chart to a PNG, in-process: Vega lays it out and renders SVG, resvg rasterises it with a font shipped as
// an npm package. No browser, no chart service, no system fonts (a slim container has none), nothing drawn by hand.
// The three libraries are loaded when the first chart is drawn, not when the daemon starts: together they hold about
// 15 MB of memory that a daemon nobody asks for a chart never needs.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';

export interface ChartSize {
  readonly width: number;
  readonly height: number;
}

export const CHART_FONT = 'DejaVu Sans';
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

let fontFiles: string[] | undefined;

function shippedFonts(): string[] {
  if (fontFiles) return fontFiles;
  const folder = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  fontFiles = FONT_FILES.map((file) => join(folder, file));
  return fontFiles;
}

export function checkChartSize(size: ChartSize): void {
  for (const side of [size.width, size.height]) {
    if (!Number.isInteger(side) || side < 64 || side > 4096) throw new RangeError(`chart side ${side} is not 64..4096`);
  }
}

/** The chart as SVG text: what the PNG shows, and what tests can read the axes and labels from. */
export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The chart as a PNG exactly `size` pixels large. */
export async function renderChartPng(spec: TopLevelSpec, size: ChartSize): Promise<Buffer> {
  checkChartSize(size);
  const svg = await renderChartSvg(spec);
  const { Resvg } = await import('@resvg/resvg-js');
  const image = new Resvg(svg, {
    fitTo: { mode: 'width', value: size.width },
    background: 'white',
    font: { fontFiles: shippedFonts(), loadSystemFonts: false, defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT },
  }).render();
  return image.asPng();
}
