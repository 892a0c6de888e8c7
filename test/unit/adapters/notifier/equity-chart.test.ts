import { describe, expect, it } from 'vitest';
import { equityDomain, renderEquityChart, renderEquityChartSvg } from '../../../../src/adapters/notifier/chart/equity-chart.js';
import { decodePng, type DecodedPng } from './support/png-reader.js';

/** A strongly coloured pixel: the curve or its label, not the white background or the grey axes and grid. */
function isCurveColour([r, g, b]: [number, number, number]): boolean {
  return Math.max(r, g, b) - Math.min(r, g, b) > 80;
}

function colouredPixels(png: DecodedPng): { green: number; red: number } {
  let green = 0;
  let red = 0;
  for (let y = 0; y < png.height; y += 2) {
    for (let x = 0; x < png.width; x += 2) {
      const pixel = png.pixel(x, y);
      if (!isCurveColour(pixel)) continue;
      if (pixel[1] > pixel[0]) green += 1;
      else red += 1;
    }
  }
  return { green, red };
}

const day = (n: number): Date => new Date(Date.UTC(2025, 9, 6 + n));
const week = { from: day(0), to: day(7) };

/** The visible text of an SVG: its <text> elements. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1] ?? '');
}

describe('the equity chart', () => {
  it('when a week is drawn, then the axes carry the days of the week and dollar values, and the start level is labelled', async () => {
    const points = [
      { time: day(0), equity: 1000 },
      { time: new Date(Date.UTC(2025, 9, 8, 14)), equity: 1012.3 },
      { time: new Date(Date.UTC(2025, 9, 10, 9)), equity: 994.4 },
    ];
    const labels = texts(await renderEquityChartSvg({ points, ...week }));

    expect(labels).toEqual(expect.arrayContaining(['Mon 06 Oct', 'Wed 08 Oct', 'Sun 12 Oct']));
    expect(labels.some((label) => /^\$1,0\d\d\.\d\d$/.test(label))).toBe(true);
    expect(labels).toContain('start $1,000.00');
    expect(labels).toContain('$994.40 (-0.56%)');
  });

  it('when the week moved half a percent, then the scale spans at least 4% of the start, so the move is not a cliff', () => {
    const [low, high] = equityDomain(1000, [1000, 1005]);
    expect(high - low).toBeGreaterThanOrEqual(40);
    expect(low).toBeLessThan(1000);
    expect(high).toBeGreaterThan(1005);
    const [wideLow, wideHigh] = equityDomain(1000, [1000, 1300, 900]);
    expect(wideLow).toBeLessThan(900);
    expect(wideHigh).toBeGreaterThan(1300);
  });

  it('when asked for 640×320, then the file is a PNG of 640×320 whose chunks all check out', async () => {
    const png = decodePng(await renderEquityChart({ points: [{ time: day(0), equity: 1000 }, { time: day(6), equity: 1040 }], ...week }, { width: 640, height: 320 }));
    expect(png.width).toBe(640);
    expect(png.height).toBe(320);
    expect(png.chunkTypes[0]).toBe('IHDR');
    expect(png.chunkTypes.at(-1)).toBe('IEND');
  });

  it('when the week ends up, then the curve is green; when it ends down, red', async () => {
    const up = decodePng(await renderEquityChart({ points: [{ time: day(0), equity: 1000 }, { time: day(3), equity: 1100 }], ...week }, { width: 400, height: 200 }));
    const down = decodePng(await renderEquityChart({ points: [{ time: day(0), equity: 1100 }, { time: day(3), equity: 1000 }], ...week }, { width: 400, height: 200 }));
    expect(colouredPixels(up).green).toBeGreaterThan(colouredPixels(up).red * 5);
    expect(colouredPixels(down).red).toBeGreaterThan(colouredPixels(down).green * 5);
  });

  it('when equity never moved, then a flat line at the start level is drawn instead of dividing by zero', async () => {
    const labels = texts(await renderEquityChartSvg({ points: [{ time: day(0), equity: 1000 }], ...week }));
    expect(labels).toContain('$1,000.00 (+0.00%)');
  });

  it('when given no point, or a size out of range, then it refuses with a RangeError', () => {
    expect(() => renderEquityChart({ points: [] })).toThrow(RangeError);
    expect(() => renderEquityChart({ points: [{ time: day(0), equity: 1 }] }, { width: 10, height: 10 })).toThrow(RangeError);
  });
});
