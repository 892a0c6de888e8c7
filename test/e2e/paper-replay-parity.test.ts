// One day, two worlds, the same engine. Paper mode: the paper exchange on CcxtMarketData, real ccxt against the local
// Binance stand-in serving the day minute by minute. Replay: the paper exchange on ReplayMarketData. Same price
// path, same analysts, same schedule: the same trades, fills and P&L to the cent.
//
// The day is SOL on 2025-10-10, the liquidation cascade. Its recorded 15m candles are cut into 1-minute candles along
// open → first extreme (minute 3) → second extreme (minute 11) → close (a minute's close is the next one's open), and
// the mark price runs below the last price by a basis that changes every hour; the replay gets the same minutes and
// the hourly mark candles they make up (inside an hour its mark is the last price plus the hour's opening basis,
// which is exact here).
// What is deliberately the same in both, and why:
// - The stand-in's last and mark price are set to the current minute's open as the clock moves: it has no intraday
//   path of its own, and a live venue's ticker is the last trade, which is what a replay with 1m data reads.
// - ccxt's rate limiter is off: it waits in real time, and a simulated day asks a day's worth within seconds.
// - The price stream (websocket) is left out of the paper side: it only wakes the monitor between its 60 s checks,
//   which a replay cannot do, so both worlds check on the same schedule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/clock/index.js';
import { PaperExchange } from '../../src/adapters/exchange/paper/index.js';
import { CcxtMarketData } from '../../src/adapters/market-data/ccxt/ccxt-market-data.js';
import { marketHistory, replayHistory, ReplayMarketData, type MarketHistory } from '../../src/adapters/market-data/replay/index.js';
import { engineSettings } from '../../src/cli/engine-settings.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Mode } from '../../src/domain/events.js';
import type { Candle } from '../../src/domain/market.js';
import type { Trade } from '../../src/domain/trading.js';
import { buildEngine } from '../../src/engine/build-engine.js';
import type { Clock } from '../../src/ports/clock.js';
import type { MarketData } from '../../src/ports/market-data.js';
import { InMemoryStore } from '../../src/testing/in-memory-store.js';
import { RecordingNotifier } from '../../src/testing/recording-notifier.js';
import { ScriptedAnalyst } from '../../src/testing/scripted-analyst.js';
import { RecordingLogger } from '../../src/testing/silent-logger.js';
import { startFakeBinance, type FakeBinance } from '../peers/binance-usdm/index.js';
import { bundledHistory } from '../support/engine-fixture.js';

const SOL = 'SOL/USDT:USDT';
const START = Date.parse('2025-10-10T00:00:00Z');
const END = START + 24 * 3_600_000;
const MINUTE = 60_000;
const TICK = 0.001;
/** Minutes at which a quarter's path turns: its first extreme at 3, its second at 11. */
const TURNS: readonly number[] = [0, 3, 11, 15];

/** Mark minus last price during the hour starting at `time`: 0 to 0.9 below, changing hour by hour. */
const basisAt = (time: number): number => -0.15 * (Math.floor((time - START) / 3_600_000) % 7);

const onTick = (price: number): number => Math.round(price / TICK) * TICK;

/** The day's 15m candles as 1-minute candles along open → extreme → extreme → close, turning at TURNS. */
function minutesOf(quarters: readonly Candle[]): Candle[] {
  const minutes: Candle[] = [];
  for (const quarter of quarters.filter((candle) => candle.openTime >= START && candle.openTime < END)) {
    const vertices = quarter.close >= quarter.open ? [quarter.open, quarter.low, quarter.high, quarter.close] : [quarter.open, quarter.high, quarter.low, quarter.close];
    const at = (minute: number): number => {
      const leg = minute >= (TURNS[2] as number) ? 2 : minute >= (TURNS[1] as number) ? 1 : 0;
      const [legStart, legEnd] = [TURNS[leg] as number, TURNS[leg + 1] as number];
      const from = vertices[leg] as number;
      const share = (minute - legStart) / (legEnd - legStart);
      return onTick(from + ((vertices[leg + 1] as number) - from) * share);
    };
    for (let minute = 0; minute < 15; minute += 1) {
      const [open, close] = [at(minute), at(minute + 1)];
      minutes.push({ openTime: quarter.openTime + minute * MINUTE, open, high: Math.max(open, close), low: Math.min(open, close), close, volume: quarter.volume / 15 });
    }
  }
  return minutes;
}

