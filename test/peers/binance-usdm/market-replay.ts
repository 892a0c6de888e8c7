// Moves the venue's prices along the recorded candles as its clock runs, so resting stops fire as they would have
// in that market, and books funding at every 8-hour settlement. For long runs of a whole daemon (soak tests).
import { roundToStep } from '../../../src/domain/money.js';
import type { CandleRow } from './history.js';
import { FIFTEEN_MINUTES } from './klines.js';
import type { VenueState } from './venue-state.js';

export interface MarketReplayOptions {
  /** Real milliseconds between two price steps (default 100). */
  readonly stepMs?: number;
  /** Book a funding payment on every open position at each 8-hour settlement the clock passes (default true). */
  readonly funding?: boolean;
  /**
   * Bends the recorded price of a symbol (the venue's id, e.g. `BTCUSDT`) at `time` before it is published (rounded
   * to the tick): a soak scenario drives a held position's price through its exits this way. Unset: the recording.
   */
  readonly shape?: (symbol: string, time: number, recorded: number) => number;
}

const EIGHT_HOURS = 8 * 60 * 60_000;

/** Index of the candle whose 15 minutes contain `time`, or -1. */
function candleAt(rows: readonly CandleRow[], time: number): number {
  const open = Math.floor(time / FIFTEEN_MINUTES) * FIFTEEN_MINUTES;
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = (rows[mid] as CandleRow).openTime;
    if (at === open) return mid;
    if (at < open) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * The price at `time` inside its 15-minute candle. The recording has no intrabar path, so one is assumed: a rising
 * candle dips to its low first and then climbs to its high, a falling one the other way round; each leg takes a third.
 */
export function pathPrice(rows: readonly CandleRow[], time: number, tickSize: number): number | undefined {
  const index = candleAt(rows, time);
  if (index < 0) return undefined;
  const candle = rows[index] as CandleRow;
  const points = candle.close >= candle.open ? [candle.open, candle.low, candle.high, candle.close] : [candle.open, candle.high, candle.low, candle.close];
  const progress = ((time - candle.openTime) / FIFTEEN_MINUTES) * 3;
  const leg = Math.min(2, Math.floor(progress));
  const from = points[leg] as number;
  const to = points[leg + 1] as number;
  const price = from + (to - from) * Math.min(1, progress - leg);
  return roundToStep(price, tickSize, 'nearest');
}

export class MarketReplay {
  private timer: NodeJS.Timeout | undefined;
  private lastStepAt: number | undefined;
  private funding = true;
  private shape: MarketReplayOptions['shape'];

  constructor(
    private readonly state: VenueState,
    /** Called after each step of a symbol's price: fires crossed stops and pushes to the stream. */
    private readonly onPriceChange: (symbol: string) => void,
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(options: MarketReplayOptions = {}): void {
    this.stop();
    this.funding = options.funding ?? true;
    this.shape = options.shape;
    this.lastStepAt = this.state.now;
    this.step();
    this.timer = setInterval(() => this.step(), options.stepMs ?? 100);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Moves every recorded symbol to its path price at the venue's current instant. */
  step(): void {
    const now = this.state.now;
    for (const info of this.state.history.exchangeInfo.symbols) {
      const rows = this.state.history.fifteenMinute(info.symbol);
      const tick = this.state.filters(info.symbol)?.tickSize ?? 0.01;
      const recorded = pathPrice(rows, now, tick);
      if (recorded === undefined) continue;
      const price = this.shape ? roundToStep(this.shape(info.symbol, now, recorded), tick, 'nearest') : recorded;
      // Published on every step, moved or not: the venue's streams push every second, and a client that hears
      // nothing for a while rightly treats its stream as dead.
      if (price !== this.state.lastPrice(info.symbol)) this.state.setPrice(info.symbol, price);
      this.onPriceChange(info.symbol);
    }
    const previous = this.lastStepAt ?? now;
    if (this.funding && Math.floor(now / EIGHT_HOURS) > Math.floor(previous / EIGHT_HOURS)) {
      const settlement = Math.floor(now / EIGHT_HOURS) * EIGHT_HOURS;
      for (const position of this.state.book.openPositions()) {
        this.state.book.settleFunding(position.symbol, this.state.currentFundingRate(position.symbol), settlement);
      }
    }
    this.lastStepAt = now;
  }
}
