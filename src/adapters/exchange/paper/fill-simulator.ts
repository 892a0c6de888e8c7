// The fill model shared by paper trading and replays: market fills with slippage and taker fee, isolated margin,
// funding settlements at the mark price, resting stop-market orders and liquidation triggered by the mark price (as
// Binance's MARK_PRICE working type), applied to the paper account's state. An isolated position never loses more
// than its margin. It is synchronous and knows nothing of where prices come from; the paper exchange feeds it bars.
import { RejectedError } from '../../../domain/errors.js';
import { largestKnownNotional, maintenanceAt } from '../../../domain/leverage-brackets.js';
import type { FundingEvent, MarketSpec, OrderSide, PriceBar, Side } from '../../../domain/market.js';
import {
  entryOrderSide,
  exitOrderSide,
  fundingPayment,
  grossPnl,
  liquidationPrice,
  roundUsd,
  slippedPrice,
  tradingFee,
} from '../../../domain/money.js';
import type { Logger } from '../../../ports/logger.js';
import { appendHistory, type PaperAccountState, type PaperFill, type PaperOrder, type PaperPosition } from './paper-account.js';
import { beyondMargin, fillWithin, nextTrigger, type Phase, type WalkedBar } from './trigger-rules.js';

/** A side and size held in a market. */
interface Holding {
  readonly side: Side;
  readonly quantity: number;
}

export interface FillSimulatorOptions {
  readonly takerFeeRate: number;
  readonly slippageBps: number;
  readonly logger: Logger;
}

export interface EntryFillInput {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: number;
  readonly leverage: number;
  /** Price before slippage. */
  readonly price: number;
  /** The immediate-or-cancel limit: a buy fills at most, a sell at least at this price, or not at all. */
  readonly limitPrice?: number;
  readonly spec: MarketSpec;
  readonly time: number;
}

export interface StopInput {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly positionSide: Side;
  readonly quantity: number;
  readonly triggerPrice: number;
  readonly time: number;
}

export interface CloseFillInput {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly quantity: number;
  /** Price before slippage. */
  readonly price: number;
  readonly time: number;
}

/** A stretch (from, end] of one market's history: its bars, then possibly a funding settlement at its end. */
export interface PathSegment {
  /** The instant the account was last synced to: a bar that began by then has had its open seen already. */
  readonly from: number;
  readonly bars: readonly PriceBar[];
  readonly funding?: { readonly time: number; readonly rate: number };
}

export class FillSimulator {
  /** Increases with every change of the state, so the owner knows when to persist. */
  revision = 0;
  private readonly logger: Logger;

  constructor(
    readonly state: PaperAccountState,
    private readonly options: FillSimulatorOptions,
  ) {
    this.logger = options.logger;
    // Over a saved account (a restart): a market held nothing now went flat at its last kept fill, so a settlement
    // the source lists late is still charged on a position closed in the minutes before the restart.
    for (const fill of state.fills) {
      if (this.position(fill.symbol) === undefined && fill.time > (this.flatAt.get(fill.symbol) ?? Number.NEGATIVE_INFINITY)) this.flatAt.set(fill.symbol, fill.time);
    }
  }

  /** Wallet minus posted margin. */
  available(): number {
    return roundUsd(this.state.wallet - this.state.positions.reduce((total, position) => total + position.margin, 0));
  }

  position(symbol: string): PaperPosition | undefined {
    return this.state.positions.find((position) => position.symbol === symbol);
  }

  /** Open orders and closed orders, looked up by client order id. */
  order(clientOrderId: string): PaperOrder | undefined {
    const matches = (order: PaperOrder): boolean => order.clientOrderId === clientOrderId;
    return this.state.openOrders.find(matches) ?? this.state.closedOrders.findLast(matches);
  }

  /**
   * Markets that need the price path walked: an open position or a resting order; and, for a settlement the source
   * lists late, one whose position went flat at or after `flatSince`.
   */
  activeSymbols(flatSince = Number.POSITIVE_INFINITY): string[] {
    const wentFlat = [...this.flatAt].filter(([, time]) => time >= flatSince).map(([symbol]) => symbol);
    return [...new Set([...[...this.state.positions, ...this.state.openOrders].map((item) => item.symbol), ...wentFlat])];
  }

  /** When each market's position last went flat: one entry a market. */
  private readonly flatAt = new Map<string, number>();
  /**
   * The latest settlement instant each market's walk met on time, whether or not anything was held then. The walk
   * applies a settlement after the bars that end at its instant, so a stop those bars reached (dated at their end, the
   * same instant) was rightly spared it; met again as "late", it must not be charged on a rebuilt holding.
   */
  private readonly settledOnTime = new Map<string, number>();

