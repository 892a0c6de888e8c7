// The weekly equity curve as a PNG, drawn in-process: no browser, no chart service, nothing to install.
import type { EquityPoint } from '../../../domain/events.js';
import { encodePng } from './png-encoder.js';
import { RasterCanvas, type Rgb } from './raster.js';

export interface ChartSize {
  readonly width: number;
  readonly height: number;
}

export const DEFAULT_CHART_SIZE: ChartSize = { width: 800, height: 400 };

const BACKGROUND: Rgb = [255, 255, 255];
const GRID: Rgb = [230, 232, 235];
const START_LEVEL: Rgb = [154, 160, 166];
const RISING: { line: Rgb; area: Rgb } = { line: [30, 158, 87], area: [223, 243, 230] };
const FALLING: { line: Rgb; area: Rgb } = { line: [217, 48, 37], area: [251, 227, 225] };
const PADDING = { left: 24, right: 24, top: 20, bottom: 20 };
const GRID_LINES = 4;

interface Plot {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

function validSize(size: ChartSize): void {
  for (const side of [size.width, size.height]) {
    if (!Number.isInteger(side) || side < 64 || side > 4096) throw new RangeError(`chart side ${side} is not 64..4096`);
  }
}

/** Pixel positions of the points: time left to right, equity bottom to top, with a margin above and below. */
function project(points: readonly EquityPoint[], plot: Plot): { x: number; y: number }[] {
  const times = points.map((point) => point.time.getTime());
  const equities = points.map((point) => point.equity);
  const firstTime = Math.min(...times);
  const timeSpan = Math.max(...times) - firstTime;
  const low = Math.min(...equities);
  const high = Math.max(...equities);
  // A flat week still gets a visible band instead of a division by zero.
  const margin = high > low ? (high - low) * 0.08 : Math.max(1, Math.abs(high) * 0.01);
  const bottom = low - margin;
  const span = high + margin - bottom;
  return points.map((point, index) => ({
    x:
      plot.left +
      (timeSpan > 0 ? (times[index]! - firstTime) / timeSpan : index / Math.max(1, points.length - 1)) * (plot.width - 1),
    y: plot.top + (1 - (point.equity - bottom) / span) * (plot.height - 1),
  }));
}

function drawGrid(canvas: RasterCanvas, plot: Plot): void {
  for (let line = 0; line <= GRID_LINES; line += 1) {
    const y = Math.round(plot.top + (line / GRID_LINES) * (plot.height - 1));
    canvas.drawLine(plot.left, y, plot.left + plot.width - 1, y, GRID);
  }
}

/** Shades the area under the curve, column by column, so a glance shows where the week went. */
function fillUnder(canvas: RasterCanvas, xy: readonly { x: number; y: number }[], plot: Plot, color: Rgb): void {
  const bottom = plot.top + plot.height - 1;
  for (let segment = 0; segment + 1 < xy.length; segment += 1) {
    const a = xy[segment]!;
    const b = xy[segment + 1]!;
    for (let x = Math.ceil(a.x); x <= Math.floor(b.x); x += 1) {
      const t = b.x === a.x ? 0 : (x - a.x) / (b.x - a.x);
      const y = a.y + (b.y - a.y) * t;
      canvas.drawLine(x, y, x, bottom, color);
    }
  }
}

/**
 * Draws the equity curve: green when the period ended at or above where it started, red otherwise; the
 * starting level as a dashed line. Points are sorted by time first.
 */
export function renderEquityChart(points: readonly EquityPoint[], size: ChartSize = DEFAULT_CHART_SIZE): Buffer {
  validSize(size);
  const canvas = new RasterCanvas(size.width, size.height, BACKGROUND);
  const plot: Plot = {
    left: PADDING.left,
    top: PADDING.top,
    width: size.width - PADDING.left - PADDING.right,
    height: size.height - PADDING.top - PADDING.bottom,
  };
  drawGrid(canvas, plot);
  const sorted = [...points]
    .filter((point) => Number.isFinite(point.equity) && Number.isFinite(point.time.getTime()))
    .sort((a, b) => a.time.getTime() - b.time.getTime());
  if (sorted.length >= 2) {
    const xy = project(sorted, plot);
    const palette = sorted[sorted.length - 1]!.equity >= sorted[0]!.equity ? RISING : FALLING;
    fillUnder(canvas, xy, plot, palette.area);
    canvas.drawDashedHorizontal(plot.left, plot.left + plot.width - 1, Math.round(xy[0]!.y), START_LEVEL);
    const thickness = Math.max(2, Math.round(size.height / 150));
    for (let segment = 0; segment + 1 < xy.length; segment += 1) {
      const a = xy[segment]!;
      const b = xy[segment + 1]!;
      canvas.drawLine(a.x, a.y, b.x, b.y, palette.line, thickness);
    }
  }
  return encodePng(canvas.pixels, size.width, size.height);
}
