// The equity curve of a period (the weekly summary) as a chart a trader can read: dates along the bottom, dollars
// up the side, the starting level drawn and labelled, realised equity as a step line (it moves only when a trade is
// booked), over the period's whole span, on a scale that keeps a half-percent week from looking like a cliff.
import type { TopLevelSpec } from 'vega-lite';
import type { EquityPoint } from '../../../domain/events.js';
import { CHART_FONT, checkChartSize, renderChartPng, renderChartSvg, type ChartSize } from './render-chart.js';

export type { ChartSize } from './render-chart.js';

export const DEFAULT_CHART_SIZE: ChartSize = { width: 800, height: 400 };

/** The y axis shows at least this share of the starting level, so small moves stay small on the page. */
const MIN_VISIBLE_SPAN = 0.04;
const RISING = '#1e9e57';
const FALLING = '#d93025';
const LEVEL = '#9aa0a6';

export interface EquityChartInput {
  readonly points: readonly EquityPoint[];
  /** The period shown, start to end; defaults to the first and last point. */
  readonly from?: Date;
  readonly to?: Date;
  readonly title?: string;
}

const usd = (value: number): string =>
  `${value < 0 ? '-' : ''}$${Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The y range: the data with a margin, and never narrower than MIN_VISIBLE_SPAN of the starting level. */
export function equityDomain(start: number, values: readonly number[]): [number, number] {
  const low = Math.min(start, ...values);
  const high = Math.max(start, ...values);
  const span = Math.max((high - low) * 1.2, Math.abs(start) * MIN_VISIBLE_SPAN, 1);
  const middle = (low + high) / 2;
  return [middle - span / 2, middle + span / 2];
}

export function equityChartSpec(input: EquityChartInput, size: ChartSize = DEFAULT_CHART_SIZE): TopLevelSpec {
  checkChartSize(size);
  const points = [...input.points]
    .filter((point) => Number.isFinite(point.equity) && Number.isFinite(point.time.getTime()))
    .sort((a, b) => a.time.getTime() - b.time.getTime());
  if (points.length === 0) throw new RangeError('an equity chart needs at least one point');
  const first = points[0] as EquityPoint;
  const last = points[points.length - 1] as EquityPoint;
  const from = (input.from ?? first.time).getTime();
  const to = Math.max((input.to ?? last.time).getTime(), from + 1);
  // The step line runs on to the end of the period at the last level.
  const rows = [...points.map((point) => ({ time: point.time.getTime(), equity: point.equity })), { time: to, equity: last.equity }];
  const colour = last.equity >= first.equity ? RISING : FALLING;
  const change = first.equity !== 0 ? (last.equity - first.equity) / Math.abs(first.equity) : 0;
  // A UTC scale: the days on the axis are UTC days, whatever the zone of the machine drawing them.
  const x = { field: 'time', type: 'temporal' as const, scale: { type: 'utc' as const, domain: [from, to] }, axis: { format: '%a %d %b', title: null, grid: true, tickCount: 7 } };
  const single = { values: [{}] };
  const y = { field: 'equity', type: 'quantitative' as const, scale: { domain: equityDomain(first.equity, points.map((p) => p.equity)), zero: false }, axis: { format: '$,.2f', title: null, tickCount: 5 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    // The whole picture, axes and labels included, is exactly the size asked for.
    width: size.width,
    height: size.height,
    autosize: { type: 'fit', contains: 'padding' },
    background: 'white',
    padding: { left: 10, right: 20, top: 10, bottom: 10 },
    config: { font: CHART_FONT, axis: { labelFontSize: 12, labelColor: '#3c4043', gridColor: '#e8eaed', domainColor: '#9aa0a6' }, view: { stroke: null } },
    ...(input.title ? { title: { text: input.title, fontSize: 14, anchor: 'start' as const } } : {}),
    data: { values: rows },
    layer: [
      { mark: { type: 'area', interpolate: 'step-after', color: colour, opacity: 0.12 }, encoding: { x, y, y2: { datum: first.equity } } },
      { mark: { type: 'line', interpolate: 'step-after', color: colour, strokeWidth: 2.5 }, encoding: { x, y } },
      { data: single, mark: { type: 'rule', color: LEVEL, strokeDash: [6, 4] }, encoding: { y: { datum: first.equity } } },
      {
        data: single,
        mark: { type: 'text', align: 'left', dx: 4, dy: -7, color: '#5f6368', fontSize: 12 },
        encoding: { x: { datum: from, type: 'temporal' }, y: { datum: first.equity }, text: { value: `start ${usd(first.equity)}` } },
      },
      {
        data: single,
        mark: { type: 'text', align: 'right', dx: -4, dy: change >= 0 ? -9 : 15, color: colour, fontSize: 13, fontWeight: 'bold' },
        encoding: { x: { datum: to, type: 'temporal' }, y: { datum: last.equity }, text: { value: `${usd(last.equity)} (${change >= 0 ? '+' : ''}${(change * 100).toFixed(2)}%)` } },
      },
    ],
  };
}

export function renderEquityChartSvg(input: EquityChartInput, size: ChartSize = DEFAULT_CHART_SIZE): Promise<string> {
  return renderChartSvg(equityChartSpec(input, size));
}

export function renderEquityChart(input: EquityChartInput, size: ChartSize = DEFAULT_CHART_SIZE): Promise<Buffer> {
  return renderChartPng(equityChartSpec(input, size), size);
}
