// The venue's market list, loaded once and refreshed daily (listings, tick sizes and limits change rarely, but
// they do change); Hyperliquid's hourly. Concurrent callers share one load.
import type { Exchange, MarketInterface } from 'ccxt';
import { describeError } from '../../../domain/errors.js';
import { DAY_MS, HOUR_MS } from '../../../domain/time.js';
import type { Clock } from '../../../ports/clock.js';
import type { Logger } from '../../../ports/logger.js';
import { guarded } from './ccxt-errors.js';

/**
 * How old a venue's market list may grow. Hyperliquid's price step follows the price (5 significant figures) and the
 * step the daemon rounds to is the one valid up to twice the price at the last load (market-spec.ts): a market that
 * doubles before the next load would be rounded finer than the venue takes. An hour leaves a rally within the day
 * no time to get there; its list is one small request.
 */
export function marketListMaxAgeMs(exchangeId: string): number {
  return exchangeId === 'hyperliquid' ? HOUR_MS : DAY_MS;
}

export class MarketList {
  private loadedAt?: number;
  private loading?: Promise<void>;
  /** Counts `forget()`s: a load begun on a client since dropped must not mark the next client's list as loaded. */
  private generation = 0;

  constructor(
    private readonly client: () => Promise<Exchange>,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly maxAgeMs: number = DAY_MS,
  ) {}

  /**
   * The client, with a market list. The first load is waited for; a list older than `maxAgeMs` is loaded again in the
   * background while the one in hand serves: a stop placed at that moment must not wait out the venue's answer, and
   * the list in hand is still right (Hyperliquid's step holds up to twice the price it was loaded at).
   */
  async ready(): Promise<Exchange> {
    if (this.loadedAt === undefined) await this.reload();
    else if (this.clock.now().getTime() - this.loadedAt >= this.maxAgeMs) void this.reload().catch(() => undefined);
    return this.client();
  }

  /** One load at a time; a refresh that fails keeps the list in hand (see `load`), only a first load rejects. */
  private reload(): Promise<void> {
    if (!this.loading) {
      const loading = this.load(this.generation).finally(() => {
        if (this.loading === loading) this.loading = undefined;
      });
      this.loading = loading;
    }
    return this.loading;
  }

  /** The market for a unified symbol (`BTC/USDT:USDT`) or a venue id (`BTCUSDT`). */
  async find(symbol: string): Promise<MarketInterface | undefined> {
    const exchange = await this.ready();
    const byId = exchange.markets_by_id?.[symbol] as MarketInterface[] | undefined;
    return exchange.markets?.[symbol] ?? byId?.[0];
  }

  /** The client is being replaced: the next call loads the list on the new one, whatever a load under way finds. */
  forget(): void {
    this.generation += 1;
    this.loadedAt = undefined;
    this.loading = undefined;
  }

  private async load(generation: number): Promise<void> {
    const exchange = await this.client();
    const refreshing = this.loadedAt !== undefined;
    try {
      await guarded({ operation: 'loadMarkets' }, () => exchange.loadMarkets(refreshing));
      if (generation !== this.generation) return;
      this.loadedAt = this.clock.now().getTime();
      this.log.info({ markets: Object.keys(exchange.markets ?? {}).length, refreshing }, 'market list loaded');
    } catch (error) {
      if (generation !== this.generation) return;
      if (!refreshing) throw error;
      // A failed refresh keeps the previous list rather than stopping all trading; retry in an hour at most.
      this.loadedAt = this.clock.now().getTime() - this.maxAgeMs + Math.min(HOUR_MS, this.maxAgeMs);
      this.log.warn({ error: describeError(error) }, 'market list refresh failed; keeping the previous list');
    }
  }
}