  /** The last bar each market's walk met this run, as far as it had formed. */
  private readonly lastWalked = new Map<string, WalkedBar & { readonly start: number }>();

  /** The last price each market's walk or fills met this run (the mark where the source has one). */
  private readonly lastPrices = new Map<string, number>();

  /**
   * The last price the account knew for `symbol`: the last bar or fill met since the account was loaded, else the
   * last kept fill of it (after a restart), else the entry price of what is held there.
   */
  lastKnownPrice(symbol: string): number | undefined {
    return this.lastPrices.get(symbol) ?? this.state.fills.findLast((fill) => fill.symbol === symbol)?.price ?? this.position(symbol)?.entryPrice;
  }

  private wentFlat(position: PaperPosition, time: number): void {
    this.state.positions = this.state.positions.filter((open) => open !== position);
    this.flatAt.set(position.symbol, time);
  }

  /**
   * A market entry, or with a limit an immediate-or-cancel one: the slipped fill capped at the limit, and an expired
   * order with nothing filled when the price itself is already beyond the limit.
   */
  openPosition(input: EntryFillInput): PaperOrder {
    if (this.position(input.symbol) !== undefined) throw new RejectedError(`${input.symbol}: a position is already open`);
    const orderSide = entryOrderSide(input.side);
    const slipped = slippedPrice(orderSide, input.price, this.options.slippageBps);
    const limit = input.limitPrice;
    if (limit !== undefined && (orderSide === 'buy' ? input.price > limit : input.price < limit)) return this.expiredEntry(input);
    const price = limit === undefined ? slipped : orderSide === 'buy' ? Math.min(slipped, limit) : Math.max(slipped, limit);
    const fee = roundUsd(tradingFee(price, input.quantity, this.options.takerFeeRate));
    const margin = roundUsd((price * input.quantity) / input.leverage);
    // The venue refuses a position its leverage brackets do not cover at this leverage; so does the simulation.
    const maintenance = maintenanceAt(input.spec, price * input.quantity);
    const bracketCap = largestKnownNotional(input.spec, input.leverage);
    if (maintenance === undefined || price * input.quantity >= bracketCap) {
      throw new RejectedError(
        `${input.symbol}: a position of ${roundUsd(price * input.quantity)} USDT at ${input.leverage}x is beyond the leverage brackets known ` +
          `for it (up to ${bracketCap} USDT)`,
      );
    }
    const available = this.available();
    if (margin + fee > available) {
      throw new RejectedError(
        `${input.symbol}: insufficient margin: needs ${margin} margin + ${fee} fee, ${available} available`,
      );
    }
    const position: PaperPosition = {
      symbol: input.symbol,
      side: input.side,
      quantity: input.quantity,
      entryPrice: price,
      margin,
      leverage: input.leverage,
      liquidationPrice: 0,
      ...maintenance,
      openedAt: input.time,
    };
    position.liquidationPrice = liquidationOf(position);
    this.state.positions.push(position);
    this.state.wallet = roundUsd(this.state.wallet - fee);
    const { clientOrderId, symbol, quantity, time } = input;
    const order = this.filledOrder({ clientOrderId, symbol, side: orderSide, quantity, price, fee, reduceOnly: false, time });
    this.logger.info({ symbol, side: input.side, price, quantity, margin, fee }, 'paper entry filled');
    return order;
  }

  private expiredEntry(input: EntryFillInput): PaperOrder {
    const order: PaperOrder = {
      id: this.nextId('paper'),
      clientOrderId: input.clientOrderId,
      symbol: input.symbol,
      side: entryOrderSide(input.side),
      type: 'market',
      status: 'expired',
      quantity: input.quantity,
      filledQuantity: 0,
      reduceOnly: false,
      time: input.time,
    };
    appendHistory(this.state, { kind: 'order', entry: order });
    this.revision += 1;
    this.logger.info({ symbol: input.symbol, price: input.price, limit: input.limitPrice }, 'paper entry expired: the price is beyond its limit');
    return order;
  }

  /** A resting reduce-only trigger order: a stop, or a take-profit (`takeProfit`). */
  placeStop(input: StopInput, takeProfit = false): PaperOrder {
    const order: PaperOrder = {
      id: this.nextId('paper'),
      clientOrderId: input.clientOrderId,
      symbol: input.symbol,
      side: exitOrderSide(input.positionSide),
      type: takeProfit ? 'take_profit_market' : 'stop_market',
      status: 'open',
      quantity: input.quantity,
      filledQuantity: 0,
      triggerPrice: input.triggerPrice,
      reduceOnly: true,
      time: input.time,
    };
    this.state.openOrders.push(order);
    this.revision += 1;
    return order;
  }

