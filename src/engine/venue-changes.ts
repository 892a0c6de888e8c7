// What the venue or the owner changed under an open position between two checks, put right before the exit rules
// run: a stop that is gone (the venue cancelled or expired it, or the owner cancelled or moved it by hand), size the
// owner added by hand, and size the venue or the owner took off (a partial auto-deleveraging, a partial hand close).
import { describeError } from '../domain/errors.js';
import { adverseDistance, roundToStep } from '../domain/money.js';
import { clientOrderId, currentStopId, entryTrimId, parseClientOrderId } from '../domain/order-ids.js';
import { positionAfterFill } from '../domain/position-after-fill.js';
import { adoptedHolding, fillsFromEntry } from '../domain/settlement.js';
import { heldFromFills, reducedPart, type ReducedPart } from '../domain/size-change.js';
import type { Position } from '../domain/trading.js';
import type { ExchangePosition } from '../ports/exchange.js';
import { recordClosedPart } from './closed-parts.js';
import type { EngineContext } from './engine-context.js';
import type { IncidentTracker } from './incidents.js';
import type { PositionFills } from './position-fills.js';
import type { ProtectiveStopPlacer } from './protective-stop.js';
import type { OrphanPolicy, Reconciler } from './reconcile.js';
import type { StopReplacer } from './stop-replacement.js';
import type { TakeProfitOrders } from './take-profit-order.js';
import { venueCloseReason } from './trade-booker.js';

const usd = (value: number): string => `${value < 0 ? '-' : ''}$${Math.abs(value).toFixed(2)}`;

export class VenueChanges {
  constructor(
    private readonly ctx: EngineContext,
    private readonly stops: ProtectiveStopPlacer,
    private readonly reconciler: Reconciler,
    private readonly replacer: StopReplacer,
    private readonly fills: PositionFills,
    private readonly incidents: IncidentTracker,
    private readonly orphanPolicy: OrphanPolicy,
    private readonly targets: TakeProfitOrders,
  ) {}

  /**
   * Both checks; returns the position as it stands afterwards, or `stopFired` when its stop filled: the position is
   * closed, and whatever the venue still shows on its symbol and side (a late report, or a position the owner opened
   * since) is not to be followed as its size. A failed look-up is logged and the exit rules still run (the next check
   * tries again).
   */
  async putRight(position: Position, live: ExchangePosition): Promise<Position | 'stopFired'> {
    try {
      const protectedNow = await this.keepProtected(position);
      if (protectedNow === 'stopFired') return 'stopFired';
      return await this.followSize(protectedNow, live);
    } catch (error) {
      this.ctx.logger.warn({ positionId: position.id, symbol: position.symbol, error: describeError(error) }, 'could not compare the position with the venue');
      return position;
    }
  }

  /**
   * Our stop must rest on the venue at every check, also while a close has not gone through (the venue may drop a
   * stop as it refuses the close: an expiry, a margin change, the owner's app). When it is gone and did not fire, it
   * is placed again and verified (the reconciler's repair, with its one alert); the owner's own stop is left alone.
   * Returns the position as it stands afterwards (a stop placed again may rest under a new client id), or `stopFired`.
   */
  async keepProtected(position: Position): Promise<Position | 'stopFired'> {
    if ((position.status !== 'open' && position.status !== 'closing') || (await this.stops.isProtected(position))) return position;
    const stopId = currentStopId(this.ctx.settings.orderIdPrefix, position);
    const stop = await this.ctx.exchange.findOrder(stopId, position.symbol);
    if (stop?.status === 'filled') return 'stopFired';
    // Filled in part and no longer resting: not missing either; the size check below follows what is left.
    if (stop && stop.filledQuantity > 0) return position;
    this.ctx.logger.warn({ positionId: position.id, symbol: position.symbol, status: stop?.status }, 'the protective stop is gone from the venue; placing it again');
    await this.reconciler.restoreStop(position);
    return (await this.ctx.store.positions.get(position.id)) ?? position;
  }

  /** Whether the position's current stop filled (the position it protected is closed). */
  stopFired(position: Position): Promise<boolean> {
    return this.stops.hasFired(position);
  }

  /** Whether the position's final target filled (the position it covered is closed); never throws. */
  finalTargetFilled(position: Position): Promise<boolean> {
    return this.targets.filledWhileAway(position);
  }

