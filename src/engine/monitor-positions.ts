// One check of every active position: is it still on the exchange, what is it worth, should it close? Also asks
// for an AI exit opinion and sends the position update on their schedules.
import type { ExitVote } from '../domain/analysis.js';
import { describeError } from '../domain/errors.js';
import { combineExitVotes, evaluateExit, inProtectedBand, isDiscretionaryExit, updatedBestPrice, valuePosition } from '../domain/exit-rules.js';
import { adverseDistance, usd } from '../domain/money.js';
import type { Position, Trade } from '../domain/trading.js';
import { FundingLedger } from './funding-ledger.js';
import type { ExchangePosition } from '../ports/exchange.js';
import type { AnalystHealth } from './analyst-health.js';
import type { PositionCloser } from './close-position.js';
import type { PositionFills } from './position-fills.js';
import type { TradeBooker } from './trade-booker.js';
import type { DecisionRecorder } from './decision-recorder.js';
import type { EngineContext } from './engine-context.js';
import type { Reconciler } from './reconcile.js';
import type { SnapshotService } from './snapshots.js';
import type { VenueChanges } from './venue-changes.js';
import type { VenueTrailing } from './venue-trailing.js';
import type { TakeProfitLadder } from './take-profit-ladder.js';
import type { TakeProfitOrders } from './take-profit-order.js';
import { POSITION_READ_RETRY, retryTemporary } from './retry.js';
import { closedPartsNetPnl } from './closed-parts.js';

export interface MonitorResult {
  /** Positions that ended during this check (closed by us or found closed). */
  readonly closed: number;
}

/** Per open position: when it was last reported and asked about, and what its earlier exits took at which size. */
interface PositionMarks {
  update?: number;
  exitCheck?: number;
  parts?: { readonly quantity: number; readonly netPnl: number };
}