  cancel(order: PaperOrder, time: number): PaperOrder {
    return this.finish(order, { status: 'cancelled', time });
  }

  /**
   * Reduce-only market close of up to `quantity` (never more than the position). A fill that would lose more than
   * the position's isolated margin is not possible on the venue: the liquidation engine takes the position over
   * first, so it is liquidated instead and the close is refused for want of a position.
   */
  closeMarket(input: CloseFillInput): PaperOrder {
    const position = this.position(input.symbol);
    if (position === undefined) throw new RejectedError(`${input.symbol}: reduce-only close rejected, no position`);
    const quantity = Math.min(input.quantity, position.quantity);
    const orderSide = exitOrderSide(position.side);
    const price = slippedPrice(orderSide, input.price, this.options.slippageBps);
    const fee = roundUsd(tradingFee(price, quantity, this.options.takerFeeRate));
    if (beyondMargin(position, quantity, price, fee)) {
      this.liquidate(position, input.time);
      throw new RejectedError(`${input.symbol}: reduce-only close rejected, the position was liquidated`);
    }
    const { clientOrderId, symbol, time } = input;
    const order = this.filledOrder({ clientOrderId, symbol, side: orderSide, quantity, price, fee, reduceOnly: true, time });
    this.realize(position, quantity, price, fee, time);
    return order;
  }

  /**
   * A delisted market settled by the venue: its resting orders are cancelled and the position closes whole at the
   * settlement price (no slippage; the taker fee is charged, to err on the side of cost), under a `settlement_autoclose`
   * client id as Binance names it. Nothing happens to a market already settled.
   */
  settle(symbol: string, price: number, time: number): void {
    for (const order of this.state.openOrders.filter((open) => open.symbol === symbol)) this.cancel(order, time);
    const position = this.position(symbol);
    if (position === undefined) return;
    const side = exitOrderSide(position.side);
    const fee = roundUsd(tradingFee(price, position.quantity, this.options.takerFeeRate));
    if (beyondMargin(position, position.quantity, price, fee)) {
      this.liquidate(position, time);
      return;
    }
    const clientOrderId = `settlement_autoclose-${this.nextNumber()}`;
    this.filledOrder({ clientOrderId, symbol, side, quantity: position.quantity, price, fee, reduceOnly: true, time });
    this.realize(position, position.quantity, price, fee, time);
    this.logger.warn({ symbol, price, quantity: position.quantity, fee }, 'paper position settled: the market is delisted');
  }

  /**
   * Applies one market's path since the last sync: bar by bar liquidation and stops, funding at its instants and
   * at the mark price (the traded price where the source has no mark).
   */
  advance(symbol: string, segments: readonly PathSegment[], late: readonly FundingEvent[] = []): void {
    let lastMark: number | undefined;
    let unsettled = late.flatMap((event) => {
      const held = this.owedLateFunding(symbol, event.time);
      return held === undefined ? [] : [{ ...event, held }];
    });
    for (const segment of segments) {
      for (const bar of segment.bars) {
        // A settlement the source published after the account had passed its instant: settled before anything after
        // it, at the first price seen since, on what was held at its instant.
        for (const event of unsettled) this.settleFunding(symbol, event.time, event.rate, (bar.mark ?? bar).open, event.held);
        unsettled = [];
        this.processBar(symbol, bar, bar.start > segment.from);
        lastMark = (bar.mark ?? bar).close;
        this.lastPrices.set(symbol, lastMark);
      }
      if (segment.funding !== undefined) {
        this.settleFunding(symbol, segment.funding.time, segment.funding.rate, lastMark);
        // Without a price the settlement is left to the late path, which pays it at the next price seen.
        if (lastMark !== undefined) this.settledOnTime.set(symbol, segment.funding.time);
      }
    }
  }

  /**
   * What a settlement at `time` is owed on, when it is owed and not yet paid: what was held at that instant (a
   * position opened at the very instant is not charged, as on the walk's own path), whatever was closed since. The
   * venue charged the position held then; one closed in the seconds before the source listed the rate owes it too.
   */
  private owedLateFunding(symbol: string, time: number): Holding | undefined {
    // A replay meets every settlement again as "late" for a quarter of an hour: held neither now nor since, it is owed
    // nothing, and the fills need no walk.
    if (this.position(symbol) === undefined && (this.flatAt.get(symbol) ?? Number.NEGATIVE_INFINITY) < time) return undefined;
    if (this.settledOnTime.get(symbol) === time) return undefined;
    if (this.state.funding.some((payment) => payment.symbol === symbol && payment.time === time)) return undefined;
    return this.heldAt(symbol, time);
  }