  /**
   * After the stop filled, with the fills not showing the position flat. When they account for what the venue holds
   * (size added by hand before the stop fired: its fill and the stop's are both listed), that holding is the
   * position's: its stop is re-armed for it under a new id, or, when no stop can be had, it is closed at market.
   * Undefined while they do not (the stop's fill not listed yet): what the venue shows may be a position the owner
   * opened since, and nothing is done to it.
   */
  async keepRest(position: Position, live: ExchangePosition): Promise<Position | 'closed' | undefined> {
    const history = await this.history(position).catch(() => undefined);
    if (!history) return undefined;
    const market = await this.ctx.marketData.market(position.symbol);
    const held = heldFromFills(position.side, history);
    if (held.quantity < market.amountStep / 2 || Math.abs(held.quantity - live.quantity) >= market.amountStep / 2) return undefined;
    const head = `${position.symbol}: the ${position.side.toUpperCase()} position's stop filled, and ${live.quantity} added by hand before it is still on the exchange`;
    const outcome = await this.replacer.replace(position, {
      quantity: live.quantity,
      patch: {
        entryPrice: held.entry.averagePrice,
        entryFee: held.entry.fees,
        ...(live.margin === undefined ? {} : { margin: live.margin }),
        ...(live.liquidationPrice === undefined ? {} : { liquidationPrice: live.liquidationPrice }),
      },
      why: 'the stop filled under size added by hand',
      alert: false,
    });
    if (outcome.replaced) {
      await this.incidents.notice(`rest:${position.id}`, 'warning', `${head}; it is kept as the position, with a stop at ${outcome.position.stopPrice} for exactly that. The trade books all of it when it closes.`);
      return outcome.position;
    }
    await this.trimAdded(position, live.quantity, `${head}; no stop could be placed for it (${outcome.error}), so it was closed at market.`);
    return 'closed';
  }

  /** The venue holds more or less than the record: size added by hand, or size the venue or the owner took off. */
  private async followSize(position: Position, live: ExchangePosition): Promise<Position> {
    if (position.status !== 'open') return position;
    const market = await this.ctx.marketData.market(position.symbol);
    const change = roundToStep(live.quantity - position.quantity, market.amountStep, 'nearest');
    if (change >= market.amountStep) return this.followAdded(position, live, change);
    if (-change >= market.amountStep) return this.followReduced(position, live, -change);
    return position;
  }

  /**
   * Size added by hand. ORPHAN_POSITION_POLICY=adopt: the position takes it in (average entry from the fills) and its
   * stop is re-armed for the whole size, at the tighter of its current price and the stop distance from the new
   * average entry; place-and-verify comes before the old stop is cancelled. Then, with the stop in place, the final
   * take-profit order is resized to the whole size, or part of the position would have no target on the venue.
   * `close`, or when the new stop cannot be had: the added part is closed at market, as unknown size is never kept
   * without a stop.
   */
  private async followAdded(position: Position, live: ExchangePosition, added: number): Promise<Position> {
    const head = `${position.symbol}: ${added} was added by hand to the ${position.side.toUpperCase()} position on the exchange`;
    if (this.orphanPolicy !== 'adopt') {
      await this.trimAdded(position, added, `${head}; the added part was closed at market (ORPHAN_POSITION_POLICY=close).`);
      return position;
    }
    const { settings } = this.ctx;
    const market = await this.ctx.marketData.market(position.symbol);
    const history = await this.history(position);
    const held = history ? heldFromFills(position.side, history) : undefined;
    // The fills must account for what the venue holds; while they lag, the venue's own average entry stands in.
    const fromFills = held !== undefined && Math.abs(held.quantity - live.quantity) < market.amountStep / 2;
    const entryPrice = fromFills ? held.entry.averagePrice : live.entryPrice;
    const terms = positionAfterFill(
      {
        side: position.side,
        entryPrice,
        quantity: live.quantity,
        leverage: position.leverage,
        stopLossPct: position.stopLossPct,
        entryFee: fromFills ? held.entry.fees : position.entryFee,
        margin: live.margin,
        liquidationPrice: live.liquidationPrice,
      },
      market,
      { band: settings.risk, takerFeeRate: settings.costs.takerFeeRate },
    );
    // Never looser than the stop the position had: it may have trailed, and the owner's add is not a reason to risk more.
    const stopPrice = position.side === 'long' ? Math.max(terms.stopPrice, position.stopPrice) : Math.min(terms.stopPrice, position.stopPrice);
    const price = live.markPrice ?? (await this.ctx.marketData.markPrice(position.symbol));
    if (adverseDistance(position.side, price, stopPrice) <= 0) {
      await this.trimAdded(position, added, `${head}; a stop for the whole size at ${stopPrice} would trigger at once, so the added part was closed at market.`);
      return position;
    }
    const { bestPrice: _fromEntry, ...newTerms } = terms;
    const { stopPrice: _rearmed, quantity, ...patch } = newTerms;
    const outcome = await this.replacer.replace(position, { triggerPrice: stopPrice, quantity, patch, why: 'the owner added size', alert: false });
    if (!outcome.replaced) {
      await this.trimAdded(position, added, `${head}; its stop could not be re-armed for the whole size (${outcome.error}), so the added part was closed at market.`);
      return position;
    }
    // The stop covers the whole size; the target follows (never before the stop).
    if (this.targets.wanted(outcome.position)) await this.targets.resize(outcome.position);
    await this.incidents.notice(
      `added:${position.id}`,
      'warning',
      `${head}; the position now holds ${live.quantity} at an average entry of ${roundToStep(entryPrice, market.tickSize, 'nearest')}, and its stop at ${stopPrice} covers the whole size ` +
        '(ORPHAN_POSITION_POLICY=adopt).',
    );
    return outcome.position;
  }

