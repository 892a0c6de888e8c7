// The backtest's comparison: the strategy beside buy-and-hold of each market, an equal-weight basket and staying flat,
// each measured alike (return, drawdown, Sharpe, Sortino, Calmar, months), with the strategy's trade statistics and a
// seeded bootstrap interval of its return and Sharpe. All figures come from src/domain/performance.
import { buyAndHoldCurve, equalWeightCurve, firstCloseAt, flatCurve } from '../domain/performance/benchmarks.js';
import { bootstrapTrades, MIN_BOOTSTRAP_TRADES, type BootstrapResult } from '../domain/performance/bootstrap.js';
import { curveFigures, type CurveFigures } from '../domain/performance/equity-curve.js';
import { monthlyReturns, type MonthReturn } from '../domain/performance/monthly-returns.js';
import { tradeStatistics, type TradeStatistics } from '../domain/performance/trade-statistics.js';
import type { EquityPoint } from '../domain/events.js';
import { TIMEFRAME_MS } from '../domain/market.js';
import { DAY_MS } from '../domain/time.js';
import type { ReplayResult } from './replay-runner.js';

export type CurveKind = 'strategy' | 'buy-and-hold' | 'basket' | 'flat';

export interface ComparedCurve {
  readonly name: string;
  readonly kind: CurveKind;
  readonly figures: CurveFigures;
  readonly monthly: readonly MonthReturn[];
  /** Hourly readings, as `[epoch ms, equity]` to keep the JSON small. */
  readonly equity: readonly (readonly [number, number])[];
}

export interface BacktestPerformance {
  readonly curves: readonly ComparedCurve[];
  readonly trades: TradeStatistics;
  /** Undefined without trades. */
  readonly bootstrap: BootstrapResult | undefined;
  readonly notes: readonly string[];
}

/** Fewer daily returns than this, and the report says its annualised ratios swing widely. */
const SHORT_WINDOW_DAYS = 30;

/** What the report says where the bootstrap gives no interval. */
export const tooFewToResample = (trades: number): string =>
  trades === 0
    ? 'no trades to resample'
    : `${trades} trade${trades === 1 ? '' : 's'}: too few for an interval (it takes ${MIN_BOOTSTRAP_TRADES}; resampling fewer can only repeat them)`;

export interface PerformanceOptions {
  readonly initialCapital: number;
  readonly bootstrapSeed: number;
  readonly bootstrapSamples?: number;
}

const shortName = (symbol: string): string => symbol.split('/')[0] ?? symbol;
const round = (value: number): number => Number(value.toFixed(6));

function compared(name: string, kind: CurveKind, points: readonly EquityPoint[], from: Date, to: Date): ComparedCurve {
  return {
    name,
    kind,
    figures: curveFigures(points, from, to),
    monthly: monthlyReturns(points, from, to),
    equity: points.map((point) => [point.time.getTime(), round(point.equity)] as const),
  };
}

export function backtestPerformance(result: ReplayResult, options: PerformanceOptions): BacktestPerformance {
  const { start: from, end: to } = result;
  const capital = options.initialCapital;
  const times = result.equity.map((point) => point.time);
  const fee = result.costs.takerFeeRate;
  const markets = result.symbols.map((symbol) => ({ symbol, history: { candles: result.prices.get(symbol) ?? [], intervalMs: TIMEFRAME_MS['15m'] } }));
  const curves = [
    compared('strategy', 'strategy', result.equity, from, to),
    ...markets.map(({ symbol, history }) => compared(`hold ${shortName(symbol)}`, 'buy-and-hold', buyAndHoldCurve(history, times, capital, fee, symbol), from, to)),
    compared('equal-weight basket', 'basket', equalWeightCurve(markets.map((m) => m.history), times, capital, fee), from, to),
    compared('flat', 'flat', flatCurve(times, capital), from, to),
  ];
  const bootstrap = bootstrapTrades(result.trades, capital, from, to, { seed: options.bootstrapSeed, samples: options.bootstrapSamples });
  const notes = [
    'equity is read hourly as the replay knew it (wallet plus open positions at the mark); ratios use daily readings, annualised over 365 days',
    `benchmarks hold 1x from the close known at the start, a ${(fee * 100).toFixed(3)}% taker fee in and out, no funding`,
  ];
  for (const { symbol, history } of markets) {
    const listed = firstCloseAt(history);
    if (listed === undefined || listed > from) {
      const when = listed === undefined || listed >= to ? 'had no close in the window' : `first closed ${listed.toISOString().slice(0, 16)} UTC`;
      notes.push(`${shortName(symbol)} ${when}: its benchmarks held that share as cash until then`);
    }
  }
  const stillOpen = result.openPositions.length;
  if (stillOpen > 0) {
    // Their fees and funding so far are in the equity, but no closed trade holds them yet.
    notes.push(`${stillOpen} position${stillOpen === 1 ? ' was' : 's were'} still open at the end: fees and funding paid are the closed trades' only`);
  }
  if (result.trades.length >= MIN_BOOTSTRAP_TRADES && result.trades.length < 30) notes.push(`only ${result.trades.length} trades: the bootstrap interval says little with so few`);
  const days = Math.ceil((to.getTime() - from.getTime()) / DAY_MS);
  if (days < SHORT_WINDOW_DAYS) {
    notes.push(`the window holds ${days} daily return${days === 1 ? '' : 's'}: annualised Sharpe, Sortino and Calmar from fewer than ${SHORT_WINDOW_DAYS} swing widely (a good week can read a Sharpe above 10)`);
  }
  // The ratios take one return a UTC day; a part day at either end counts as a whole one.
  if (from.getTime() % DAY_MS !== 0 || to.getTime() % DAY_MS !== 0) {
    notes.push('the window starts or ends inside a UTC day: that part day counts as a whole day in the Sharpe and Sortino ratios');
  }
  return {
    curves,
    trades: tradeStatistics(result.trades, from, to, result.openPositions.map((position) => position.openedAt)),
    bootstrap,
    notes,
  };
}