  /** What the account held in `symbol` just before `time`: what it holds now, less what its fills since have changed. */
  private heldAt(symbol: string, time: number): Holding | undefined {
    const now = this.position(symbol);
    let signed = now === undefined ? 0 : now.side === 'long' ? now.quantity : -now.quantity;
    for (const fill of this.state.fills) {
      if (fill.symbol === symbol && (fill.time > time || (fill.time === time && !this.metByWalk(fill)))) {
        signed -= fill.side === 'buy' ? fill.quantity : -fill.quantity;
      }
    }
    // Lot quantities summed in floating point leave dust where the account was flat.
    signed = Number(signed.toFixed(12));
    if (Math.abs(signed) < 1e-12) return undefined;
    return { side: signed > 0 ? 'long' : 'short', quantity: Math.abs(signed) };
  }

  /**
   * A stop, take-profit or liquidation the walk set off. One dated at a settlement instant was met in a bar ending
   * there (a minute walked up to it, or the opening instant's gap), which the walk on time applies before the
   * settlement: it came before it. An order the daemon placed at that instant came after it, as on the walk's path.
   */
  private metByWalk(fill: PaperFill): boolean {
    if (fill.clientOrderId?.startsWith('autoclose-') === true) return true;
    const type = this.state.closedOrders.findLast((order) => order.id === fill.orderId)?.type;
    return type === 'stop_market' || type === 'take_profit_market';
  }

  /** Pays the settlement on `held`, what was held at its instant (the open position, for a settlement on time). */
  private settleFunding(symbol: string, time: number, rate: number, markPrice: number | undefined, held: Holding | undefined = this.position(symbol)): void {
    if (held === undefined) return;
    if (markPrice === undefined) {
      this.logger.warn({ symbol, time: new Date(time).toISOString() }, 'no price at a funding settlement; funding skipped');
      return;
    }
    const amount = roundUsd(fundingPayment(held.side, rate, held.quantity, markPrice));
    this.state.wallet = roundUsd(this.state.wallet + amount);
    // Isolated margin, as on the venue: funding is paid out of (or into) the position's own margin, so what is paid
    // brings its liquidation price nearer, and the rest of the wallet stays as available as it was.
    const open = this.position(symbol);
    if (open !== undefined && open.side === held.side) {
      open.margin = Math.max(0, roundUsd(open.margin + amount));
      open.liquidationPrice = liquidationOf(open);
    }
    appendHistory(this.state, { kind: 'funding', entry: { symbol, time, amount } });
    this.revision += 1;
    this.logger.debug({ symbol, rate, markPrice, amount }, 'paper funding settled');
  }

  /**
   * What the bar reaches, in the order the venue would meet it (see trigger-rules.ts). First its open, when the open
   * is news (`gapCheck`): a level the mark opened beyond triggers at the bar's first instant, and a stop fills at the
   * open. Then its range, dated at the bar's end, when the bar's high and low exist.
   */
  private processBar(symbol: string, bar: PriceBar, gapCheck: boolean): void {
    const last = this.lastWalked.get(symbol);
    // Only the live minute is walked again, longer, as it forms; a replay meets each bar once (its opening instant
    // aside, which holds no range).
    const walked = last !== undefined && last.start === bar.start && last.start < last.until && last.until < bar.end ? last : undefined;
    if (gapCheck) this.resolve(symbol, bar, 'gap', walked);
    this.resolve(symbol, bar, 'range', walked);
    this.lastWalked.set(symbol, { start: bar.start, until: bar.end, mark: bar.mark ?? bar });
  }

  private resolve(symbol: string, bar: PriceBar, phase: Phase, walked: WalkedBar | undefined): void {
    for (;;) {
      const next = nextTrigger(this.position(symbol), this.state.openOrders, symbol, bar, phase, walked);
      if (next === undefined) return;
      const time = phase === 'gap' ? bar.start : bar.end;
      if (next.kind === 'liquidation') this.liquidate(next.position, time);
      else this.triggerStop(next.order, phase === 'gap' ? bar.open : fillWithin(next.order.triggerPrice as number, bar), time);
    }
  }

