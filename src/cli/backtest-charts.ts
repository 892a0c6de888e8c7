// The backtest report's plots as Vega-Lite specs, rendered to SVG on the server by the same renderer as the
// Telegram charts, so the HTML page carries them inline and needs no script and no network.
import type { TopLevelSpec } from 'vega-lite';
import { CHART_FONT, renderChartSvg } from '../adapters/notifier/chart/render-chart.js';
import type { CandleList } from '../domain/market.js';
import { drawdownSeries } from '../domain/performance/equity-curve.js';
import type { ComparedCurve } from './backtest-performance.js';
import type { ReportTrade } from './backtest-report.js';

const WIDTH = 900;
const WIN = '#1e9e57';
const LOSS = '#d93025';

const base = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  background: 'white',
  config: { font: CHART_FONT, axis: { labelFontSize: 11, labelColor: '#3c4043', gridColor: '#e8eaed' }, view: { stroke: null } },
} as const;
const timeAxis = { field: 'time', type: 'temporal' as const, scale: { type: 'utc' as const }, axis: { format: '%d %b', title: null } };

/** Every curve's equity, the strategy drawn thickest, and under it the strategy's fall from its running peak. */
export function equitySpec(curves: readonly ComparedCurve[]): TopLevelSpec {
  const rows = curves.flatMap((curve) => curve.equity.map(([time, equity]) => ({ time, equity, name: curve.name, strategy: curve.kind === 'strategy' })));
  const strategy = curves.find((curve) => curve.kind === 'strategy');
  const drawdown = drawdownSeries((strategy?.equity ?? []).map(([time, equity]) => ({ time: new Date(time), equity }))).map((point) => ({
    time: point.time.getTime(),
    drawdown: point.equity,
  }));
  return {
    ...base,
    vconcat: [
      {
        title: { text: 'Equity: the strategy against its benchmarks', anchor: 'start' },
        width: WIDTH,
        height: 320,
        data: { values: rows },
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: {
          x: timeAxis,
          y: { field: 'equity', type: 'quantitative', scale: { zero: false }, axis: { format: '$,.2f', title: null } },
          color: { field: 'name', type: 'nominal', sort: curves.map((curve) => curve.name), legend: { title: null, orient: 'right' } },
          strokeWidth: { condition: { test: 'datum.strategy', value: 3 }, value: 1.2 },
        },
      },
      {
        title: { text: 'Strategy drawdown from its running peak', anchor: 'start' },
        width: WIDTH,
        height: 120,
        data: { values: drawdown },
        mark: { type: 'area', interpolate: 'step-after', color: LOSS, opacity: 0.5 },
        encoding: { x: timeAxis, y: { field: 'drawdown', type: 'quantitative', axis: { format: '.1%', title: null } } },
      },
    ],
  };
}

/** Each traded market's hourly closes with its trades: entries as triangles (up long, down short), exits as dots. */
export function tradesOnPriceSpec(prices: ReadonlyMap<string, CandleList>, trades: readonly ReportTrade[], from: Date, to: Date): TopLevelSpec | undefined {
  const symbols = [...new Set(trades.map((trade) => trade.symbol))].sort();
  if (symbols.length === 0) return undefined;
  const HOUR = 3_600_000;
  const panels = symbols.map((symbol) => {
    const closes = (prices.get(symbol)?.slice() ?? [])
      .filter((candle) => candle.openTime >= from.getTime() && candle.openTime < to.getTime() && (candle.openTime + 15 * 60_000) % HOUR === 0)
      .map((candle) => ({ time: candle.openTime + 15 * 60_000, price: candle.close }));
    const own = trades.filter((trade) => trade.symbol === symbol);
    const marks = own.flatMap((trade) => {
      const outcome = trade.netPnl > 0 ? 'won' : 'lost';
      return [
        { time: Date.parse(trade.entryTime), price: trade.entryPrice, event: trade.side === 'long' ? 'long entry' : 'short entry', outcome },
        { time: Date.parse(trade.exitTime), price: trade.exitPrice, event: 'exit', outcome },
      ];
    });
    const legs = own.map((trade) => ({ time: Date.parse(trade.entryTime), price: trade.entryPrice, time2: Date.parse(trade.exitTime), price2: trade.exitPrice, outcome: trade.netPnl > 0 ? 'won' : 'lost' }));
    const price = { field: 'price', type: 'quantitative' as const, scale: { zero: false }, axis: { title: null } };
    const outcome = { field: 'outcome', type: 'nominal' as const, scale: { domain: ['won', 'lost'], range: [WIN, LOSS] }, legend: { title: null } };
    return {
      title: { text: `${symbol}: trades on price`, anchor: 'start' as const },
      width: WIDTH,
      height: 200,
      layer: [
        { data: { values: closes }, mark: { type: 'line' as const, color: '#9aa0a6', strokeWidth: 1 }, encoding: { x: timeAxis, y: price } },
        { data: { values: legs }, mark: { type: 'rule' as const, strokeWidth: 2 }, encoding: { x: timeAxis, y: price, x2: { field: 'time2' }, y2: { field: 'price2' }, color: outcome } },
        {
          data: { values: marks },
          mark: { type: 'point' as const, filled: true, size: 90 },
          encoding: {
            x: timeAxis,
            y: price,
            color: outcome,
            shape: { field: 'event', type: 'nominal' as const, scale: { domain: ['long entry', 'short entry', 'exit'], range: ['triangle-up', 'triangle-down', 'circle'] }, legend: { title: null } },
          },
        },
      ],
    };
  });
  return { ...base, vconcat: panels, resolve: { scale: { color: 'shared', shape: 'shared' } } } as TopLevelSpec;
}

/** How the trades' net P&L is spread, binned. */
export function pnlDistributionSpec(trades: readonly ReportTrade[]): TopLevelSpec | undefined {
  if (trades.length === 0) return undefined;
  return {
    ...base,
    title: { text: 'Distribution of net P&L per trade', anchor: 'start' },
    width: WIDTH,
    height: 220,
    data: { values: trades.map((trade) => ({ pnl: trade.netPnl, outcome: trade.netPnl > 0 ? 'won' : 'lost' })) },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'pnl', type: 'quantitative', bin: { maxbins: 30 }, axis: { format: '$,.2f', title: 'net P&L' } },
      y: { aggregate: 'count', type: 'quantitative', axis: { title: 'trades', tickMinStep: 1 } },
      color: { field: 'outcome', type: 'nominal', scale: { domain: ['won', 'lost'], range: [WIN, LOSS] }, legend: { title: null } },
    },
  };
}

export interface ReportCharts {
  readonly equity: string;
  readonly tradesOnPrice: string | undefined;
  readonly pnlDistribution: string | undefined;
}

export async function renderReportCharts(curves: readonly ComparedCurve[], prices: ReadonlyMap<string, CandleList>, trades: readonly ReportTrade[], from: Date, to: Date): Promise<ReportCharts> {
  const onPrice = tradesOnPriceSpec(prices, trades, from, to);
  const distribution = pnlDistributionSpec(trades);
  return {
    equity: await renderChartSvg(equitySpec(curves)),
    tradesOnPrice: onPrice ? await renderChartSvg(onPrice) : undefined,
    pnlDistribution: distribution ? await renderChartSvg(distribution) : undefined,
  };
}
