// The backtest's comparison on made-up replays: benchmarks that pay the fees they name, a market listed inside the
// window, and one max drawdown for the strategy wherever the report prints it.
import { describe, expect, it } from 'vitest';
import { backtestPerformance } from '../../../src/cli/backtest-performance.js';
import { renderHtmlReport } from '../../../src/cli/backtest-html.js';
import { buildReport, formatSummary } from '../../../src/cli/backtest-report.js';
import type { ReplayResult } from '../../../src/cli/replay-runner.js';
import type { EquityPoint } from '../../../src/domain/events.js';
import type { Candle } from '../../../src/domain/market.js';
import type { Trade } from '../../../src/domain/trading.js';

const QUARTER = 15 * 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.parse('2025-01-01T00:00:00Z');
const END = START + 10 * DAY;
const FEE = 0.0005;

const steadyCandles = (fromMs: number, price: number): Candle[] => {
  const candles: Candle[] = [];
  for (let t = fromMs; t < END; t += QUARTER) candles.push({ openTime: t, open: price, high: price, low: price, close: price, volume: 1 });
  return candles;
};

const hourlyEquity = (equityAt: (t: number) => number): EquityPoint[] => {
  const points: EquityPoint[] = [];
  for (let t = START; t <= END; t += HOUR) points.push({ time: new Date(t), equity: equityAt(t) });
  return points;
};

function replay(prices: Map<string, Candle[]>, equity = hourlyEquity(() => 1000), trades: Trade[] = []): ReplayResult {
  return {
    start: new Date(START),
    end: new Date(END),
    symbols: [...prices.keys()],
    trades,
    events: [],
    balance: { total: equity.at(-1)?.equity ?? 1000 },
    openPositions: [],
    candleSteps: 0,
    coverage: [],
    costs: { takerFeeRate: FEE, slippageBps: 0 },
    equity,
    prices,
  } as unknown as ReplayResult;
}

/** A long 1% down, closed with a loss of $10. */
const oneTrade = (opened = START + DAY, closed = START + 3 * DAY): Trade =>
  ({
    positionId: 'p1', symbol: 'BTC/USDT:USDT', side: 'long', leverage: 5, quantity: 1, entryPrice: 100, exitPrice: 99,
    margin: 200, stopPrice: 90, liquidationPrice: 80, entryFee: 0, exitFee: 0, funding: 0, grossPnl: -10, netPnl: -10,
    pnlPct: -0.05, reason: 'stop_loss', openedAt: new Date(opened), closedAt: new Date(closed),
    rationale: { confidence: 0.8, opportunityScore: 85, agreeing: [], dissenting: [] }, fills: [],
  }) as unknown as Trade;

describe('the benchmarks of the backtest comparison', () => {
  it('a hold on an unchanged price loses the taker fee in and out that its note names', () => {
    const performance = backtestPerformance(replay(new Map([['BTC/USDT:USDT', steadyCandles(START - 2 * DAY, 100)]])), { initialCapital: 1000, bootstrapSeed: 1 });
    const hold = performance.curves.find((curve) => curve.name === 'hold BTC');
    const roundTrip = (1 - FEE) / (1 + FEE) - 1;
    expect(hold?.figures.totalReturn).toBeCloseTo(roundTrip, 12);
    expect(hold?.monthly[0]?.return).toBeCloseTo(roundTrip, 12);
    expect(performance.notes.join('\n')).toContain('0.050% taker fee in and out');
  });

  it('a market listed inside the window is held as cash until its first close, and the note says so', () => {
    const listedAt = START + 5 * DAY;
    const performance = backtestPerformance(
      replay(new Map([['BTC/USDT:USDT', steadyCandles(START - 40 * DAY, 100)], ['NEW/USDT:USDT', steadyCandles(listedAt, 2)]])),
      { initialCapital: 1000, bootstrapSeed: 1 },
    );
    const hold = performance.curves.find((curve) => curve.name === 'hold NEW');
    expect(hold?.equity.filter(([time]) => time < listedAt + QUARTER).every(([, equity]) => equity === 1000)).toBe(true);
    expect(hold?.figures.totalReturn).toBeCloseTo((1 - FEE) / (1 + FEE) - 1, 12);
    expect(performance.notes).toContain('NEW first closed 2025-01-06T00:15 UTC: its benchmarks held that share as cash until then');
  });

  it('a window that starts inside a UTC day says that part day counts as a whole one in the ratios; one from midnight does not', () => {
    const part = 'the window starts or ends inside a UTC day: that part day counts as a whole day in the Sharpe and Sortino ratios';
    const prices = new Map([['BTC/USDT:USDT', steadyCandles(START - 2 * DAY, 100)]]);
    const midnight = backtestPerformance(replay(prices), { initialCapital: 1000, bootstrapSeed: 1 });
    const evening = backtestPerformance({ ...replay(prices), start: new Date(START + 18 * HOUR) }, { initialCapital: 1000, bootstrapSeed: 1 });
    expect(midnight.notes).not.toContain(part);
    expect(evening.notes).toContain(part);
  });

  it('a window of fewer than 30 days says its annualised ratios swing widely; one of 30 does not', () => {
    const short = 'the window holds 10 daily returns: annualised Sharpe, Sortino and Calmar from fewer than 30 swing widely (a good week can read a Sharpe above 10)';
    const prices = new Map([['BTC/USDT:USDT', steadyCandles(START - 40 * DAY, 100)]]);
    const tenDays = backtestPerformance(replay(prices), { initialCapital: 1000, bootstrapSeed: 1 });
    const thirtyDays = backtestPerformance({ ...replay(prices), start: new Date(END - 30 * DAY) }, { initialCapital: 1000, bootstrapSeed: 1 });
    expect(tenDays.notes).toContain(short);
    expect(thirtyDays.notes.some((note) => note.includes('swing widely'))).toBe(false);
  });

  it('a position still open at the end is named, since the fees and funding paid count the closed trades only', () => {
    const prices = new Map([['BTC/USDT:USDT', steadyCandles(START - 2 * DAY, 100)]]);
    const flat = backtestPerformance(replay(prices), { initialCapital: 1000, bootstrapSeed: 1 });
    const holding = backtestPerformance({ ...replay(prices), openPositions: [{ openedAt: new Date(START + DAY) }] } as unknown as ReplayResult, { initialCapital: 1000, bootstrapSeed: 1 });
    const note = "1 position was still open at the end: fees and funding paid are the closed trades' only";
    expect(flat.notes).not.toContain(note);
    expect(holding.notes).toContain(note);
  });
});

