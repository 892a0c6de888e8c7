// The replay world: the unmodified engine on simulated time over historical candles, with the paper exchange.
// Used by `npm run demo`, `npm run backtest`, the end-to-end tests and the benchmarks.
import { setMaxListeners } from 'node:events';
import type { AppConfig } from '../config/app-config.js';
import { CachedAnalyst, DEFAULT_VOTE_TTL_MS } from '../adapters/analyst/ai/cached-analyst.js';
import { createTechnicalAnalysts } from '../adapters/analyst/technical/index.js';
import { InProcessCache } from '../adapters/cache/in-process-cache.js';
import { ManualClock, ReplayClock } from '../adapters/clock/index.js';
import { PaperExchange } from '../adapters/exchange/paper/index.js';
import { loadHistory, ReplayMarketData, type DataCoverage, type ReplayHistory } from '../adapters/market-data/replay/index.js';
import type { EquityPoint, TradingEvent } from '../domain/events.js';
import { equityAtMark } from '../domain/performance/equity-curve.js';
import type { CandleList } from '../domain/market.js';
import type { RiskSettings } from '../domain/settings.js';
import { DAY_MS, HOUR_MS } from '../domain/time.js';
import type { Position, Trade } from '../domain/trading.js';
import { buildEngine, type Engine } from '../engine/build-engine.js';
import type { Analyst } from '../ports/analyst.js';
import type { Clock } from '../ports/clock.js';
import type { Balance } from '../ports/exchange.js';
import type { Logger } from '../ports/logger.js';
import type { Notifier, TransactionScope } from '../ports/notifier.js';
import type { Store } from '../ports/store.js';
import { engineSettings, settingsView, type PanelShape } from './engine-settings.js';
import { readConfiguredCalendar } from '../adapters/calendar/calendar-file.js';
import type { CalendarEvent } from '../domain/calendar.js';

/** 200 four-hour candles (for the 4h EMA/SMA 200) plus a margin: replays start this long after the data does. */
export const DEFAULT_WARMUP_MS = 35 * DAY_MS;

export interface ReplayOptions {
  /** Calendar events for the blackout; read from CALENDAR_FILE when unset. */
  readonly calendar?: readonly CalendarEvent[];
  /** The data folder; or `history`, already in memory (the look-ahead check replays altered copies). */
  readonly historyDir?: string;
  readonly history?: ReplayHistory;
  readonly config: AppConfig;
  readonly store: Store;
  readonly logger: Logger;
  readonly symbols?: readonly string[];
  readonly from?: Date;
  readonly to?: Date;
  readonly warmupMs?: number;
  /** Where the events go besides the report (console, outbox); the runner also keeps every event. */
  readonly notifier?: Notifier;
  /** Which events the result keeps (default: all). */
  readonly keepEvent?: (event: TradingEvent) => boolean;
  readonly analysts?: (risk: RiskSettings) => Analyst[];
  /** Who gives exit opinions (default: the entry analysts). */
  readonly exitAnalysts?: readonly Analyst[];
  /** AI panels run in the configured AI mode, with this screener in cascade mode. */
  readonly panel?: PanelShape;
  /** Serve a repeated question on an unchanged 15m candle from the cache (default true); off to see what it saves. */
  readonly voteCache?: boolean;
  /** Continue a replay that stopped at this instant (restart tests). */
  readonly resumeAt?: Date;
  readonly onProgress?: (done: number) => void;
  /** Called once the daemon has started (tests use the owner control). */
  readonly onStarted?: (engine: Engine) => Promise<void>;
  /** Checked between ticks; returning true stops the replay there, as a shutdown would. */
  readonly stopWhen?: () => Promise<boolean>;
}

export interface ReplayResult {
  readonly start: Date;
  readonly end: Date;
  readonly symbols: readonly string[];
  readonly trades: readonly Trade[];
  readonly events: readonly TradingEvent[];
  readonly balance: Balance;
  readonly openPositions: readonly Position[];
  /** 15m candles replayed, summed over symbols: the unit of replay throughput. */
  readonly candleSteps: number;
  /** Per market, how much of the window had mark-price and 1-minute candles. */
  readonly coverage: readonly DataCoverage[];
  /** The simulated venue's costs: taker fee per side and slippage on market and stop fills. */
  readonly costs: { readonly takerFeeRate: number; readonly slippageBps: number };
  /**
   * The account's equity (wallet plus open positions' P&L at the mark) as the replay knew it, read about hourly
   * between the daemon's steps, from the start to the end.
   */
  readonly equity: readonly EquityPoint[];
  /** Each replayed market's 15m candles (the benchmarks are held on their closes). */
  readonly prices: ReadonlyMap<string, CandleList>;
}