  private async trimAdded(position: Position, added: number, message: string): Promise<void> {
    const { exchange, clock, settings } = this.ctx;
    await exchange.closePosition({ clientOrderId: `${settings.orderIdPrefix}-orphan-${clock.now().getTime()}`, symbol: position.symbol, positionSide: position.side, quantity: added });
    await this.incidents.notice(`added:${position.id}`, 'warning', message);
  }

  /**
   * Size the venue (a partial auto-deleveraging or liquidation) or the owner took off. A reduce-only stop larger than
   * the position is not relied on (a venue may refuse it when it triggers), so the stop is re-armed for what is left,
   * the record shrinks to the venue's size, and the owner is told once what the part taken off realised; the trade
   * itself is booked from all the fills when the rest closes. A reduction by an order of ours (a take-profit step) is
   * that order's owner's business, and one whose fills the venue has not reported yet waits for the next check.
   */
  private async followReduced(position: Position, live: ExchangePosition, reduced: number): Promise<Position> {
    const history = await this.history(position);
    if (!history) return position;
    const held = heldFromFills(position.side, history);
    const part = reducedPart(position.side, held.entry, held.exits, reduced);
    if (!part) return position;
    // The cut of an entry back to its limits is followed here when its own re-arm did not get that far.
    const trimId = entryTrimId(this.ctx.settings.orderIdPrefix, position.id);
    // A ladder step or our close took it: their owners follow the size (the ladder re-arms the stop, the close is
    // retried). Our stop or final target that filled in part and ended (a capped fill in a fast market) has nobody
    // else to re-arm the stop for what is left, so it is followed here.
    const followedElsewhere = part.fills.some((fill) => {
      const parsed = parseClientOrderId(this.ctx.settings.orderIdPrefix, fill.clientOrderId);
      return parsed !== undefined && (parsed.purpose === 'close' || parsed.step !== undefined);
    });
    if (followedElsewhere || (await this.ladderStepUnrecorded(position))) return position;
    const outcome = await this.replacer.replace(position, {
      quantity: live.quantity,
      patch: {
        // The rest is valued on its own share of the entry fee, as after a take-profit step (the trade is booked from
        // all the fills): with the whole fee a small winner reads as a loser, outside the minimum-profit band.
        entryFee: (position.entryFee * live.quantity) / position.quantity,
        ...(live.margin === undefined ? {} : { margin: live.margin }),
        ...(live.liquidationPrice === undefined ? {} : { liquidationPrice: live.liquidationPrice }),
      },
      why: 'size taken off by the venue or the owner',
      alert: false,
    });
    const lastId = part.fills[part.fills.length - 1]?.clientOrderId;
    const by = lastId === trimId ? 'the cut of its entry back to the risk limits' : this.reducedBy(lastId);
    // On the market's tick: a coin worth a fraction of a cent would read "at 0.00" to two decimals.
    const { tickSize } = await this.ctx.marketData.market(position.symbol);
    const what = `${position.symbol}: ${by} took ${part.quantity} of the ${position.side.toUpperCase()} position at ${roundToStep(part.averagePrice, tickSize, 'nearest')}, realising ${usd(part.netPnl)} after ${usd(part.fees + part.entryFeeShare)} in fees (its exit fees and its share of the entry fee)`;
    if (!outcome.replaced) {
      await this.incidents.raise(`reduced:${position.id}`, 'critical', `${what}; the stop could not be re-armed for the remaining ${live.quantity} (${outcome.error}). Trying again at every check.`);
      return position;
    }
    await this.recordPart(position, part);
    // A reduce-only target larger than the position is not relied on either: it follows the stop to what is left.
    if (this.targets.wanted(outcome.position)) await this.targets.resize(outcome.position);
    const told = `${what}. ${live.quantity} is left, and its stop at ${position.stopPrice} now covers exactly that; the trade books all of it when the rest closes.`;
    // After failed attempts the re-arm is their all-clear; otherwise it is news of its own.
    if (this.incidents.isOpen(`reduced:${position.id}`)) await this.incidents.clear(`reduced:${position.id}`, told);
    else await this.incidents.notice(`reduced:${position.id}`, 'warning', told);
    return outcome.position;
  }

