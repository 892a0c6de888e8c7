// A small replay world for the paper exchange's stories: one market on a day of hand-made 15m candles (flat unless a
// story says otherwise), hourly mark candles where a story gives them, funding at 00:00, 08:00 and 16:00, a manual
// clock, and an in-memory paper account.
import { ManualClock } from '../../../../../src/adapters/clock/manual-clock.js';
import { PaperExchange } from '../../../../../src/adapters/exchange/paper/paper-exchange.js';
import { marketHistory, replayHistory } from '../../../../../src/adapters/market-data/replay/replay-history.js';
import { ReplayMarketData } from '../../../../../src/adapters/market-data/replay/replay-market-data.js';
import type { Candle, MarketSpec } from '../../../../../src/domain/market.js';
import type { PaperAccountRepository, PaperHistoryEntry, SavedPaperAccount } from '../../../../../src/ports/store.js';
import { RecordingLogger } from '../../../../../src/testing/silent-logger.js';

export const SYMBOL = 'TEST/USDT:USDT';
const M15 = 15 * 60_000;
export const T0 = Date.UTC(2025, 0, 1);

/** `HH:MM` (or `HH:MM:SS`) on the test day, as a Date. */
export function at(time: string): Date {
  return new Date(`2025-01-01T${time}Z`);
}

export const SPEC: MarketSpec = {
  symbol: SYMBOL,
  id: 'TESTUSDT',
  base: 'TEST',
  quote: 'USDT',
  tickSize: 0.01,
  amountStep: 0.001,
  minAmount: 0.001,
  minNotional: 5,
  maintenanceMarginRate: 0.005,
  maintenanceAmount: 0,
  maxLeverage: 125,
};

/** Stores what the exchange saves the way a database would: as JSON, detached from the live objects. */
export class MemoryPaperAccount implements PaperAccountRepository {
  saved: SavedPaperAccount | undefined;
  saves = 0;
  /** The next save fails (a database restarting) when set. */
  failNextSave = false;

  async load(): Promise<SavedPaperAccount | undefined> {
    return this.saved === undefined ? undefined : JSON.parse(JSON.stringify(this.saved));
  }

  async save(balance: number, state: unknown, appended: readonly PaperHistoryEntry[]): Promise<void> {
    if (this.failNextSave) {
      this.failNextSave = false;
      throw new Error('connection terminated: the database is restarting');
    }
    this.saved = JSON.parse(JSON.stringify({ balance, state, history: [...(this.saved?.history ?? []), ...appended] }));
    this.saves += 1;
  }
}

export type PriceLevels = Readonly<Record<string, number>>;

export interface WorldOptions {
  /** From `HH:MM`, candles sit flat at the price (until the next level). Default: 100 all day. */
  readonly levels?: PriceLevels;
  /** Individual candles by `HH:MM` open time. */
  readonly candles?: Readonly<Record<string, Omit<Candle, 'openTime' | 'volume'>>>;
  /** Hourly mark-price candles by `HH:00` open time; hours without one have the traded price stand in. */
  readonly markHours?: Readonly<Record<string, Omit<Candle, 'openTime' | 'volume'>>>;
  /** Funding rates at 00:00, 08:00 and 16:00. */
  readonly fundingRates?: readonly [number, number, number];
  readonly initialBalance?: number;
  readonly start?: Date;
  readonly account?: MemoryPaperAccount;
  /** The contract; SPEC (no leverage brackets known) by default. */
  readonly spec?: MarketSpec;
  /** A live source's lag: a funding settlement is listed only this long after its instant. */
  readonly fundingListedAfterMs?: number;
}

export function paperWorld(options: WorldOptions = {}) {
  const levels = Object.entries(options.levels ?? { '00:00': 100 }).map(([time, price]) => [at(time).getTime(), price] as const);
  const candles: Candle[] = Array.from({ length: 96 }, (_, index) => {
    const openTime = T0 + index * M15;
    const custom = options.candles?.[new Date(openTime).toISOString().slice(11, 16)];
    if (custom !== undefined) return { openTime, ...custom, volume: 1 };
    const price = levels.filter(([from]) => from <= openTime).at(-1)?.[1] ?? 100;
    return { openTime, open: price, high: price, low: price, close: price, volume: 1 };
  });
  const rates = options.fundingRates ?? [0, 0, 0];
  const funding = rates.map((rate, index) => ({ time: T0 + index * 8 * 3_600_000, intervalHours: 8, rate }));
  const clock = new ManualClock(options.start ?? at('01:00'));
  const markCandles = Object.entries(options.markHours ?? {})
    .map(([time, candle]) => ({ openTime: at(time).getTime(), ...candle, volume: 0 }))
    .sort((a, b) => a.openTime - b.openTime);
  const mark = markCandles.length > 0 ? { mark: { intervalMs: 4 * M15, candles: markCandles } } : {};
  const marketData = new ReplayMarketData(replayHistory([marketHistory(options.spec ?? SPEC, candles, funding, mark)]), clock);
  const listedAfter = options.fundingListedAfterMs;
  if (listedAfter !== undefined) {
    const all = marketData.fundingEvents.bind(marketData);
    marketData.fundingEvents = async (symbol, from, to) => (await all(symbol, from, to)).filter((event) => event.time + listedAfter <= clock.now().getTime());
  }
  const account = options.account ?? new MemoryPaperAccount();
  const logger = new RecordingLogger();
  const settings = { initialBalance: options.initialBalance ?? 1000, takerFeeRate: 0.0005, slippageBps: 5 };
  const open = (): PaperExchange => new PaperExchange({ marketData, clock, account, logger, ...settings });
  return { clock, marketData, account, logger, exchange: open(), reopen: open };
}