export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  const { config, store, logger } = options;
  const history = options.history ?? (await loadHistory(requiredDir(options.historyDir), { symbols: options.symbols }));
  const probe = new ReplayMarketData(history, new ManualClock(new Date(0)));
  const range = probe.range();
  const symbols = probe.symbols();
  const warmed = new Date(range.from.getTime() + (options.warmupMs ?? DEFAULT_WARMUP_MS));
  const start = options.resumeAt ?? new Date(Math.max(warmed.getTime(), options.from?.getTime() ?? 0));
  const end = new Date(Math.min(range.to.getTime(), options.to?.getTime() ?? Infinity));
  if (start >= end) throw new Error(`nothing to replay: the data runs ${range.from.toISOString()} to ${range.to.toISOString()}, the replay would start ${start.toISOString()}`);
  if (config.universe.mode !== 'top_volume') refuseEndedMarkets(probe.dataEnds(), end);

  const stop = new AbortController();
  // As in main.ts: each AI call of a scan listens on this signal while it runs; 18 at once is no leak.
  setMaxListeners(100, stop.signal);
  const replayClock = new ReplayClock(new ManualClock(start), end, () => stop.abort());
  const stopWhen = options.stopWhen;
  const equity: EquityPoint[] = [];
  let nextReading = start.getTime() + HOUR_MS;
  // Read between the daemon's steps (it sleeps only there), so a reading is what the account showed at that instant.
  const readEquity = async (): Promise<void> => {
    const now = replayClock.now();
    if (now.getTime() < nextReading) return;
    nextReading = (Math.floor(now.getTime() / HOUR_MS) + 1) * HOUR_MS;
    equity.push({ time: now, equity: await markedEquity(exchange, config.costs.takerFeeRate) });
  };
  const clock = new BetweenStepsClock(replayClock, async () => {
    await readEquity();
    return stopWhen !== undefined && (await stopWhen());
  }, () => stop.abort());
  const marketData = new ReplayMarketData(history, clock);
  const exchange = new PaperExchange({
    marketData,
    clock,
    account: store.paperAccount,
    initialBalance: config.initialCapital,
    takerFeeRate: config.costs.takerFeeRate,
    slippageBps: config.costs.slippageBps,
    logger,
    delisting: (symbol) => marketData.delisting(symbol),
  });
  equity.push({ time: start, equity: await markedEquity(exchange, config.costs.takerFeeRate) });
  const notifier = new KeptEvents(options.keepEvent ?? KEEP_ALL, options.notifier);
  // As in live trading, an unchanged 15m candle means the same answer: an AI model is asked once, then served from
  // the cache. Technical analysts repeat their own last answer on an unchanged candle and need no cache.
  const voteCache = new InProcessCache(clock);
  const voters = (options.analysts ?? createTechnicalAnalysts)(config.risk);
  const cached = (panel: readonly Analyst[]): Analyst[] =>
    options.voteCache === false
      ? [...panel]
      : panel.map((analyst) => (analyst.kind === 'ai' ? new CachedAnalyst(analyst, voteCache, { ttlMs: DEFAULT_VOTE_TTL_MS }) : analyst));
  const analysts = cached(voters);
  const exitAnalysts = options.exitAnalysts ? cached(options.exitAnalysts) : analysts;
  // Hundreds of analyst answers per statement: a replay writes a simulated month of them in seconds.
  const calendar = options.calendar ?? (await readConfiguredCalendar(config.portfolio.calendarFile));
  const settings = { ...engineSettings(config, 'replay', symbols, options.panel, calendar), decisionBatchRows: 500 };
  const engine = buildEngine(
    { clock, marketData, exchange, analysts, exitAnalysts, store, notifier, logger, settings },
    {
      orphanPolicy: 'adopt',
      settingsView: settingsView(config, 'replay', analysts.map((a) => a.name)),
      observer: options.onProgress
        ? { tick: () => options.onProgress?.((clock.now().getTime() - start.getTime()) / (end.getTime() - start.getTime())) }
        : undefined,
    },
  );
  await engine.daemon.start(config.warnings);
  await options.onStarted?.(engine);
  await engine.daemon.run(stop.signal);
  await engine.daemon.stop('end of the replayed history');
  const stepMs = 15 * 60_000;
  if (clock.now().getTime() > (equity[equity.length - 1] as EquityPoint).time.getTime()) equity.push({ time: clock.now(), equity: await markedEquity(exchange, config.costs.takerFeeRate) });
  return {
    start,
    end: clock.now(),
    symbols,
    trades: await store.trades.list(),
    events: notifier.events,
    balance: await exchange.balance(),
    openPositions: await store.positions.active(),
    candleSteps: Math.floor((clock.now().getTime() - start.getTime()) / stepMs) * symbols.length,
    coverage: marketData.coverage(start, clock.now()),
    costs: { takerFeeRate: config.costs.takerFeeRate, slippageBps: config.costs.slippageBps },
    equity,
    prices: new Map(symbols.map((symbol): [string, CandleList] => [symbol, history.markets.get(symbol)?.candles['15m'] ?? []])),
  };
}

