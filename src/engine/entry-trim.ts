// Holds an entry to its limits at the price it really filled. The risk manager sizes an entry for the range of prices
// its immediate-or-cancel order can fill at, but a short's sell takes any better bid: a market that jumps while the
// order is on its way fills it higher, with more notional, margin and loss at the stop than the limits allow. What
// goes beyond them is closed at once, after the stop protects the whole fill; then the stop is re-armed for the rest
// (placed and verified before the old one is cancelled) and the record shrinks with it.
import { describeError } from '../domain/errors.js';
import type { MarketSpec } from '../domain/market.js';
import { roundToStep, usd } from '../domain/money.js';
import { currentStopId, entryTrimId, parseClientOrderId } from '../domain/order-ids.js';
import type { EntryPlan, FilledEntry, RiskManager } from '../domain/risk-manager.js';
import type { Position } from '../domain/trading.js';
import type { OrderResult } from '../ports/exchange.js';
import type { PositionCloser } from './close-position.js';
import { recordClosedPart } from './closed-parts.js';
import type { EngineContext } from './engine-context.js';
import type { IncidentTracker } from './incidents.js';
import { PROTECTIVE_ORDER_RETRY, retryTemporary } from './retry.js';
import type { StopReplacer } from './stop-replacement.js';

export class EntryTrim {
  constructor(
    private readonly ctx: EngineContext,
    private readonly risk: RiskManager,
    private readonly closer: PositionCloser,
    private readonly replacer: StopReplacer,
    private readonly incidents: IncidentTracker,
  ) {}

  /**
   * For a position whose stop rests, verified, for the whole fill. Returns the position as it stands afterwards: the
   * same when the fill keeps every limit, smaller when the excess was closed, undefined when none of it could be kept
   * (or a partial fill is too small to reach the minimum profit) and the whole position was closed.
   */
  async keepWithinLimits(position: Position, plan: EntryPlan, market: MarketSpec): Promise<Position | undefined> {
    // The minimum-profit reach was checked at the planned size: a fill of a small part of it may need a move no
    // market makes to net the minimum profit, and would then only ever end at its stop.
    const outOfReach = position.quantity < plan.quantity ? this.risk.minProfitOutOfReach(position.side, position.entryPrice, position.quantity) : undefined;
    if (outOfReach !== undefined) {
      await this.incidents.notice(
        `trim:${position.id}`,
        'warning',
        `${position.symbol} ${position.side.toUpperCase()} filled only ${position.quantity} of the ${plan.quantity} planned, at ${position.entryPrice}: ` +
          `${outOfReach}, so it could only end at its stop. It is closed at market; its stop covers it until then.`,
      );
      await this.closer.close({ position, reason: 'entry_too_small' });
      return undefined;
    }
    const allowed = this.risk.quantityWithinLimitsAtFill(plan, this.filled(position), market);
    const { low, high } = plan.sizedWith.fills;
    return this.keep(position, allowed, `outside the ${low}-${high} its size was checked for`, market);
  }

  /**
   * The same for an entry a restart finished: the plan did not survive, the notional it was checked for did (on the
   * entry order's record).
   */
  keepWithinCheckedNotional(position: Position, checkedNotional: number, market: MarketSpec): Promise<Position | undefined> {
    const allowed = this.risk.quantityWithinCheckedNotional(checkedNotional, this.filled(position), market);
    const beyond = `${usd(position.quantity * position.entryPrice)} of notional where its size was checked for up to ${usd(checkedNotional)}`;
    return this.keep(position, allowed, beyond, market);
  }

