// A simulated futures account behind the Exchange port: venue rules on requests, the fill simulator for money, and
// persistence of the account after every change. Paper trading on live prices and replays use it unchanged; only
// the MarketData and Clock behind it differ.
import { MarketClosedError, RejectedError } from '../../../domain/errors.js';
import type { FundingEvent, MarketSettlement, MarketSpec } from '../../../domain/market.js';
import { grossPnl, roundUsd } from '../../../domain/money.js';
import type { Fill, FundingPayment } from '../../../domain/trading.js';
import type { Clock } from '../../../ports/clock.js';
import type {
  Balance,
  CloseOrderRequest,
  EntryOrderRequest,
  Exchange,
  ExchangePosition,
  MarginMode,
  OrderResult,
  StopOrderRequest,
  TakeProfitOrderRequest,
} from '../../../ports/exchange.js';
import type { Logger } from '../../../ports/logger.js';
import type { MarketData } from '../../../ports/market-data.js';
import type { PaperAccountRepository } from '../../../ports/store.js';
import { FillSimulator, type PathSegment } from './fill-simulator.js';
import { freshAccount, restoreAccount, serializeAccount, type PaperOrder } from './paper-account.js';

export interface PaperExchangeOptions {
  readonly marketData: MarketData;
  readonly clock: Clock;
  readonly account: PaperAccountRepository;
  /** Starting wallet of a new account; ignored once an account has been saved. */
  readonly initialBalance: number;
  readonly takerFeeRate: number;
  readonly slippageBps: number;
  readonly logger: Logger;
  /** The asset the simulated account is kept in (default USDT). */
  readonly settle?: string;
  /**
   * A market delisted by now, when it settled and at what mark; undefined while it trades (a replay's market whose data
   * has ended). As Binance does, the venue then settles what is held there and opens nothing new.
   */
  readonly delisting?: (symbol: string) => MarketSettlement | undefined;
}

/** One market's path since the last sync, and the funding settlements listed late. */
interface Walk {
  readonly segments: PathSegment[];
  readonly late: FundingEvent[];
}

/** How far back a catch-up looks for funding settlements published after their instant (live sources lag a little). */
const LATE_FUNDING_MS = 15 * 60_000;

export class PaperExchange implements Exchange {
  readonly name = 'paper';
  private simulator: FillSimulator | undefined;
  private savedRevision = -1;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly logger: Logger;

  constructor(private readonly options: PaperExchangeOptions) {
    this.logger = options.logger.child({ module: 'paper-exchange' });
  }

  balance(): Promise<Balance> {
    return this.exclusive(async (sim) => ({ total: sim.state.wallet, available: sim.available(), currency: this.options.settle ?? 'USDT' }));
  }

  setLeverage(symbol: string, leverage: number, marginMode: MarginMode): Promise<void> {
    return this.exclusive(async (sim) => {
      const spec = await this.options.marketData.market(symbol);
      if (marginMode !== 'isolated') throw new RejectedError('the paper exchange simulates isolated margin only');
      if (!Number.isInteger(leverage) || leverage < 1 || leverage > spec.maxLeverage) {
        throw new RejectedError(`${symbol}: leverage ${leverage} is not an integer between 1 and ${spec.maxLeverage}`);
      }
      sim.state.leverage[symbol] = leverage;
      sim.revision += 1;
    });
  }

  placeEntry(request: EntryOrderRequest): Promise<OrderResult> {
    return this.exclusive(async (sim) => {
      rejectDuplicate(sim, request.clientOrderId);
      const spec = await this.options.marketData.market(request.symbol);
      const leverage = sim.state.leverage[request.symbol];
      if (leverage === undefined) throw new RejectedError(`${request.symbol}: set the leverage before the first entry`);
      checkQuantity(spec, request.quantity);
      const limit = request.limitPrice;
      if (limit !== undefined && !(limit > 0 && onStep(limit, spec.tickSize))) {
        throw new RejectedError(`${request.symbol}: limit price ${limit} is not a multiple of the tick ${spec.tickSize}`);
      }
      if (sim.position(request.symbol) !== undefined) throw new RejectedError(`${request.symbol}: a position is already open`);
      const delisted = this.options.delisting?.(request.symbol);
      if (delisted !== undefined) {
        throw new MarketClosedError(`${request.symbol}: delisted, settled ${new Date(delisted.time).toISOString()}; the venue opens no new positions`);
      }
      const ticker = await this.options.marketData.ticker(request.symbol);
      if (request.quantity * ticker.last < spec.minNotional) {
        throw new RejectedError(`${request.symbol}: order value below the minimum notional of ${spec.minNotional} ${spec.quote}`);
      }
      const order = sim.openPosition({ ...request, leverage, price: ticker.last, spec, time: this.now() });
      return toResult(order);
    });
  }