export class PositionMonitor {
  private readonly funding: FundingLedger;
  /** When each position last had its update sent and its exit opinion asked: schedule marks, kept in memory. */
  private readonly marks = new Map<string, PositionMarks>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly closer: PositionCloser,
    private readonly booker: TradeBooker,
    private readonly reconciler: Reconciler,
    private readonly snapshots: SnapshotService,
    private readonly decisions: DecisionRecorder,
    private readonly health: AnalystHealth,
    fills: PositionFills,
    private readonly venueChanges?: VenueChanges,
    private readonly trailing?: VenueTrailing,
    private readonly ladder?: TakeProfitLadder,
    private readonly targets?: TakeProfitOrders,
  ) {
    this.funding = new FundingLedger(ctx, fills);
  }

  /** Checks the given active positions (the daemon's read of the store this tick). */
  async check(active: readonly Position[]): Promise<MonitorResult> {
    const { exchange } = this.ctx;
    if (active.length === 0) return { closed: 0 };
    const onExchange = await exchange.positions();
    let closed = 0;
    for (const position of active) {
      try {
        if (await this.checkOne(position, onExchange)) closed += 1;
      } catch (error) {
        this.ctx.logger.error({ positionId: position.id, symbol: position.symbol, error: describeError(error) }, 'position check failed');
      }
    }
    return { closed };
  }

  private async checkOne(position: Position, onExchange: readonly ExchangePosition[]): Promise<boolean> {
    if (position.status === 'opening') return this.reconciler.resumeOpening(position, onExchange);
    if (position.status === 'closing') return this.retryClose(position, onExchange);
    const live = onExchange.find((p) => p.symbol === position.symbol && p.side === position.side);
    // The stop or the target filled on the venue (or the owner closed by hand).
    if (!live) return this.bookClosed(position);
    // Our final target filled, yet the venue holds the side at another size: the owner's position opened since (its
    // fills lagging the reconciliation), or size added by hand before the fill. Handled as after a fired stop, never
    // as ours to protect or exit (a look-up only when the sizes differ, beyond a float's residue: this runs every check).
    const resized = Math.abs(live.quantity - position.quantity) > position.quantity * 1e-9;
    if (resized && (await this.venueChanges?.finalTargetFilled(position))) return this.afterStopFired(position, live);
    // A stop that fired explains a smaller holding before a ladder step's fill can (a look-up only in that case).
    const shrunk = live.quantity < position.quantity;
    if (shrunk && this.ladder?.enabled && (await this.venueChanges?.stopFired(position))) return this.afterStopFired(position, live);
    // A ladder step filled on the venue: the stop is re-armed for the rest before anything else looks at the position.
    const afterLadder = shrunk && this.ladder?.enabled ? await this.ladder.afterPartialFill(position, live) : position;
    const current = (await this.venueChanges?.putRight(afterLadder, live)) ?? afterLadder;
    if (current === 'stopFired') return this.afterStopFired(position, live);
    // A step or part recorded on this check: what the earlier exits took is read again, whatever the size says.
    if (current !== position) delete this.markOf(position).parts;
    return this.evaluate(current, live);
  }

  /**
   * A close that did not go through is tried again at every check. A discretionary one was decided on an earlier
   * price: when the position has since become a winner below the minimum profit, and the venue never received that
   * close, it is called off, so no discretionary exit books a small winner. Protection and the owner's close go on.
   */
  private async retryClose(stored: Position, onExchange: readonly ExchangePosition[]): Promise<boolean> {
    const reason = stored.closeReason ?? 'manual';
    // Gone from the venue (the stop or the owner got there first): the close books it; there is nothing to call off.
    const held = onExchange.some((p) => p.symbol === stored.symbol && p.side === stored.side);
    // Whatever the close waits for, what is held keeps its stop; a venue that cannot tell now does not hold the close up.
    // A stop placed again may rest under a new client id: the position is read as it stands afterwards.
    const kept = held
      ? await this.venueChanges?.keepProtected(stored).catch((error: unknown) => {
          this.ctx.logger.warn({ positionId: stored.id, symbol: stored.symbol, error: describeError(error) }, 'could not check the stop of a position being closed');
          return undefined;
        })
      : undefined;
    const position = kept === undefined || kept === 'stopFired' ? stored : kept;
    if (held && isDiscretionaryExit(reason)) {
      const { clock, marketData, settings } = this.ctx;
      const [ticker, funding] = await Promise.all([
        retryTemporary(clock, () => marketData.ticker(position.symbol), POSITION_READ_RETRY),
        retryTemporary(clock, () => this.funding.settled(position), POSITION_READ_RETRY),
      ]);
      const netPnl = valuePosition({ ...position, funding }, ticker.last, settings.costs).netPnl + (await this.closedParts(position));
      const minProfit = settings.exits.minProfitUsd;
      const why = `at ${ticker.last} it would now book ${usd(netPnl)}, a winner below the ${usd(minProfit)} minimum profit that only its stop or the liquidation guard may close`;
      if (inProtectedBand(netPnl, minProfit) && (await this.closer.callOff(position, why))) return false;
    }
    return (await this.closer.close({ position, reason })) !== undefined;
  }

  /** Books a position the venue closed, from its fills. */
  private async bookClosed(position: Position): Promise<boolean> {
    return this.afterBooking(position, await this.booker.bookVanished(position));
  }

  /** When a trade was booked, the orders of its position that are left must not wait. */
  private async afterBooking(position: Position, trade: Trade | undefined): Promise<boolean> {
    if (trade) await this.closer.cancelLeftoverOrders(position);
    return trade !== undefined;
  }

  /**
   * The stop filled, yet the venue shows the symbol and side held: the owner opened a position since, size added by
   * hand before the stop fired is left, or the report lags. Ours is booked from its fills when they show it flat, and
   * what the venue holds is an orphan for reconciliation. Size added before the stop fired is kept as the position,
   * with a stop of its own. Anything else waits for the fills to tell, with nothing sent.
   */
  private async afterStopFired(position: Position, live: ExchangePosition): Promise<boolean> {
    if (await this.afterBooking(position, await this.booker.bookIfFlat(position))) return true;
    const rest = await this.venueChanges?.keepRest(position, live);
    if (rest === undefined || rest === 'closed') return false;
    return this.evaluate(rest, live);
  }

  private async evaluate(position: Position, live: ExchangePosition): Promise<boolean> {
    const { marketData, clock, settings } = this.ctx;
    const now = clock.now();
    const [ticker, markPrice, funding] = await Promise.all([
      retryTemporary(clock, () => marketData.ticker(position.symbol), POSITION_READ_RETRY),
      retryTemporary(clock, () => marketData.markPrice(position.symbol), POSITION_READ_RETRY),
      retryTemporary(clock, () => this.funding.settled(position), POSITION_READ_RETRY),
    ]);
    let price = ticker.last;
    // A trailing stop is a stop: its best price is the mark's, as the venue's stop it moves triggers on the mark (a wick
    // of the last price alone would pull it up against a mark that never went there).
    // The venue's own liquidation price, when it reports one: funding paid out of the isolated margin (or margin the
    // owner added) moves it after the fill, and the guard must watch the level the venue will act on.
    const liquidationPrice = live.liquidationPrice ?? position.liquidationPrice;
    const tracked: Position = { ...position, funding, liquidationPrice, bestPrice: updatedBestPrice(position, markPrice) };
    const realised = await this.closedParts(position);
    let decision = evaluateExit(tracked, { price, markPrice, now }, undefined, settings.exits, settings.costs, realised);
    const mark0 = this.markOf(position);
    const exitDue =
      (mark0.exitCheck === undefined || now.getTime() - mark0.exitCheck >= settings.exits.aiExitIntervalMs) &&
      this.ctx.exitAnalysts.length > 0 &&
      // No AI exit may act inside the protected band, so no paid opinion is asked there.
      !inProtectedBand(valuePosition(tracked, price, settings.costs).netPnl + realised, settings.exits.minProfitUsd);
    let opinion: ExitVote | undefined;
    if (decision.action === 'hold' && exitDue) {
      opinion = await this.exitOpinion(tracked);
      // The models take seconds: the rules decide on the price when their answer came, so the protected band holds
      // at the close and not only at the price from before the call.
      price = (await retryTemporary(clock, () => marketData.ticker(position.symbol), POSITION_READ_RETRY)).last;
      decision = evaluateExit(tracked, { price, markPrice, now: clock.now() }, opinion, settings.exits, settings.costs, realised);
    }
    if (decision.action === 'close') {
      this.ctx.logger.info({ positionId: position.id, symbol: position.symbol, reason: decision.reason, detail: decision.detail }, 'exit rule fired');
      return (await this.closer.close({ position: tracked, reason: decision.reason, seen: live })) !== undefined;
    }
    // Holding: the venue stop may follow the trail (its new level is stored by the move itself).
    const trailed = this.trailing ? await this.trailing.follow(tracked, markPrice) : tracked;
    return this.recordCheck(position, { ...tracked, stopPrice: trailed.stopPrice }, price, markPrice, exitDue);
  }

  private async recordCheck(position: Position, tracked: Position, price: number, markPrice: number, exitDue: boolean): Promise<boolean> {
    const { clock, settings, store, notifier } = this.ctx;
    const now = clock.now();
    const funding = tracked.funding;
    const marks = this.markOf(position);
    const every = settings.exits.updateIntervalMs;
    const updateDue = every > 0 && (marks.update === undefined || now.getTime() - marks.update >= every);
    if (updateDue) marks.update = now.getTime();
    if (exitDue) marks.exitCheck = now.getTime();
    if (updateDue) {
      const value = valuePosition(tracked, price, settings.costs);
      await notifier.notify({
        type: 'position_update',
        at: now,
        position: tracked,
        price,
        unrealizedPnl: value.netPnl,
        unrealizedPct: value.netPct,
        // The stop as it rests now (a trailing move on this very check is already in `tracked`), from the mark it
        // triggers on, as the liquidation's distance is.
        stopDistancePct: adverseDistance(position.side, markPrice, tracked.stopPrice),
        liquidationDistancePct: adverseDistance(position.side, markPrice, tracked.liquidationPrice),
      });
    }
    // Written when something a restart needs has changed (funding, the trailing stop's best price), not on every
    // heartbeat; the schedule marks go along, and after a restart at worst an update or an opinion comes early.
    const trailing = settings.exits.trailingStopPct !== undefined && tracked.bestPrice !== position.bestPrice;
    // Stored amounts are rounded to the database's precision (12 decimals); float noise is not a change, or a venue's
    // unrounded liquidation price would be written at every check.
    const fundingChanged = Math.abs(funding - position.funding) > 1e-9;
    const liquidationMoved = Math.abs(tracked.liquidationPrice - position.liquidationPrice) > position.liquidationPrice * 1e-9;
    // Funding paid moves the resting target's minimum-profit floor.
    if (fundingChanged) await this.targets?.followFunding(tracked);
    if (trailing || fundingChanged || liquidationMoved) {
      await store.positions.update(position.id, {
        funding,
        bestPrice: tracked.bestPrice,
        liquidationPrice: tracked.liquidationPrice,
        lastUpdateAt: marks.update === undefined ? undefined : new Date(marks.update),
        lastExitCheckAt: marks.exitCheck === undefined ? undefined : new Date(marks.exitCheck),
      });
    }
    return false;
  }

  /**
   * The net P&L the position's earlier exits took (take-profit steps, a stop filled in part), read again only when
   * its size has changed: the band of the exit rules holds on the whole trade, as it is booked.
   */
  private async closedParts(position: Position): Promise<number> {
    const marks = this.markOf(position);
    if (marks.parts?.quantity !== position.quantity) {
      const netPnl = await closedPartsNetPnl(this.ctx.store.orders, position, this.ctx.settings.costs.takerFeeRate);
      marks.parts = { quantity: position.quantity, netPnl };
    }
    return marks.parts.netPnl;
  }

  private markOf(position: Position): PositionMarks {
    let marks = this.marks.get(position.id);
    if (!marks) {
      marks = { update: position.lastUpdateAt?.getTime(), exitCheck: position.lastExitCheckAt?.getTime() };
      this.marks.set(position.id, marks);
      // Marks of closed positions are not needed; the map stays as small as the open positions.
      if (this.marks.size > 32) this.marks.delete(this.marks.keys().next().value as string);
    }
    return marks;
  }

  /** Asks the exit analysts and combines their answers by the domain's rule. */
  private async exitOpinion(position: Position): Promise<ExitVote | undefined> {
    const snapshot = await this.snapshots.snapshot(position.symbol);
    const votes = await Promise.all(this.ctx.exitAnalysts.map((analyst) => analyst.exitOpinion(position, snapshot)));
    await this.decisions.recordExitVotes(position, snapshot.price, votes);
    // While a position is open no scan runs, so an exit opinion is how an analyst's outage, or its end, is seen.
    for (const vote of votes) await this.health.heard(vote.analyst, [vote]);
    await this.health.watchQuorum();
    return combineExitVotes(votes);
  }
}