  private triggerStop(order: PaperOrder, basePrice: number, time: number): void {
    const position = this.position(order.symbol);
    if (position === undefined || exitOrderSide(position.side) !== order.side) {
      // Nothing left to reduce: the venue lets a triggered reduce-only order expire.
      this.finish(order, { status: 'expired', time });
      this.logger.info({ symbol: order.symbol, orderId: order.id }, 'paper stop triggered without a position; expired');
      return;
    }
    const quantity = Math.min(order.quantity, position.quantity);
    const price = slippedPrice(order.side, basePrice, this.options.slippageBps);
    const fee = roundUsd(tradingFee(price, quantity, this.options.takerFeeRate));
    if (beyondMargin(position, quantity, price, fee)) {
      // Filled there, the stop would cost more than the isolated margin: the liquidation engine gets there first.
      this.liquidate(position, time);
      return;
    }
    this.finish(order, { status: 'filled', filledQuantity: quantity, averagePrice: price, fee, time });
    this.recordFill(order, price, quantity, fee, time);
    this.realize(position, quantity, price, fee, time);
    this.logger.info({ symbol: order.symbol, orderId: order.id, price, quantity, fee }, 'paper stop filled');
  }

  /**
   * Closes at the liquidation price; the isolated margin is lost, what is left of it after the loss at that price
   * going as Binance's liquidation clearance fee. Resting orders of the market stay, and expire when they trigger.
   */
  private liquidate(position: PaperPosition, time: number): void {
    const price = position.liquidationPrice;
    const gross = roundUsd(grossPnl(position.side, position.entryPrice, price, position.quantity));
    const fee = roundUsd(position.margin + gross);
    this.filledOrder({
      clientOrderId: `autoclose-${this.nextNumber()}`,
      symbol: position.symbol,
      side: exitOrderSide(position.side),
      quantity: position.quantity,
      price,
      fee,
      reduceOnly: true,
      time,
    });
    this.wentFlat(position, time);
    this.state.wallet = roundUsd(this.state.wallet - position.margin);
    this.logger.warn({ symbol: position.symbol, price, margin: position.margin }, 'paper position liquidated');
  }

  private realize(position: PaperPosition, quantity: number, price: number, fee: number, time: number): void {
    const gross = roundUsd(grossPnl(position.side, position.entryPrice, price, quantity));
    this.state.wallet = roundUsd(this.state.wallet + gross - fee);
    // Both are lot multiples, but their difference in floating point can leave dust (37.80000000000001 - 37.8): what
    // would be left under a billionth of the position is nothing, as on the venue, not a position of 1e-14.
    const left = Number((position.quantity - quantity).toFixed(12));
    if (left <= position.quantity * 1e-9) {
      this.wentFlat(position, time);
    } else {
      const released = roundUsd((position.margin * quantity) / position.quantity);
      position.quantity = left;
      position.margin = roundUsd(position.margin - released);
      position.liquidationPrice = liquidationOf(position);
    }
    this.revision += 1;
  }

  /** A market order that filled completely on arrival, with its fill. */
  private filledOrder(fill: MarketOrderFill): PaperOrder {
    const { price, ...rest } = fill;
    const order: PaperOrder = {
      id: this.nextId('paper'),
      ...rest,
      type: 'market',
      status: 'filled',
      filledQuantity: fill.quantity,
      averagePrice: price,
    };
    appendHistory(this.state, { kind: 'order', entry: order });
    this.recordFill(order, price, fill.quantity, fill.fee, fill.time);
    return order;
  }

  private recordFill(order: PaperOrder, price: number, quantity: number, fee: number, time: number): void {
    const fill = { id: this.nextId('fill'), orderId: order.id, clientOrderId: order.clientOrderId, symbol: order.symbol };
    appendHistory(this.state, { kind: 'fill', entry: { ...fill, side: order.side, price, quantity, fee, time } });
    this.lastPrices.set(order.symbol, price);
    this.revision += 1;
  }

  private finish(order: PaperOrder, change: Partial<PaperOrder>): PaperOrder {
    const finished = { ...order, ...change };
    this.state.openOrders = this.state.openOrders.filter((open) => open.id !== order.id);
    appendHistory(this.state, { kind: 'order', entry: finished });
    this.revision += 1;
    return finished;
  }

  private nextNumber(): number {
    this.state.counter += 1;
    return this.state.counter;
  }

  private nextId(prefix: string): string {
    return `${prefix}-${this.nextNumber()}`;
  }
}

interface MarketOrderFill {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly price: number;
  readonly fee: number;
  readonly reduceOnly: boolean;
  readonly time: number;
}

function liquidationOf(position: PaperPosition): number {
  return liquidationPrice({
    side: position.side,
    entryPrice: position.entryPrice,
    quantity: position.quantity,
    margin: position.margin,
    maintenanceMarginRate: position.maintenanceMarginRate,
    maintenanceAmount: position.maintenanceAmount,
  });
}
