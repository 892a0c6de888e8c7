// The trailing stop on the venue: once the position is far enough in profit, its exchange stop follows the best price
// through the stop replacer (new stop verified before the old one goes). Moves are rate-limited per position, at
// least a minimum step, never nearer the mark than the venue accepts, and never to a level whose fill would be a
// discretionary close inside the protected band: the domain's `trailingStopLevel` decides all of that.
//
// The rate limit outlives a restart: every replacement of a stop (a move, or a try the venue refused) first writes
// its order record under a new versioned client id, stamped with the injected clock, so the newest such record says
// when the stop last moved. A re-arm after a partial fill or a hand add is a replacement too and counts as a move:
// the limit is on how often the venue's stop is replaced, whoever asked.
import { describeError } from '../domain/errors.js';
import { openPartMinProfit, priceForNetPnl } from '../domain/exit-rules.js';
import { parseClientOrderId } from '../domain/order-ids.js';
import { trailingStopLevel } from '../domain/take-profit-plan.js';
import type { Position } from '../domain/trading.js';
import { closedPartsNetPnl } from './closed-parts.js';
import type { EngineContext } from './engine-context.js';
import type { StopReplacer } from './stop-replacement.js';

export class VenueTrailing {
  constructor(
    private readonly ctx: EngineContext,
    private readonly mover: StopReplacer,
  ) {}

  /**
   * Moves the position's venue stop if the trail says so; returns the position as it is now (with the new stop when
   * it moved). Never throws: a failed move leaves the old stop, which still protects.
   */
  async follow(position: Position, markPrice: number): Promise<Position> {
    const { settings, clock, marketData, logger } = this.ctx;
    const venue = settings.exits.venue?.trailing;
    const trailPct = settings.exits.trailingStopPct;
    if (!venue || trailPct === undefined || position.status !== 'open' || position.bestPrice === undefined) return position;
    try {
      const market = await marketData.market(position.symbol);
      const closedParts = await closedPartsNetPnl(this.ctx.store.orders, position, settings.costs.takerFeeRate);
      const level = trailingStopLevel(position.side, position.entryPrice, position.bestPrice, position.stopPrice, markPrice, {
        trailPct,
        activationPct: settings.exits.trailingActivationPct ?? 0,
        minStepPct: venue.minStepPct,
        tickSize: market.tickSize,
        minMarkDistancePct: venue.minMarkDistancePct,
        minProfitPrice: priceForNetPnl(position, openPartMinProfit(settings.exits.minProfitUsd, closedParts), settings.costs),
      });
      if (level === undefined) return position;
      const last = await this.lastReplacedAt(position);
      if (last !== undefined && clock.now().getTime() - last < venue.minIntervalMs) return position;
      const outcome = await this.mover.replace(position, { triggerPrice: level, why: 'trailing' });
      return outcome.position;
    } catch (error) {
      logger.warn({ positionId: position.id, symbol: position.symbol, error: describeError(error) }, 'could not move the trailing stop on the venue');
      return position;
    }
  }

  /** When the position's stop was last replaced, or a replacement tried (ms), from the store; undefined before the first. */
  private async lastReplacedAt(position: Position): Promise<number | undefined> {
    const { store, settings } = this.ctx;
    let last: number | undefined;
    for (const order of await store.orders.forPosition(position.id)) {
      const parsed = parseClientOrderId(settings.orderIdPrefix, order.clientOrderId);
      // Version 0 is the stop placed with the entry, not a move.
      if (parsed?.purpose !== 'stop' || parsed.version === 0) continue;
      last = Math.max(last ?? 0, order.createdAt.getTime());
    }
    return last;
  }
}
