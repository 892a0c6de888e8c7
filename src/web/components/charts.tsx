// Charts on TradingView's lightweight-charts: equity (one line per mode), a trade's candles with its levels, and
// weekly series per model. Each chart owns its canvas and is rebuilt when its data changes.
import {
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  HistogramSeries,
  LineSeries,
  type IChartApi,
  type ISeriesApi,
  type SeriesType,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef } from 'preact/hooks';
import type { Candle } from '../api.js';

const THEME = {
  layout: { background: { color: 'transparent' }, textColor: '#9aa4b2', fontSize: 11 },
  grid: { vertLines: { color: '#1f2630' }, horzLines: { color: '#1f2630' } },
  rightPriceScale: { borderColor: '#2a3240' },
  timeScale: { borderColor: '#2a3240', timeVisible: true },
  autoSize: true,
} as const;

export const MODE_COLORS: Record<string, string> = { live: '#f5a524', paper: '#4aa3ff', replay: '#a78bfa', unknown: '#9aa4b2' };

const seconds = (iso: string): UTCTimestamp => Math.floor(Date.parse(iso) / 1000) as UTCTimestamp;

/**
 * One chart per component for its whole life; when the data changes its series are replaced, not the chart
 * (removing a chart while a frame of it is pending makes the library throw).
 */
function useChart(build: (chart: IChartApi) => ISeriesApi<SeriesType>[], deps: readonly unknown[]) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<SeriesType>[]>([]);
  useEffect(() => {
    if (!box.current) return;
    chart.current = createChart(box.current, THEME);
    return () => {
      chart.current?.remove();
      chart.current = null;
      series.current = [];
    };
  }, []);
  useEffect(() => {
    const current = chart.current;
    if (!current) return;
    for (const old of series.current) current.removeSeries(old);
    series.current = build(current);
    current.timeScale().fitContent();
    // The caller names what the chart depends on (its data, serialised).
  }, deps);
  return box;
}

export interface EquityPoint {
  readonly time: string;
  readonly equity: number;
  readonly mode: string;
}

/** One line per mode, so paper and live money are never read as one account. */
export function EquityChart({ points, height = 220 }: { points: readonly EquityPoint[]; height?: number }) {
  const box = useChart(
    (chart) => {
      const modes = [...new Set(points.map((point) => point.mode))];
      return modes.map((mode) => {
        const series = chart.addSeries(LineSeries, { color: MODE_COLORS[mode] ?? MODE_COLORS.unknown, lineWidth: 2, title: mode });
        const byTime = new Map<number, number>();
        for (const point of points) if (point.mode === mode) byTime.set(seconds(point.time), point.equity);
        series.setData([...byTime].sort(([a], [b]) => a - b).map(([time, value]) => ({ time: time as UTCTimestamp, value })));
        return series;
      });
    },
    [JSON.stringify(points)],
  );
  // The newest figure in words for assistive technology (and tests): a canvas has no text of its own.
  const latest = points.reduce<EquityPoint | undefined>((last, point) => (last === undefined || Date.parse(point.time) >= Date.parse(last.time) ? point : last), undefined);
  return (
    <div
      class="chart"
      style={{ height: `${height}px` }}
      ref={box}
      data-testid="equity-chart"
      role="img"
      aria-label={latest ? `equity chart, latest ${latest.equity.toFixed(2)} at ${latest.time}` : 'equity chart'}
      data-latest-equity={latest?.equity.toFixed(2)}
    />
  );
}

export interface TradeLevels {
  readonly entry: number;
  readonly stop: number;
  readonly target?: number;
  readonly exit?: number;
  readonly liquidation?: number;
  readonly openedAt: string;
  readonly closedAt?: string;
  readonly side: 'long' | 'short';
}

export function TradeChart({ candles, levels, height = 300 }: { candles: readonly Candle[]; levels: TradeLevels; height?: number }) {
  const box = useChart(
    (chart) => {
      const series = chart.addSeries(CandlestickSeries, { upColor: '#22c55e', downColor: '#ef4444', wickUpColor: '#22c55e', wickDownColor: '#ef4444', borderVisible: false });
      series.setData(candles.map((c) => ({ time: c.time as UTCTimestamp, open: c.open, high: c.high, low: c.low, close: c.close })));
      const line = (price: number | undefined, color: string, title: string) =>
        price !== undefined && series.createPriceLine({ price, color, title, lineWidth: 1, lineStyle: 2, axisLabelVisible: true });
      line(levels.entry, '#4aa3ff', 'entry');
      line(levels.stop, '#ef4444', 'stop');
      line(levels.target, '#22c55e', 'target');
      line(levels.exit, '#f5a524', 'exit');
      const markers: SeriesMarker<Time>[] = [
        { time: seconds(levels.openedAt), position: levels.side === 'long' ? 'belowBar' : 'aboveBar', color: '#4aa3ff', shape: levels.side === 'long' ? 'arrowUp' : 'arrowDown', text: 'entry' },
      ];
      if (levels.closedAt) markers.push({ time: seconds(levels.closedAt), position: 'aboveBar', color: '#f5a524', shape: 'circle', text: 'exit' });
      const first = candles[0]?.time ?? 0;
      createSeriesMarkers(
        series,
        markers.filter((marker) => (marker.time as number) >= first).map((marker) => ({ ...marker, time: snap(candles, marker.time as number) })),
      );
      return [series];
    },
    [JSON.stringify(candles), JSON.stringify(levels)],
  );
  return <div class="chart" style={{ height: `${height}px` }} ref={box} data-testid="trade-chart" />;
}

/** Markers must sit on a candle's time: the candle the instant falls in. */
function snap(candles: readonly Candle[], at: number): UTCTimestamp {
  let best = candles[0]?.time ?? at;
  for (const candle of candles) if (candle.time <= at) best = candle.time;
  return best as UTCTimestamp;
}

export interface WeeklySeries {
  readonly name: string;
  readonly color: string;
  readonly points: readonly { time: string; value: number }[];
}

export function WeeklyChart({ series, kind = 'line', height = 200, precision = 2 }: { series: readonly WeeklySeries[]; kind?: 'line' | 'bars'; height?: number; precision?: number }) {
  const box = useChart(
    (chart) => {
      const priceFormat = { type: 'price' as const, precision, minMove: 10 ** -precision };
      return series.map((one) => {
        const added: ISeriesApi<SeriesType> =
          kind === 'line'
            ? chart.addSeries(LineSeries, { color: one.color, lineWidth: 2, title: one.name, priceFormat })
            : chart.addSeries(HistogramSeries, { color: one.color, title: one.name, priceFormat });
        added.setData(one.points.map((point) => ({ time: seconds(point.time), value: point.value })));
        return added;
      });
    },
    [JSON.stringify(series), kind, precision],
  );
  return <div class="chart" style={{ height: `${height}px` }} ref={box} />;
}
