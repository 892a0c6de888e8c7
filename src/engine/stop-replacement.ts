// Replaces a position's venue stop (a trailing move, a re-arm for the size left after a partial take-profit) without
// a moment of open quantity unprotected: the new stop goes out under a new versioned client id, is verified among the
// open orders, becomes the position's current stop in the store, and only then is the old one cancelled. When the new
// one cannot be placed or verified, the old one stays and the owner is told once.
//
// A restart between any two steps is safe: before the store names the new stop, reconciliation finds the old one
// current and cancels the unrecorded new one as superseded; after, it cancels the old one. Both are reduce-only, so
// two resting for a while can never open a position.
import { currentStopId } from '../domain/order-ids.js';
import type { Position } from '../domain/trading.js';
import type { PositionPatch } from '../ports/store.js';
import type { EngineContext } from './engine-context.js';
import type { IncidentTracker } from './incidents.js';
import type { OrderHousekeeping } from './order-housekeeping.js';
import type { ProtectiveStopPlacer } from './protective-stop.js';
import { PROTECTIVE_ORDER_RETRY } from './retry.js';

export interface StopChange {
  /** The new trigger, on the tick; the current one when absent. */
  readonly triggerPrice?: number;
  /** The quantity the new stop covers (what is left after a partial fill); the position's when absent. */
  readonly quantity?: number;
  /** Why, for the log and the alert ("trailing", "re-arm after step 1"). */
  readonly why: string;
  /** More of the position's record that changes with the new stop (a new size's entry, fees, margin), written in the same update that makes it current. */
  readonly patch?: PositionPatch;
  /** Whether a refusal raises the stop-replacement alert; a caller that tells the owner itself passes false. */
  readonly alert?: boolean;
}

export type StopReplacement =
  | { readonly replaced: true; readonly position: Position; readonly clientOrderId: string }
  | { readonly replaced: false; readonly position: Position; readonly error: string };

export class StopReplacer {
  /**
   * Superseded stops whose cancel failed at every try, by client id: the loop tries each again at its next pass
   * (`cancelSuperseded`), with a look-up and a cancel of that one symbol. Reconciliation would also find them, but
   * it needs every position's and symbol's answers at once, which a flaky venue rarely gives in one pass.
   */
  private readonly superseded = new Map<string, string>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly stops: ProtectiveStopPlacer,
    private readonly orders: OrderHousekeeping,
    private readonly incidents: IncidentTracker,
  ) {}

  async replace(position: Position, change: StopChange): Promise<StopReplacement> {
    const { store, settings, logger } = this.ctx;
    const oldId = currentStopId(settings.orderIdPrefix, position);
    const newId = await this.stops.nextStopId(position);
    const quantity = change.quantity ?? position.quantity;
    const triggerPrice = change.triggerPrice ?? position.stopPrice;
    const candidate: Position = { ...position, stopClientOrderId: newId, stopPrice: triggerPrice, quantity };
    const outcome = await this.stops.protect(candidate, { checkQuantity: true });
    if (!outcome.protected) {
      // The old stop still rests and protects; a new one that landed unverified is taken back if it can be.
      await this.orders.cancelOrderOfOurs(position.symbol, newId);
      const error = `${position.symbol}: the stop could not be moved (${change.why}): ${outcome.error}. The stop at ${position.stopPrice} stays.`;
      if (change.alert !== false) await this.incidents.raise(`stop-replace:${position.id}`, 'warning', error);
      return { replaced: false, position, error };
    }
    // The step that makes the new stop current: from here a restart keeps it and cancels the old one.
    const updated = await store.positions.update(position.id, { ...change.patch, quantity, stopPrice: triggerPrice, stopClientOrderId: newId, stopOrderId: outcome.order.id });
    logger.info({ positionId: position.id, from: oldId, to: newId, triggerPrice, quantity, why: change.why }, 'stop replaced; cancelling the old one');
    // A failed cancel is tried again at once, at the pace of a protective order: both stops are reduce-only, but the
    // old one (the looser trigger, the larger size) should not rest beside the new one until the next reconciliation.
    // When every try fails, both rest for a while: the loop's next passes try again, and so does reconciliation.
    if (!(await this.orders.cancelOrderOfOurs(position.symbol, oldId, PROTECTIVE_ORDER_RETRY))) this.superseded.set(oldId, position.symbol);
    if (this.incidents.isOpen(`stop-replace:${position.id}`)) {
      await this.incidents.clear(`stop-replace:${position.id}`, `${position.symbol}: the stop now rests at ${triggerPrice} for ${quantity}.`);
    }
    return { replaced: true, position: updated, clientOrderId: newId };
  }

  /** How many superseded stops still wait for their cancel. */
  get supersededWaiting(): number {
    return this.superseded.size;
  }

  /** Tries again to cancel each superseded stop whose cancel failed; one that is gone already counts as done. */
  async cancelSuperseded(): Promise<void> {
    for (const [clientOrderId, symbol] of [...this.superseded]) {
      if (await this.orders.cancelOrderOfOurs(symbol, clientOrderId)) this.superseded.delete(clientOrderId);
    }
  }
}