  /**
   * Whether a ladder step of ours filled (in part) on the venue and is not yet recorded as filled: the ladder follows
   * that reduction (the order the venue creates when a conditional order triggers carries the venue's client id, not
   * ours, so the fill alone does not say it was ours). A step recorded as filled earlier says nothing about this one,
   * which is followed here whether the ladder is still configured or not. A step that cannot be looked up waits.
   */
  private async ladderStepUnrecorded(position: Position): Promise<boolean> {
    const { orderIdPrefix } = this.ctx.settings;
    const steps = (await this.ctx.store.orders.forPosition(position.id)).filter(
      (order) => order.purpose === 'tp' && order.status !== 'filled' && parseClientOrderId(orderIdPrefix, order.clientOrderId)?.step !== undefined,
    );
    for (const step of steps) {
      const order = await this.ctx.exchange.findOrder(step.clientOrderId, position.symbol).catch(() => 'unknown' as const);
      if (order === 'unknown' || (order && (order.status === 'filled' || order.filledQuantity > 0))) return true;
    }
    return false;
  }

  /**
   * The part taken off, written as a filled exit of the position: the exit rules count what earlier parts realised
   * from those records (the minimum-profit band judges the whole trade), as they count a ladder step's. Its client id
   * is no order of ours on the venue (nothing looks it up); the trade is booked from the fills as before.
   */
  private recordPart(position: Position, part: ReducedPart): Promise<void> {
    const clientOrderId = `${this.ctx.settings.orderIdPrefix}-${position.id}-part-${this.ctx.clock.now().getTime()}`;
    return recordClosedPart(this.ctx, position, { clientOrderId, quantity: part.quantity, filledQuantity: part.quantity, averagePrice: part.averagePrice, fee: part.fees }, 'the part taken off');
  }

  private reducedBy(id: string | undefined): string {
    const ours = parseClientOrderId(this.ctx.settings.orderIdPrefix, id)?.purpose;
    if (ours === 'stop') return 'its stop, filled in part,';
    if (ours === 'tp') return 'its take-profit order, filled in part,';
    const reason = venueCloseReason(id);
    if (reason === 'adl') return "the venue's auto-deleveraging";
    if (reason === 'liquidation') return "the venue's liquidation engine";
    if (reason === 'settlement') return "the venue's settlement";
    return 'an order by hand';
  }

  /** The symbol's fills from this position's first entry fill on; undefined while the venue shows none. */
  private async history(position: Position) {
    const { store, settings } = this.ctx;
    const [history, entryOrder] = await Promise.all([this.fills.history(position), store.orders.get(clientOrderId(settings.orderIdPrefix, position.id, 'entry'))]);
    return fillsFromEntry({ position, entryOrderId: entryOrder?.exchangeOrderId, fills: history.fills, entrySince: history.openedAt, adopted: adoptedHolding(entryOrder) });
  }
}