  placeProtectiveStop(request: StopOrderRequest): Promise<OrderResult> {
    return this.exclusive(async (sim) => {
      rejectDuplicate(sim, request.clientOrderId);
      const spec = await this.options.marketData.market(request.symbol);
      checkQuantity(spec, request.quantity);
      if (!(request.triggerPrice > 0) || !onStep(request.triggerPrice, spec.tickSize)) {
        const problem = `trigger price ${request.triggerPrice} is not a multiple of the tick ${spec.tickSize}`;
        throw new RejectedError(`${request.symbol}: ${problem}`);
      }
      const mark = await this.options.marketData.markPrice(request.symbol);
      const wouldTrigger = request.positionSide === 'long' ? request.triggerPrice >= mark : request.triggerPrice <= mark;
      if (wouldTrigger) {
        throw new RejectedError(`${request.symbol}: stop at ${request.triggerPrice} would immediately trigger (mark ${mark})`);
      }
      return toResult(sim.placeStop({ ...request, time: this.now() }));
    });
  }

  placeTakeProfit(request: TakeProfitOrderRequest): Promise<OrderResult> {
    return this.exclusive(async (sim) => {
      rejectDuplicate(sim, request.clientOrderId);
      const spec = await this.options.marketData.market(request.symbol);
      checkQuantity(spec, request.quantity);
      if (!(request.triggerPrice > 0) || !onStep(request.triggerPrice, spec.tickSize)) {
        throw new RejectedError(`${request.symbol}: trigger price ${request.triggerPrice} is not a multiple of the tick ${spec.tickSize}`);
      }
      const mark = await this.options.marketData.markPrice(request.symbol);
      const wouldTrigger = request.positionSide === 'long' ? request.triggerPrice <= mark : request.triggerPrice >= mark;
      if (wouldTrigger) {
        throw new RejectedError(`${request.symbol}: take-profit at ${request.triggerPrice} would immediately trigger (mark ${mark})`);
      }
      return toResult(sim.placeStop({ ...request, time: this.now() }, true));
    });
  }

  openOrders(symbol?: string): Promise<OrderResult[]> {
    return this.exclusive(async (sim) =>
      sim.state.openOrders.filter((order) => symbol === undefined || order.symbol === symbol).map(toResult),
    );
  }

  findOrder(clientOrderId: string, symbol: string): Promise<OrderResult | undefined> {
    return this.exclusive(async (sim) => {
      const order = sim.order(clientOrderId);
      return order !== undefined && order.symbol === symbol ? toResult(order) : undefined;
    });
  }

  cancelOrder(id: string, symbol: string): Promise<void> {
    return this.exclusive(async (sim) => {
      const order = sim.state.openOrders.find((open) => open.id === id && open.symbol === symbol);
      if (order === undefined) throw new RejectedError(`${symbol}: unknown order ${id}`);
      sim.cancel(order, this.now());
    });
  }

  closePosition(request: CloseOrderRequest): Promise<OrderResult> {
    return this.exclusive(async (sim) => {
      rejectDuplicate(sim, request.clientOrderId);
      const spec = await this.options.marketData.market(request.symbol);
      checkQuantity(spec, request.quantity);
      const position = sim.position(request.symbol);
      if (position === undefined || position.side !== request.positionSide) {
        throw new RejectedError(`${request.symbol}: reduce-only close rejected, no ${request.positionSide} position`);
      }
      const ticker = await this.options.marketData.ticker(request.symbol);
      return toResult(sim.closeMarket({ ...request, price: ticker.last, time: this.now() }));
    });
  }

