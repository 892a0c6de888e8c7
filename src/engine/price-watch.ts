// Follows the price of every open position on the market data's stream, where there is one. A tick that would fire
// an exit rule (stop, liquidation distance, profit target) wakes the monitor at once instead of at the next
// heartbeat. The stream only wakes; decisions are still taken by the monitor on fresh data.
import { describeError } from '../domain/errors.js';
import { evaluateExit } from '../domain/exit-rules.js';
import type { Position } from '../domain/trading.js';
import type { EngineContext } from './engine-context.js';

interface Watch {
  position: Position;
  readonly stop: AbortController;
}

export class PriceWatcher {
  private readonly watches = new Map<string, Watch>();

  constructor(
    private readonly ctx: EngineContext,
    /** Called with the position whose exit rule a tick reached. */
    private readonly onAlarm: (positionId: string) => void,
  ) {}

  get enabled(): boolean {
    return this.ctx.marketData.watchPrice !== undefined;
  }

  /** Watches exactly the symbols of the open positions given. */
  sync(active: readonly Position[]): void {
    if (!this.enabled) return;
    const open = new Map(active.filter((p) => p.status === 'open').map((p) => [p.symbol, p]));
    for (const [symbol, watch] of this.watches) {
      const position = open.get(symbol);
      if (position?.id === watch.position.id) watch.position = position;
      else {
        watch.stop.abort();
        this.watches.delete(symbol);
      }
    }
    for (const [symbol, position] of open) if (!this.watches.has(symbol)) this.start(position);
  }

  stopAll(): void {
    for (const watch of this.watches.values()) watch.stop.abort();
    this.watches.clear();
  }

  private start(position: Position): void {
    const watch: Watch = { position, stop: new AbortController() };
    this.watches.set(position.symbol, watch);
    void this.follow(watch);
  }

  private async follow(watch: Watch): Promise<void> {
    const { marketData, settings, clock, logger } = this.ctx;
    const stream = marketData.watchPrice?.(watch.position.symbol, watch.stop.signal);
    if (!stream) return;
    try {
      for await (const tick of stream) {
        // A stream without the mark stands in its last price: a wake-up only, the monitor decides on the mark it reads.
        const decision = evaluateExit(watch.position, { price: tick.price, markPrice: tick.markPrice ?? tick.price, now: clock.now() }, undefined, settings.exits, settings.costs);
        if (decision.action === 'close') {
          logger.info({ symbol: tick.symbol, price: tick.price, reason: decision.reason }, 'price stream: exit rule reached, checking now');
          this.onAlarm(watch.position.id);
        }
      }
    } catch (error) {
      // The heartbeat check goes on regardless; the market data adapter already falls back to polling.
      logger.warn({ symbol: watch.position.symbol, error: describeError(error) }, 'price stream ended');
    }
  }
}