describe('the strategy max drawdown', () => {
  it('is the hourly equity at the mark in the summary too, not the closed trades alone', () => {
    // One long 20% under water on day 2, closed on day 3 with a loss of 1%.
    const opened = START + DAY;
    const closed = START + 3 * DAY;
    const equity = hourlyEquity((t) => (t >= closed ? 990 : t >= START + 2 * DAY ? 800 : 1000));
    const trade = oneTrade(opened, closed);
    const report = buildReport(replay(new Map([['BTC/USDT:USDT', steadyCandles(START - 2 * DAY, 100)]]), equity, [trade]), 1000, 0, [], { bootstrapSeed: 1 });
    expect(report.performance.curves[0]?.figures.maxDrawdown).toBeCloseTo(0.2, 12);
    expect(report.summary.maxDrawdownPct).toBeCloseTo(0.2, 12);
    expect(formatSummary(report)).toMatch(/max drawdown {4}20\.0%/);
  });
});

describe('the bootstrap interval', () => {
  it('with one trade the report gives none, where it printed one of no width, as if the result were certain', () => {
    const report = buildReport(replay(new Map([['BTC/USDT:USDT', steadyCandles(START - 2 * DAY, 100)]]), hourlyEquity(() => 1000), [oneTrade()]), 1000, 0, [], { bootstrapSeed: 1 });
    expect(report.performance.bootstrap).toBeUndefined();
    expect(formatSummary(report)).toContain('bootstrap       1 trade: too few for an interval (it takes 10; resampling fewer can only repeat them)');
  });
});

describe('the headline of a backtest that ends with a position open', () => {
  it('gives the equity at the mark beside the wallet, where only a winner booked made the account look up while it was down', async () => {
    // A winner booked for +$50, then a position still open $80 under water at the last mark.
    const winner = { ...oneTrade(), grossPnl: 50, netPnl: 50, pnlPct: 0.25, reason: 'take_profit' } as unknown as Trade;
    const equity = hourlyEquity((t) => (t >= START + 3 * DAY ? 970 : 1000));
    const result = { ...replay(new Map([['BTC/USDT:USDT', steadyCandles(START - 2 * DAY, 100)]]), equity, [winner]), balance: { total: 1050 }, openPositions: [{ openedAt: new Date(START + 4 * DAY) }] } as unknown as ReplayResult;

    const report = buildReport(result, 1000, 0, [], { bootstrapSeed: 1 });
    const text = formatSummary(report);

    expect(report.finalEquity).toBe(970);
    expect(text).toContain('net P&L         $50.00 (5.0% of $1,000.00) on the closed trades');
    expect(text).toContain('final equity    $970.00 (-3.0%) at the last mark, with 1 position still open (-$80.00 against the wallet)');
    expect(text).toContain('the net P&L above leaves them out');
    const html = await renderHtmlReport({ report, prices: result.prices });
    expect(html).toContain('<dt>final equity</dt><dd>$970.00 at the last mark, with 1 position still open (-$80.00 against the wallet)</dd>');
  });

  it('says nothing more when every position was closed', () => {
    const report = buildReport(replay(new Map([['BTC/USDT:USDT', steadyCandles(START - 2 * DAY, 100)]]), hourlyEquity(() => 990), [oneTrade()]), 1000, 0, [], { bootstrapSeed: 1 });
    const text = formatSummary(report);
    expect(text).not.toContain('final equity');
    expect(text).not.toContain('on the closed trades');
  });
});
