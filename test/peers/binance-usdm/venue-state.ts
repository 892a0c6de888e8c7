// Everything the fake venue knows at its current instant: the clock, prices (recorded or set by the test),
// funding, the account book and the key's API restrictions.
import { firstBracketMaintenanceRate } from '../../../src/domain/maintenance-margin.js';
import { AccountBook, type ClientIdScope, type MarketView } from './account-book.js';
import { type CandleRow, MarketHistory, type SymbolFilters } from './history.js';
import { FIFTEEN_MINUTES, aggregate, visibleCandles, visibleFifteenMinute } from './klines.js';
import type { Precision } from './wire-format.js';

export interface ApiRestrictions {
  ipRestrict: boolean;
  enableReading: boolean;
  enableFutures: boolean;
  enableWithdrawals: boolean;
  enableInternalTransfer: boolean;
  permitsUniversalTransfer: boolean;
  enableMargin: boolean;
  enableSpotAndMarginTrading: boolean;
  enableVanillaOptions: boolean;
}

export const SAFE_RESTRICTIONS: ApiRestrictions = {
  ipRestrict: true,
  enableReading: true,
  enableFutures: true,
  enableWithdrawals: false,
  enableInternalTransfer: false,
  permitsUniversalTransfer: false,
  enableMargin: false,
  enableSpotAndMarginTrading: false,
  enableVanillaOptions: false,
};

/** Accepts the venue id (`BTCUSDT`) or a unified symbol (`BTC/USDT:USDT`). */
export function venueSymbol(symbol: string): string {
  if (!symbol.includes('/')) return symbol;
  const [pair] = symbol.split(':');
  return (pair ?? symbol).replace('/', '');
}

const EIGHT_HOURS = 8 * 60 * 60_000;
const HOUR = 60 * 60_000;

export class VenueState implements MarketView, Precision {
  readonly history: MarketHistory;
  readonly book: AccountBook;
  restrictions: ApiRestrictions;
  /** Hedge mode (long and short positions side by side); the daemon needs one-way mode. */
  dualSidePosition = false;
  /** Symbols not `TRADING` (e.g. `SETTLING`, `CLOSE`): exchangeInfo says so and only reduce-only orders pass. */
  readonly symbolStatus = new Map<string, string>();
  /** Every REST request answers 503 "System is under maintenance" until this venue instant. */
  maintenanceUntil = 0;
  /** Signed requests are refused with -1021 (timestamp outside the receive window) until this venue instant. */
  timestampsRefusedUntil = 0;
  /** When on, a signed request whose `timestamp` is off the venue's clock by more than its recvWindow is refused. */
  enforceReceiveWindow = false;
  private readonly lastOverride = new Map<string, number>();
  private readonly markOverride = new Map<string, number>();
  private readonly fundingOverride = new Map<string, number>();
  /** Markets the test set to settle every so many hours; the others settle every 8, as most of Binance's do. */
  private readonly fundingIntervals = new Map<string, number>();
  private readonly minuteRows = new Map<string, CandleRow[]>();
  private readonly minuteMarkRows = new Map<string, CandleRow[]>();
  private baseNow: number;
  /** `performance.now()` when the clock last started running; undefined while it stands still. */
  private runningSince: number | undefined;
  /** Venue milliseconds per real millisecond while the clock runs (1: real time). */
  private speed = 1;

  constructor(
    now: number,
    balance: number,
    takerFeeRate: number,
    restrictions: Partial<ApiRestrictions>,
    clientIdScope: ClientIdScope = 'ever',
    marketCount = 0,
  ) {
    this.history = new MarketHistory(undefined, marketCount);
    this.baseNow = now;
    this.book = new AccountBook(this, balance, takerFeeRate, 20, clientIdScope);
    this.restrictions = { ...SAFE_RESTRICTIONS, ...restrictions };
    this.book.refusesOpening = (symbol) => (this.symbolStatus.get(symbol) ?? 'TRADING') !== 'TRADING';
  }

  /** The venue's instant (epoch ms): set by the test, and moving with real time (times `speed`) while the clock runs. */
  get now(): number {
    return this.runningSince === undefined
      ? this.baseNow
      : this.baseNow + Math.floor((performance.now() - this.runningSince) * this.speed);
  }

  set now(value: number) {
    this.baseNow = value;
    if (this.runningSince !== undefined) this.runningSince = performance.now();
  }

  /**
   * A daemon loop schedules by clock time, so a test of the loop needs a venue clock that moves on its own; `speed`
   * matches a daemon whose clock is accelerated (soak runs), so both sides see the same simulated instant.
   */
  runClock(running: boolean, speed = 1): void {
    if (!(speed > 0)) throw new RangeError(`the venue clock speed must be positive, got ${speed}`);
    this.baseNow = this.now;
    this.speed = speed;
    this.runningSince = running ? performance.now() : undefined;
  }

  get clockSpeed(): number {
    return this.runningSince === undefined ? 0 : this.speed;
  }

  isListed(symbol: string): boolean {
    return this.history.symbolInfo(symbol) !== undefined;
  }