/** The mark's minute: the traded minute moved by its hour's basis. */
function markOf(candle: Candle): Candle {
  const basis = basisAt(candle.openTime);
  return { ...candle, open: onTick(candle.open + basis), high: onTick(candle.high + basis), low: onTick(candle.low + basis), close: onTick(candle.close + basis), volume: 0 };
}

function hoursOf(minutes: readonly Candle[]): Candle[] {
  const hours: Candle[] = [];
  for (let index = 0; index < minutes.length; index += 60) {
    const hour = minutes.slice(index, index + 60);
    const first = hour[0] as Candle;
    hours.push({ openTime: first.openTime, open: first.open, high: Math.max(...hour.map((m) => m.high)), low: Math.min(...hour.map((m) => m.low)), close: (hour.at(-1) as Candle).close, volume: 0 });
  }
  return hours;
}

interface World {
  readonly trades: readonly Trade[];
  readonly balance: number;
}

async function runDay(mode: Mode, marketData: MarketData, clock: Clock & { now(): Date }): Promise<World> {
  // A $1 profit target and loose breakers, so the day holds several round trips rather than one.
  const config = loadConfig({ env: { SYMBOLS: SOL, MIN_PROFIT_USD: '1', DAILY_LOSS_LIMIT_PERCENT: '0.5', MAX_CONSECUTIVE_LOSSES: '20', MAX_DRAWDOWN_PERCENT: '0.9' } });
  const store = new InMemoryStore();
  const logger = new RecordingLogger();
  const exchange = new PaperExchange({ marketData, clock, account: store.paperAccount, initialBalance: 100, takerFeeRate: 0.0005, slippageBps: 5, logger });
  const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
  const base = engineSettings(config, mode, [SOL]);
  const settings = { ...base, consensus: { ...base.consensus, minOpportunityScore: 0 } };
  const stop = new AbortController();
  const bounded: Clock = { now: () => clock.now(), sleep: async (ms, signal) => (clock.now().getTime() >= END ? stop.abort() : clock.sleep(ms, signal)) };
  const engine = buildEngine(
    { clock: bounded, marketData, exchange, analysts: longs, exitAnalysts: [], store, notifier: new RecordingNotifier(), logger, settings },
    { orphanPolicy: 'adopt', settingsView: {} },
  );
  await engine.daemon.start();
  await engine.daemon.run(stop.signal);
  const errors = logger.lines.filter((line) => line.level === 'error');
  if (errors.length > 0) throw new Error(`the ${mode} run logged errors: ${JSON.stringify(errors.slice(0, 3))}`);
  return { trades: await store.trades.list(), balance: (await exchange.balance()).total };
}

let venue: FakeBinance;
let ccxt: CcxtMarketData;
let replay: World;
let paper: World;

