import { describe, expect, it } from 'vitest';
import { renderEquityChart } from '../../../../src/adapters/notifier/chart/equity-chart.js';
import { crc32 } from '../../../../src/adapters/notifier/chart/png-encoder.js';
import { decodePng, type DecodedPng } from './support/png-reader.js';

/** A strongly coloured pixel: the curve, not the white background, grey grid or pale fill. */
function isCurveColour([r, g, b]: [number, number, number]): boolean {
  return Math.max(r, g, b) - Math.min(r, g, b) > 80;
}

/** Row of the topmost curve-coloured pixel in column x, if any. */
function curveRow(png: DecodedPng, x: number): number | undefined {
  for (let y = 0; y < png.height; y += 1) if (isCurveColour(png.pixel(x, y))) return y;
  return undefined;
}

const day = (n: number): Date => new Date(Date.UTC(2025, 9, 6 + n));

describe('renderEquityChart', () => {
  it('when asked for 640×320, then the file is a PNG whose header says 640×320 and whose chunks all check out', () => {
    const png = decodePng(renderEquityChart([{ time: day(0), equity: 1000 }, { time: day(6), equity: 1040 }], { width: 640, height: 320 }));
    expect(png.width).toBe(640);
    expect(png.height).toBe(320);
    expect(png.chunkTypes).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  it('when equity rises steadily, then every column of the plot has curve pixels, climbing from left to right', () => {
    const points = Array.from({ length: 7 }, (_, n) => ({ time: day(n), equity: 1000 + 10 * n }));
    const png = decodePng(renderEquityChart(points, { width: 400, height: 200 }));
    const rows: number[] = [];
    for (let x = 40; x < 360; x += 10) {
      const row = curveRow(png, x);
      expect(row, `column ${x}`).toBeDefined();
      rows.push(row!);
    }
    // Screen rows grow downwards, so a rising curve has falling row numbers.
    for (let index = 1; index < rows.length; index += 1) expect(rows[index]!).toBeLessThanOrEqual(rows[index - 1]!);
    expect(rows[0]! - rows[rows.length - 1]!).toBeGreaterThan(100);
  });

  it('when the week ends up, then the curve is green; when it ends down, red', () => {
    const up = decodePng(renderEquityChart([{ time: day(0), equity: 1000 }, { time: day(6), equity: 1100 }], { width: 200, height: 100 }));
    const down = decodePng(renderEquityChart([{ time: day(0), equity: 1100 }, { time: day(6), equity: 1000 }], { width: 200, height: 100 }));
    const [ur, ug] = up.pixel(100, curveRow(up, 100)!);
    const [dr, dg] = down.pixel(100, curveRow(down, 100)!);
    expect(ug).toBeGreaterThan(ur);
    expect(dr).toBeGreaterThan(dg);
  });

  it('when equity never moved, then a flat line is drawn instead of dividing by zero', () => {
    const png = decodePng(renderEquityChart([{ time: day(0), equity: 1000 }, { time: day(6), equity: 1000 }], { width: 200, height: 100 }));
    const rows = [40, 100, 160].map((x) => curveRow(png, x));
    expect(rows[0]).toBeDefined();
    expect(new Set(rows).size).toBe(1);
  });

  it('when given fewer than two points, then an empty frame is drawn', () => {
    const png = decodePng(renderEquityChart([{ time: day(0), equity: 1000 }], { width: 100, height: 80 }));
    for (let x = 0; x < 100; x += 7) expect(curveRow(png, x)).toBeUndefined();
  });

  it('when a size is absurd, then it is refused', () => {
    expect(() => renderEquityChart([], { width: 10, height: 10 })).toThrow(RangeError);
  });

  it('when checksumming, then the CRC-32 matches the standard check value', () => {
    // The CRC-32 "check" value of the ASCII string 123456789 is 0xCBF43926 in every published table.
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});