  positions(): Promise<ExchangePosition[]> {
    return this.exclusive(async (sim) =>
      Promise.all(
        sim.state.positions.map(async (position) => {
          const markPrice = await this.options.marketData.markPrice(position.symbol);
          return {
            symbol: position.symbol,
            side: position.side,
            quantity: position.quantity,
            entryPrice: position.entryPrice,
            markPrice,
            liquidationPrice: position.liquidationPrice,
            leverage: position.leverage,
            margin: position.margin,
            unrealizedPnl: roundUsd(grossPnl(position.side, position.entryPrice, markPrice, position.quantity)),
          };
        }),
      ),
    );
  }

  fills(symbol: string, since: Date): Promise<Fill[]> {
    return this.exclusive(async (sim) =>
      sim.state.fills
        .filter((fill) => fill.symbol === symbol && fill.time >= since.getTime())
        .map((fill) => ({ ...fill, time: new Date(fill.time) })),
    );
  }

  fundingPayments(symbol: string, since: Date): Promise<FundingPayment[]> {
    return this.exclusive(async (sim) =>
      sim.state.funding
        .filter((payment) => payment.symbol === symbol && payment.time >= since.getTime())
        .map((payment) => ({ ...payment, time: new Date(payment.time) })),
    );
  }

  /**
   * Runs one call at a time, on an account caught up to the clock, and saves whatever the call changed. Calls are
   * serialised because two interleaved catch-ups would apply the same stop or funding twice.
   */
  private exclusive<T>(work: (sim: FillSimulator) => Promise<T>): Promise<T> {
    const run = this.queue.then(() => this.runCaughtUp(work));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runCaughtUp<T>(work: (sim: FillSimulator) => Promise<T>): Promise<T> {
    // A replay calls the exchange several times at each simulated instant: only the first of them has a path to walk.
    const sim = this.simulator !== undefined && this.now() <= (this.simulator.state.syncedUntil ?? -Infinity) ? this.simulator : await this.caughtUp();
    try {
      return await work(sim);
    } finally {
      if (sim.revision !== this.savedRevision || sim.state.unsaved.length > 0) await this.save(sim);
    }
  }

  private async caughtUp(): Promise<FillSimulator> {
    const sim = this.simulator ?? (await this.load());
    const now = this.now();
    const from = sim.state.syncedUntil;
    if (from !== undefined && now <= from) return sim;
    if (from !== undefined) {
      const symbols = sim.activeSymbols(from - LATE_FUNDING_MS);
      // A delisted market is walked up to its settlement only: it has no path after it.
      const settlements = symbols.map((symbol) => this.options.delisting?.(symbol));
      // Everything is fetched before anything is applied, so a failed fetch leaves the account untouched.
      const walks = await Promise.all(
        symbols.map((symbol, index) => this.walkUnlessClosed(symbol, from, Math.max(from, Math.min(now, settlements[index]?.time ?? now)))),
      );
      symbols.forEach((symbol, index) => {
        const walk = walks[index];
        if (walk === 'closed') {
          this.settleClosed(sim, symbol, from);
          return;
        }
        sim.advance(symbol, walk?.segments ?? [], walk?.late);
        const settlement = settlements[index];
        if (settlement !== undefined) sim.settle(symbol, settlement.markPrice, settlement.time);
      });
    }
    sim.state.syncedUntil = now;
    return sim;
  }

  /**
   * The walk of `symbol`, or 'closed' when the venue refuses the market as closed or no longer listed (a live delisting
   * or suspension): a definite answer, where there is no path to walk. Any other failure (the venue unreachable, say)
   * is thrown, and aborts the catch-up.
   */
  private async walkUnlessClosed(symbol: string, from: number, to: number): Promise<Walk | 'closed'> {
    try {
      return await this.segments(symbol, from, to);
    } catch (error) {
      if (error instanceof MarketClosedError) return 'closed';
      throw error;
    }
  }

  /**
   * As Binance settles a delisted perpetual, so does the paper venue: at the last price the account knew, dated `time`,
   * the instant it last had that market's price. The rest of the account carries on.
   */
  private settleClosed(sim: FillSimulator, symbol: string, time: number): void {
    const held = sim.position(symbol);
    const orders = sim.state.openOrders.filter((order) => order.symbol === symbol).length;
    if (held === undefined && orders === 0) return;
    // Only a market where nothing is held can lack a price; its settlement then only cancels its orders.
    const price = sim.lastKnownPrice(symbol) ?? held?.entryPrice ?? 0;
    this.logger.warn({ symbol, price, position: held !== undefined, orders }, 'the venue no longer trades this market; the paper account settles it at its last known price');
    sim.settle(symbol, price, time);
  }

  /**
   * The path over (from, to], cut at each funding settlement so funding applies at exactly its instant; and the
   * settlements of the last LATE_FUNDING_MS before `from`, which a live source may publish only after the account
   * walked past them (the simulator pays those it still owes).
   */
  private async segments(symbol: string, from: number, to: number): Promise<Walk> {
    const recent: FundingEvent[] = await this.options.marketData.fundingEvents(symbol, from - LATE_FUNDING_MS, to);
    const late = recent.filter((event) => event.time <= from);
    const events = recent.filter((event) => event.time > from);
    const cuts: { end: number; funding?: FundingEvent }[] = events.map((event) => ({ end: event.time, funding: event }));
    if (cuts.at(-1)?.end !== to) cuts.push({ end: to });
    let start = from;
    const segments: PathSegment[] = [];
    for (const cut of cuts) {
      const bars = cut.end > start ? await this.options.marketData.pricePath(symbol, start, cut.end) : [];
      segments.push(cut.funding === undefined ? { from: start, bars } : { from: start, bars, funding: cut.funding });
      start = cut.end;
    }
    return { segments, late };
  }

  private async load(): Promise<FillSimulator> {
    const saved = await this.options.account.load();
    const state = saved === undefined ? freshAccount(this.options.initialBalance) : restoreAccount(saved);
    const sim = new FillSimulator(state, {
      takerFeeRate: this.options.takerFeeRate,
      slippageBps: this.options.slippageBps,
      logger: this.logger,
    });
    if (saved !== undefined) this.savedRevision = sim.revision;
    const restored = saved !== undefined;
    this.logger.info({ wallet: state.wallet, positions: state.positions.length, restored }, 'paper account loaded');
    this.simulator = sim;
    return sim;
  }

  private async save(sim: FillSimulator): Promise<void> {
    const revision = sim.revision;
    const appended = sim.state.unsaved;
    // Entries appended while this save is under way wait for the next one; a failed save keeps its own for a retry.
    sim.state.unsaved = [];
    try {
      await this.options.account.save(sim.state.wallet, serializeAccount(sim.state), appended);
    } catch (error) {
      sim.state.unsaved = [...appended, ...sim.state.unsaved];
      throw error;
    }
    this.savedRevision = revision;
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }
}

function rejectDuplicate(sim: FillSimulator, clientOrderId: string): void {
  if (sim.order(clientOrderId) !== undefined) throw new RejectedError(`duplicate client order id ${clientOrderId}`);
}

function checkQuantity(spec: MarketSpec, quantity: number): void {
  if (!(quantity > 0)) throw new RejectedError(`${spec.symbol}: quantity ${quantity} must be positive`);
  if (quantity < spec.minAmount) {
    throw new RejectedError(`${spec.symbol}: quantity ${quantity} is below the minimum ${spec.minAmount}`);
  }
  if (!onStep(quantity, spec.amountStep)) {
    throw new RejectedError(`${spec.symbol}: quantity ${quantity} is not a multiple of the step ${spec.amountStep}`);
  }
}

/** True when `value` is a whole number of `step`s, allowing for binary floating-point noise. */
function onStep(value: number, step: number): boolean {
  const units = value / step;
  return Math.abs(units - Math.round(units)) < 1e-6;
}

function toResult(order: PaperOrder): OrderResult {
  return { ...order, time: new Date(order.time) };
}
