// A fee the venue charged in another asset than the settlement one (Binance's "pay fees with BNB"), in settlement
// terms. It is valued at that asset's price in the minute of the fill, not at the price of the moment it is read: a
// fill read again after a restart, or by reconciliation days later, must give the trade the same fee.
import type { Trade } from 'ccxt';
import { OperationalError, TemporaryError } from '../../../domain/errors.js';
import { MINUTE_MS } from '../../../domain/time.js';
import type { Logger } from '../../../ports/logger.js';
import { finite } from './wire-numbers.js';

export interface FeeAssetPrices {
  /** The open of `symbol`'s 1-minute candle that opens at `minute`; undefined when the venue serves none. */
  minuteOpen(symbol: string, minute: number): Promise<number | undefined>;
  /** The last traded price now. */
  last(symbol: string): Promise<number>;
}

/** Fees already valued, by trade; old entries go first past this many (a few a trade, so years of trading). */
const REMEMBERED = 10_000;

export class FeeValuation {
  private readonly valued = new Map<string, number>();

  constructor(
    private readonly settle: string,
    private readonly prices: FeeAssetPrices,
    private readonly log: Logger,
  ) {}

  async inSettle(trade: Trade): Promise<number> {
    const cost = finite(trade.fee?.cost ?? 0, `trade ${trade.id}.fee`);
    const currency = trade.fee?.currency ?? this.settle;
    if (cost === 0 || currency === this.settle) return cost;
    const key = `${trade.symbol}|${trade.id}`;
    const known = this.valued.get(key);
    if (known !== undefined) return known;
    const value = cost * (await this.priceAtFill(trade, currency));
    if (this.valued.size >= REMEMBERED) this.valued.delete(this.valued.keys().next().value as string);
    this.valued.set(key, value);
    return value;
  }

  private async priceAtFill(trade: Trade, currency: string): Promise<number> {
    const symbol = `${currency}/${this.settle}:${this.settle}`;
    try {
      const time = finite(trade.timestamp, `trade ${trade.id}.timestamp`);
      const minute = Math.floor(time / MINUTE_MS) * MINUTE_MS;
      const atFill = await this.prices.minuteOpen(symbol, minute);
      if (atFill !== undefined) return atFill;
      const now = await this.prices.last(symbol);
      this.log.warn({ trade: trade.id, currency, price: now }, 'no candle for the minute of the fill: its fee is valued at the price now');
      return now;
    } catch (error) {
      if (error instanceof TemporaryError) throw error;
      throw new OperationalError(`fills: fee of trade ${trade.id} is charged in ${currency}, which has no ${this.settle} price`);
    }
  }
}
