// What the venue or the owner changed under an open position between two checks, put right before the exit rules
// run: a stop that is gone (the venue cancelled or expired it, or the owner cancelled or moved it by hand), size the
// owner added by hand, and the orders a position left behind when the venue closed it (ADL, settlement).
import { describeError } from '../domain/errors.js';
import { roundToStep } from '../domain/money.js';
import { currentStopId } from '../domain/order-ids.js';
import type { Position } from '../domain/trading.js';
import type { ExchangePosition } from '../ports/exchange.js';
import type { EngineContext } from './engine-context.js';
import type { IncidentTracker } from './incidents.js';
import type { OrderHousekeeping } from './order-housekeeping.js';
import type { ProtectiveStopPlacer } from './protective-stop.js';
import type { Reconciler } from './reconcile.js';

export class VenueChanges {
  constructor(
    private readonly ctx: EngineContext,
    private readonly stops: ProtectiveStopPlacer,
    private readonly reconciler: Reconciler,
    private readonly orders: OrderHousekeeping,
    private readonly incidents: IncidentTracker,
  ) {}

  /** Both checks; a failed look-up is logged and the exit rules still run (the next check tries again). */
  async putRight(position: Position, live: ExchangePosition): Promise<void> {
    try {
      await this.keepProtected(position);
      await this.trimAddedSize(position, live);
    } catch (error) {
      this.ctx.logger.warn({ positionId: position.id, symbol: position.symbol, error: describeError(error) }, 'could not compare the position with the venue');
    }
  }

  /**
   * Our stop must rest on the venue at every check. When it is gone and did not fire, it is placed again and
   * verified (the reconciler's repair, with its one alert); the owner's own stop, if any, is left alone.
   */
  private async keepProtected(position: Position): Promise<void> {
    if (position.status !== 'open' || (await this.stops.isProtected(position))) return;
    const stopId = currentStopId(this.ctx.settings.orderIdPrefix, position);
    const stop = await this.ctx.exchange.findOrder(stopId, position.symbol);
    // A stop that fired is not missing: the position is closing on the venue and the next check books it.
    if (stop && (stop.status === 'filled' || stop.filledQuantity > 0)) return;
    this.ctx.logger.warn({ positionId: position.id, symbol: position.symbol, status: stop?.status }, 'the protective stop is gone from the venue; placing it again');
    await this.reconciler.restoreStop(position);
  }

  /**
   * Size the owner added by hand is not covered by our stop (it is sized to our quantity), so it is reduced back at
   * once, whatever ORPHAN_POSITION_POLICY says: one position has one stop, and we never carry quantity without one.
   */
  private async trimAddedSize(position: Position, live: ExchangePosition): Promise<void> {
    if (position.status !== 'open') return;
    const market = await this.ctx.marketData.market(position.symbol);
    const excess = roundToStep(live.quantity - position.quantity, market.amountStep, 'nearest');
    if (excess < market.amountStep) return;
    const { exchange, clock, settings } = this.ctx;
    await exchange.closePosition({ clientOrderId: `${settings.orderIdPrefix}-orphan-${clock.now().getTime()}`, symbol: position.symbol, positionSide: position.side, quantity: excess });
    await this.incidents.notice(
      `added:${position.id}`,
      'warning',
      `${position.symbol}: ${excess} was added by hand to the ${position.side.toUpperCase()} position on the exchange; its stop covers only ` +
        `the daemon's ${position.quantity}, so the added part was closed at market.`,
    );
  }
}