  /** Price steps the test set in place of the recorded ones (`FakeBinance.setTickSize`). */
  readonly tickSizes = new Map<string, number>();

  filters(symbol: string): SymbolFilters | undefined {
    const recorded = this.history.filters(symbol);
    const tickSize = this.tickSizes.get(symbol);
    return recorded && tickSize !== undefined ? { ...recorded, tickSize } : recorded;
  }

  price(symbol: string): number {
    return Number(this.history.symbolInfo(symbol)?.['pricePrecision'] ?? 2);
  }

  quantity(symbol: string): number {
    return Number(this.history.symbolInfo(symbol)?.['quantityPrecision'] ?? 3);
  }

  maintenanceRate(symbol: string): number {
    return firstBracketMaintenanceRate(String(this.history.symbolInfo(symbol)?.baseAsset ?? ''));
  }

  /** The last traded price: the test's price when set, else where the recording stands at `now`. */
  lastPrice(symbol: string): number | undefined {
    const override = this.lastOverride.get(symbol);
    if (override !== undefined) return override;
    const rows = this.history.fifteenMinute(symbol);
    const closed = visibleFifteenMinute(rows, this.now, undefined);
    return closed[closed.length - 1]?.close;
  }

  markPrice(symbol: string): number | undefined {
    return this.markOverride.get(symbol) ?? this.lastPrice(symbol);
  }

  setPrice(symbol: string, price: number): void {
    this.lastOverride.set(symbol, price);
    this.markOverride.set(symbol, price);
  }

  setMarkPrice(symbol: string, price: number): void {
    this.markOverride.set(symbol, price);
  }

  setFundingRate(symbol: string, rate: number): void {
    this.fundingOverride.set(symbol, rate);
  }

  setFundingInterval(symbol: string, hours: number): void {
    if (!(hours > 0 && Number.isInteger(hours))) throw new RangeError(`a funding interval is a whole number of hours, got ${hours}`);
    this.fundingIntervals.set(symbol, hours);
  }

  /** Hours between `symbol`'s settlements. */
  fundingIntervalHours(symbol: string): number {
    return this.fundingIntervals.get(symbol) ?? 8;
  }

  /** The markets whose interval the test set, as `GET /fapi/v1/fundingInfo` lists them (Binance lists only adjusted ones). */
  adjustedFundingIntervals(): [symbol: string, hours: number][] {
    return [...this.fundingIntervals.entries()];
  }

  setMinuteCandles(symbol: string, rows: readonly CandleRow[]): void {
    this.minuteRows.set(symbol, [...rows].sort((a, b) => a.openTime - b.openTime));
  }

  setMinuteMarkCandles(symbol: string, rows: readonly CandleRow[]): void {
    this.minuteMarkRows.set(symbol, [...rows].sort((a, b) => a.openTime - b.openTime));
  }

  /**
   * Mark-price candles of `intervalMs` visible at `now`, the forming one last: from the test's minute rows below an
   * hour, from the recorded hourly candles from an hour up (the forming hour moved only to the current mark).
   */
  markCandles(symbol: string, intervalMs: number): CandleRow[] {
    if (intervalMs < HOUR) {
      const rows = this.minuteMarkRows.get(symbol) ?? [];
      return aggregate(
        rows.filter((r) => r.openTime <= this.now),
        intervalMs,
      );
    }
    const visible = visibleCandles(this.history.markHourly(symbol), HOUR, this.now, this.markOverride.get(symbol));
    return intervalMs === HOUR ? visible : aggregate(visible, intervalMs);
  }

  /** Candles of `intervalMs` visible at `now`, the forming one last. */
  candles(symbol: string, intervalMs: number): CandleRow[] {
    if (intervalMs < FIFTEEN_MINUTES) {
      // The recording has no intrabar detail; minute candles exist only when a test supplies them.
      const rows = this.minuteRows.get(symbol) ?? [];
      return aggregate(
        rows.filter((r) => r.openTime <= this.now),
        intervalMs,
      );
    }
    const visible = visibleFifteenMinute(this.history.fifteenMinute(symbol), this.now, this.lastOverride.get(symbol));
    return intervalMs === FIFTEEN_MINUTES ? visible : aggregate(visible, intervalMs);
  }

  /** Funding settlements recorded up to `now`. */
  fundingHistory(symbol: string): { time: number; rate: number }[] {
    return this.history.fundingRates(symbol).filter((f) => f.time <= this.now);
  }

  currentFundingRate(symbol: string): number {
    const override = this.fundingOverride.get(symbol);
    if (override !== undefined) return override;
    const past = this.fundingHistory(symbol);
    return past[past.length - 1]?.rate ?? 0.0001;
  }

  /** The next settlement: the next boundary of the market's interval (8 hours when no market is named). */
  nextFundingTime(symbol?: string): number {
    const intervalMs = symbol === undefined ? EIGHT_HOURS : this.fundingIntervalHours(symbol) * HOUR;
    return (Math.floor(this.now / intervalMs) + 1) * intervalMs;
  }
}
