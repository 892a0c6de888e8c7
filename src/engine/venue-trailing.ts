// The trailing stop on the venue: once the position is far enough in profit, its exchange stop follows the best price
// through the stop replacer (new stop verified before the old one goes). Moves are rate-limited per position, at
// least a minimum step, never nearer the mark than the venue accepts, and never to a level whose fill would be a
// discretionary close inside the protected band: the domain's `trailingStopLevel` decides all of that.
import { describeError } from '../domain/errors.js';
import { priceForNetPnl } from '../domain/exit-rules.js';
import { trailingStopLevel } from '../domain/take-profit-plan.js';
import type { Position } from '../domain/trading.js';
import type { EngineContext } from './engine-context.js';
import type { StopReplacer } from './stop-replacement.js';

export class VenueTrailing {
  /** When each position's stop last moved (or a move was tried): the rate limit, kept in memory. */
  private readonly lastMove = new Map<string, number>();

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
    const now = clock.now().getTime();
    const last = this.lastMove.get(position.id);
    if (last !== undefined && now - last < venue.minIntervalMs) return position;
    try {
      const market = await marketData.market(position.symbol);
      const level = trailingStopLevel(position.side, position.entryPrice, position.bestPrice, position.stopPrice, markPrice, {
        trailPct,
        activationPct: settings.exits.trailingActivationPct ?? 0,
        minStepPct: venue.minStepPct,
        tickSize: market.tickSize,
        minMarkDistancePct: venue.minMarkDistancePct,
        minProfitPrice: priceForNetPnl(position, settings.exits.minProfitUsd, settings.costs),
      });
      if (level === undefined) return position;
      this.lastMove.set(position.id, now);
      if (this.lastMove.size > 64) this.lastMove.delete(this.lastMove.keys().next().value as string);
      const outcome = await this.mover.replace(position, { triggerPrice: level, why: 'trailing' });
      return outcome.position;
    } catch (error) {
      logger.warn({ positionId: position.id, symbol: position.symbol, error: describeError(error) }, 'could not move the trailing stop on the venue');
      return position;
    }
  }
}