  /**
   * An entry a restart finished whose cut back to its limits had filled before the crash: the opener held it to its
   * limits at the fill, so it is not measured again. What the crash may have left undone is the stop's re-arm for the
   * size kept (the stop for the whole fill rests, larger than the position, and Hyperliquid will not close a position
   * with it), the cut's record as a filled exit, and the entry fee's share of what is kept (the restart wrote the whole
   * fill's fee back), and the owner, never told of the cut, is told now. `entry` is what the entry filled and the fee
   * the venue charged for all of it; `cut` is the cut as the venue has it.
   */
  async resumeAfterCut(position: Position, entry: { readonly filled: number; readonly fee?: number | undefined }, cut: OrderResult): Promise<Position> {
    const { orderIdPrefix } = this.ctx.settings;
    const head =
      `${position.symbol} ${position.side.toUpperCase()} filled ${entry.filled} at ${position.entryPrice}, beyond its limits (the price moved while ` +
      `the order was on its way); ${cut.filledQuantity} was closed at market before a restart, and ${position.quantity} is kept`;
    const share = (fee: number): number => (entry.filled > 0 ? (fee * position.quantity) / entry.filled : fee);
    // The re-arm had gone through: the record names the new stop, sized for what is kept. Its fee was the kept share
    // then; the restart wrote the venue's fee for the whole fill over it, or, when the venue could not tell, left it.
    if ((parseClientOrderId(orderIdPrefix, currentStopId(orderIdPrefix, position))?.version ?? 0) > 0) {
      const keptFee = entry.fee === undefined ? position.entryFee : share(entry.fee);
      const kept = keptFee === position.entryFee ? position : await this.ctx.store.positions.update(position.id, { entryFee: keptFee });
      await this.recordCut(kept, cut);
      await this.incidents.notice(`trim:${position.id}`, 'warning', `${head}, its stop at ${position.stopPrice} covering exactly that.`);
      return kept;
    }
    // Not re-armed: the record's fee is the whole fill's, the venue's or the one recorded before the crash.
    const wholeFee = entry.fee ?? position.entryFee;
    const outcome = await this.replacer.replace(position, {
      quantity: position.quantity,
      patch: { entryFee: share(wholeFee) },
      why: 'entry cut back to its limits, re-armed after a restart',
      alert: false,
    });
    if (!outcome.replaced) {
      // The record goes back to the whole fill its stop covers, as the opener leaves it when its own re-arm fails:
      // each position check then sees the venue hold less, re-arms the stop for what is left (venue-changes.ts) and
      // writes the cut down with the fee's share.
      const whole = await this.ctx.store.positions.update(position.id, { quantity: entry.filled, entryFee: wholeFee });
      await this.incidents.notice(
        `trim:${position.id}`,
        'critical',
        `${head}. Its stop, placed for the whole fill, could not be re-armed for ${position.quantity} yet (${outcome.error}); every position check tries again.`,
      );
      return whole;
    }
    await this.recordCut(outcome.position, cut);
    await this.incidents.notice(`trim:${position.id}`, 'warning', `${head}, and its stop at ${outcome.position.stopPrice} covers exactly that.`);
    return outcome.position;
  }

  private filled(position: Position): FilledEntry {
    return { side: position.side, price: position.entryPrice, quantity: position.quantity, stopPrice: position.stopPrice };
  }