/**
 * The daemon's clock in a replay: the replay clock, with the runner's own work (an equity reading, the stop check)
 * done between the daemon's steps, which is where it sleeps. A class, not an object of arrow functions: a sweep
 * replays window after window in one process, and code the JIT specialised for `clock.now()` stays valid only while
 * the function called is the same one, which new closures per replay are not.
 */
class BetweenStepsClock implements Clock {
  constructor(
    private readonly replay: ReplayClock,
    /** True when the replay should stop here. */
    private readonly betweenSteps: () => Promise<boolean>,
    private readonly stop: () => void,
  ) {}

  now(): Date {
    return this.replay.now();
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (await this.betweenSteps()) this.stop();
    else await this.replay.sleep(ms, signal);
  }
}

const KEEP_ALL = (): boolean => true;

/** The replay's notifier: keeps the events its caller wants in the result, and passes every event on. */
class KeptEvents implements Notifier {
  readonly events: TradingEvent[] = [];

  constructor(
    private readonly keep: (event: TradingEvent) => boolean,
    private readonly next: Notifier | undefined,
  ) {}

  async notify(event: TradingEvent, within?: TransactionScope): Promise<void> {
    if (this.keep(event)) {
      // An event of a booking is the report's once the booking has committed, as it would be the owner's.
      if (within) void within.committed.then(() => this.events.push(event), () => undefined);
      else this.events.push(event);
    }
    await this.next?.notify(event, within);
  }
}

/** Wallet (posted margin included) plus what the open positions would make or lose at the mark. */
async function markedEquity(exchange: PaperExchange, takerFeeRate: number): Promise<number> {
  const [balance, positions] = await Promise.all([exchange.balance(), exchange.positions()]);
  const held = positions.map((position) => ({ quantity: position.quantity, unrealizedPnl: position.unrealizedPnl ?? 0, markPrice: position.markPrice ?? position.entryPrice }));
  return equityAtMark(balance.total, held, takerFeeRate);
}

/**
 * A fixed symbol list scans every market to the window's end; one whose data ends sooner (a delisting, or a file
 * downloaded short) would be scanned on a price standing still, and a short file taken for a delisting would quietly
 * change the result. Picked by volume (UNIVERSE=top_volume), such a market drops out of the listings and what is held
 * there is settled, as on the venue: that replay goes on.
 */
function refuseEndedMarkets(ends: readonly { readonly symbol: string; readonly end: Date }[], windowEnd: Date): void {
  const ended = ends.filter(({ end }) => end < windowEnd);
  if (ended.length === 0) return;
  const lines = ended.map(({ symbol, end }) => `  ${symbol}: its data ends ${end.toISOString()} (--to ${end.toISOString().slice(0, 10)} ends the window before it)`);
  throw new Error(
    [
      `the data of ${ended.length === 1 ? 'a market' : `${ended.length} markets`} ends before the replay window does (${windowEnd.toISOString()}):`,
      ...lines,
      'End the window there with --to, add the missing candles to the data folder, or leave the market out with --symbols.',
      'With UNIVERSE=top_volume such a market is taken for delisted instead: it leaves the listings and a position there is settled at its last mark.',
    ].join('\n'),
  );
}

function requiredDir(dir: string | undefined): string {
  if (dir === undefined) throw new Error('runReplay needs a history folder or a history in memory');
  return dir;
}