beforeAll(async () => {
  const recorded = (await bundledHistory()).markets.get(SOL) as MarketHistory;
  const minutes = minutesOf(recorded.candles['15m'].slice());
  const markMinutes = minutes.map(markOf);

  // Replay: the recorded 15m candles, the day's minutes and the hourly mark candles those minutes make.
  const replayClock = new ManualClock(new Date(START));
  const market = marketHistory(recorded.spec, recorded.candles['15m'], recorded.funding, { minutes, mark: { intervalMs: 60 * MINUTE, candles: hoursOf(markMinutes) } });
  replay = await runDay('replay', new ReplayMarketData(replayHistory([market]), replayClock), replayClock);

  // Paper: the stand-in serves the same minutes; its clock and prices follow the engine's clock.
  venue = await startFakeBinance({ now: START });
  venue.setMinuteCandles('SOLUSDT', minutes);
  venue.setMinuteMarkCandles('SOLUSDT', markMinutes);
  const paperClock = new ManualClock(new Date(START));
  const follow = (): void => {
    const now = paperClock.now().getTime();
    const minute = minutes[Math.min(minutes.length - 1, Math.floor((now - START) / MINUTE))] as Candle;
    venue.setNow(now);
    venue.setPrice('SOLUSDT', minute.open);
    venue.setMarkPrice('SOLUSDT', (markMinutes[minutes.indexOf(minute)] as Candle).open);
  };
  follow();
  const clock = { now: () => paperClock.now(), sleep: async (ms: number, signal?: AbortSignal) => (await paperClock.sleep(ms, signal), follow()) };
  ccxt = new CcxtMarketData({ apiOrigin: venue.origin, wsOrigin: venue.wsOrigin, clock, logger: new RecordingLogger() });
  // ccxt meters requests against the venue's per-minute budget in real time; a simulated day sends a day's worth of
  // requests within seconds, so its limiter is switched off here (the stand-in has no budget to keep).
  const client = await (ccxt as unknown as { exchange(): Promise<{ enableRateLimit: boolean }> }).exchange();
  client.enableRateLimit = false;
  const withoutStream: MarketData = {
    market: (symbol) => ccxt.market(symbol),
    candles: (symbol, timeframe, limit) => ccxt.candles(symbol, timeframe, limit),
    ticker: (symbol) => ccxt.ticker(symbol),
    markPrice: (symbol) => ccxt.markPrice(symbol),
    fundingRate: (symbol) => ccxt.fundingRate(symbol),
    pricePath: (symbol, from, to) => ccxt.pricePath(symbol, from, to),
    fundingEvents: (symbol, from, to) => ccxt.fundingEvents(symbol, from, to),
  };
  paper = await runDay('paper', withoutStream, clock);
}, 300_000);

afterAll(async () => {
  await ccxt?.close();
  await venue?.close();
});

const cents = (amount: number): number => Math.round(amount * 100);
const summary = (trade: Trade) => ({
  side: trade.side,
  quantity: trade.quantity,
  reason: trade.reason,
  openedAt: trade.openedAt.toISOString(),
  closedAt: trade.closedAt.toISOString(),
  entryPrice: trade.entryPrice.toFixed(6),
  exitPrice: trade.exitPrice.toFixed(6),
  fees: cents(trade.entryFee + trade.exitFee),
  funding: cents(trade.funding),
  netPnl: cents(trade.netPnl),
});

describe('paper mode and replay on the same day', () => {
  it('hold several round trips: a take-profit, stops on the exchange, one in the cascade, funding at the mark', () => {
    expect(replay.trades.length).toBeGreaterThanOrEqual(3);
    expect(replay.trades.map((trade) => trade.reason)).toContain('take_profit');
    expect(replay.trades.map((trade) => trade.reason)).toContain('stop_loss_on_exchange');
    expect(replay.trades.some((trade) => trade.closedAt.getTime() > Date.parse('2025-10-10T21:00:00Z'))).toBe(true);
    expect(replay.trades.some((trade) => trade.funding !== 0)).toBe(true);
  });

  it('make the same trades, at the same times and prices, for the same P&L to the cent', () => {
    expect(paper.trades.map(summary)).toEqual(replay.trades.map(summary));
    expect(cents(paper.balance)).toBe(cents(replay.balance));
  });

  it('book the same fills: order, side, price, quantity, fee and time', () => {
    const fills = (world: World) =>
      world.trades.flatMap((trade) => trade.fills.map((fill) => [fill.side, fill.price.toFixed(6), fill.quantity, fill.fee.toFixed(8), fill.time.toISOString()]));
    expect(fills(paper)).toEqual(fills(replay));
  });
});