  /** `beyond`: how the fill went past what the entry's size was checked for, in words. */
  private async keep(position: Position, allowed: number, beyond: string, market: MarketSpec): Promise<Position | undefined> {
    if (allowed >= position.quantity) return position;
    // An order below the venue's minimum cannot be sent: a cut that small takes the minimum instead.
    const excess = Math.max(roundToStep(position.quantity - allowed, market.amountStep, 'nearest'), market.minAmount);
    const kept = roundToStep(position.quantity - excess, market.amountStep, 'nearest');
    const head = `${position.symbol} ${position.side.toUpperCase()} filled ${position.quantity} at ${position.entryPrice}, ${beyond} (the price moved while the order was on its way)`;
    if (allowed === 0 || kept < market.minAmount) {
      // A stop band with no tick at the fill is no question of size: the fill may even be smaller than planned.
      const band = this.risk.noStopFits(this.filled(position), market);
      const told =
        band === undefined
          ? `${head}. At that price no size the exchange allows keeps margin and the loss at the stop within their limits`
          : `${position.symbol} ${position.side.toUpperCase()} filled ${position.quantity} at ${position.entryPrice}: ${band}`;
      await this.incidents.notice(`trim:${position.id}`, 'warning', `${told}, so the position is closed at market.`);
      await this.closer.close({ position, reason: 'entry_beyond_limits' });
      return undefined;
    }
    const cut = await this.sendCut(position, excess).catch((error: unknown) => describeError(error));
    if (typeof cut === 'string' || cut.filledQuantity <= 0) {
      // Kept whole, it would hold more margin and loss at the stop than the limits allow for as long as it is open:
      // nothing cuts an open position again. Closed whole instead (the closer retries at every check until it goes
      // through), under the stop that covers all of it.
      const why = typeof cut === 'string' ? cut : `the exchange filled none of it (${cut.status})`;
      await this.incidents.notice(
        `trim:${position.id}`,
        'critical',
        `${head}. Closing the ${excess} beyond its limits failed: ${why}. So the whole position is closed at market; its stop covers all of it until then.`,
      );
      await this.closer.close({ position, reason: 'entry_beyond_limits' });
      return undefined;
    }
    // A venue whose market order is a capped limit (Hyperliquid, Bybit) may fill only part of it: the stop follows what is left.
    const left = roundToStep(position.quantity - cut.filledQuantity, market.amountStep, 'nearest');
    // Isolated margin and the entry fee's share shrink with the size (as after a ladder step); the liquidation price
    // does not move.
    const outcome = await this.replacer.replace(position, {
      quantity: left,
      patch: { margin: (position.margin * left) / position.quantity, entryFee: (position.entryFee * left) / position.quantity },
      why: 'entry cut back to its limits',
      alert: false,
    });
    const closed =
      left > kept
        ? `${cut.filledQuantity} of the ${excess} beyond its limits was closed at market; the rest did not fill, so the limits are still exceeded by ${roundToStep(left - kept, market.amountStep, 'nearest')} (the daemon does not cut again; /close closes the whole position)`
        : `${cut.filledQuantity} was closed at market so margin and the loss at the stop stay within their limits`;
    const told = `${head}. ${closed}; ${left} is kept`;
    if (!outcome.replaced) {
      // The stop for the whole fill still rests. Binance and Bybit close the rest with a reduce-only order larger than
      // the position; Hyperliquid refuses one, so there the rest may be bare until the position check, which follows
      // the smaller size, re-arms it.
      await this.incidents.notice(
        `trim:${position.id}`,
        'critical',
        `${told}. Its stop, placed for the whole fill, could not be re-armed for ${left} yet (${outcome.error}); every position check tries again.`,
      );
      return position;
    }
    await this.recordCut(position, cut);
    await this.incidents.notice(`trim:${position.id}`, 'warning', `${told}, and its stop at ${outcome.position.stopPrice} covers exactly that.`);
    return outcome.position;
  }

  /**
   * The cut, written as a filled exit of the position once the record has shrunk with it: the exit rules, the capped
   * share and the day's carry count what closed parts realised from those records (as a ladder step's), and the entry
   * fee left on the position is only what is kept. When the re-arm fails the record keeps the whole fill, and the size
   * check that shrinks it writes the part then. The trade is booked from the fills, as before.
   */
  private recordCut(position: Position, cut: OrderResult): Promise<void> {
    const clientOrderId = entryTrimId(this.ctx.settings.orderIdPrefix, position.id);
    const { quantity, filledQuantity, averagePrice, fee, id: exchangeOrderId } = cut;
    return recordClosedPart(this.ctx, position, { clientOrderId, quantity, filledQuantity, averagePrice, fee, exchangeOrderId }, 'the cut of the entry');
  }

  /**
   * The reduce-only cut, retried while the venue is busy. Before each resend the venue is asked for it by client id:
   * a cut that landed although its answer was lost must not be sent twice (a filled id may be reused on some venues).
   */
  private sendCut(position: Position, quantity: number): Promise<OrderResult> {
    const { exchange, clock, settings } = this.ctx;
    const id = entryTrimId(settings.orderIdPrefix, position.id);
    let attempt = 0;
    return retryTemporary(
      clock,
      async () => {
        attempt += 1;
        const landed = attempt > 1 ? await exchange.findOrder(id, position.symbol) : undefined;
        return landed ?? (await exchange.closePosition({ clientOrderId: id, symbol: position.symbol, positionSide: position.side, quantity }));
      },
      PROTECTIVE_ORDER_RETRY,
    );
  }
}
