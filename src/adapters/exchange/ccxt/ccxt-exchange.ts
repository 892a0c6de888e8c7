// The live futures account through ccxt: immediate-or-cancel limit entries, reduce-only mark-price stops, closes,
// and the account's positions, fills and funding, on any venue with a profile in ./venues (what differs between
// venues lives there). Every failure leaves as a domain error with the key, the secret and request signatures
// scrubbed from its message.
import type { Exchange as CcxtClient, Order } from 'ccxt';
import { RejectedError, TemporaryError, describeError } from '../../../domain/errors.js';
import type { LeverageBracket, MarketSpec } from '../../../domain/market.js';
import { entryOrderSide, exitOrderSide } from '../../../domain/money.js';
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
import type { AccountCheck } from './account-check.js';
import { createCcxtClient } from './ccxt-client.js';
import { answerOrLookUp } from './late-answer.js';
import { type ErrorContext, isUnknownOrder, translateCcxtError, venueCodeOf } from './ccxt-errors.js';
import { LeverageTierTable } from './leverage-tiers.js';
import { MarketList, marketListMaxAgeMs } from './market-list.js';
import { orderUpdates } from './order-stream.js';
import { toExchangePosition, toFill, toFundingPayment, toOrderResult } from './order-mapping.js';
import { entryLimitOnTick, orderQuantity, stopTriggerPrice } from './order-sizing.js';
import { type OrderKind, type VenueProfile, venueProfile } from './venues/index.js';
import { FeeValuation } from './fee-valuation.js';
import { finite } from './wire-numbers.js';

export interface CcxtExchangeOptions {
  readonly exchangeId?: string;
  /** Hyperliquid: the main wallet's address. */
  readonly apiKey: string;
  /** Hyperliquid: the API (agent) wallet's private key. */
  readonly secret: string;
  /** The asset the traded perpetuals settle in (balance, fees); default the venue's (USDT, Hyperliquid USDC). */
  readonly settle?: string;
  readonly apiOrigin?: string;
  readonly wsOrigin?: string;
  readonly sandbox?: boolean;
  /** Contract specs (steps, minimums) for rounding and the pre-send checks. */
  readonly marketData: MarketData;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timeoutMs?: number;
  /** How long an entry's answer may lag before the order is looked up by its client id (default 1 s). */
  readonly entryLookUpAfterMs?: number;
}

// An entry's answer normally takes tens of milliseconds, so one a second late is already lagging. The look-ups
// that follow are close together because one of them failing (the venue is struggling, after all) must not add a
// whole second to the time a filled position waits for its stop; the soak saw 3 s that way under 20% faults.
const ENTRY_LOOK_UP_AFTER_MS = 1_000;
const ENTRY_LOOK_UP_EVERY_MS = 250;
// Reading back an order the venue acknowledged by id only: its matching engine settles a market order within
// milliseconds, so a few short looks are plenty; past them the outcome counts as unknown (a temporary error).
const ACKNOWLEDGED_LOOK_UPS = 5;
const ACKNOWLEDGED_LOOK_UP_EVERY_MS = 100;

/**
 * Hyperliquid's unified total is its account value: the wallet plus the open positions' unrealised P&L, and its free
 * is that value less the margin in use. The port's balance excludes open P&L (a winning position must not size the
 * next entry on profit the venue will not lend as margin), so it is taken out; what can be posted is never more than
 * the venue's withdrawable amount. Undefined for a venue whose balance answer is not Hyperliquid's.
 */
function withoutOpenPnl(info: unknown, total: number, available: number): { total: number; available: number } | undefined {
  const state = info as { marginSummary?: { totalMarginUsed?: unknown }; withdrawable?: unknown; assetPositions?: { position?: { unrealizedPnl?: unknown } }[] } | undefined;
  if (state?.marginSummary === undefined || !Array.isArray(state.assetPositions)) return undefined;
  const openPnl = state.assetPositions.reduce((sum, entry) => sum + finite(entry.position?.unrealizedPnl ?? 0, 'balance assetPositions.unrealizedPnl'), 0);
  const wallet = total - openPnl;
  const used = finite(state.marginSummary.totalMarginUsed ?? 0, 'balance marginSummary.totalMarginUsed');
  const withdrawable = state.withdrawable === undefined ? available : finite(state.withdrawable, 'balance withdrawable');
  return { total: wallet, available: Math.max(0, Math.min(available, withdrawable, wallet - used)) };
}

/** How far before an order's own time its fills are looked for: the venue's clock may differ from ours by that much. */
const ORDER_FILLS_LOOK_BACK_MS = 60_000;

/** A stop or a target: on a venue with a book of conditional orders (Binance), it is looked up and cancelled there. */
const isTrigger = (order: OrderResult): boolean => order.type === 'stop_market' || order.type === 'take_profit_market';

export class CcxtExchange implements Exchange {
  readonly name: string;
  /** The settlement asset: balance, margin and fees are in it. */
  readonly settle: string;
  private readonly venue: VenueProfile;
  private readonly log: Logger;
  private readonly markets: MarketList;
  private readonly secrets: readonly string[];
  private client?: Promise<CcxtClient>;
  /** Ids of conditional orders seen by this process, to send cancels and look-ups to the right endpoint first. */
  private readonly triggerIds = new Set<string>();
  private readonly clientIdByOrderId = new Map<string, string>();
  private readonly tiers: LeverageTierTable;
  private readonly fees: FeeValuation;

  constructor(private readonly options: CcxtExchangeOptions) {
    this.name = options.exchangeId ?? 'binanceusdm';
    this.venue = venueProfile(this.name, options.apiKey, options.secret);
    this.settle = options.settle ?? this.venue.defaultSettle;
    this.log = options.logger.child({ module: 'exchange.ccxt', exchange: this.name });
    this.secrets = [options.apiKey, options.secret];
    this.markets = new MarketList(() => this.exchange(), options.clock, this.log, marketListMaxAgeMs(this.name));
    const readTiers = this.venue.leverageTiers?.bind(this.venue);
    this.tiers = new LeverageTierTable(() => this.markets.ready(), options.clock, readTiers);
    this.fees = new FeeValuation(
      this.settle,
      {
        minuteOpen: async (symbol, minute) => {
          const [candle] = await this.call({ operation: 'fills', symbol }, (ex) => ex.fetchOHLCV(symbol, '1m', minute, 1));
          const open = Number(candle?.[1]);
          return candle?.[0] === minute && open > 0 ? open : undefined;
        },
        last: async (symbol) => (await options.marketData.ticker(symbol)).last,
      },
      this.log,
    );
  }

  /** Reachable, allowed to trade futures, one-way mode, and unable to withdraw; throws OperationalError otherwise. */
  async verifyAccount(): Promise<AccountCheck> {
    const exchange = await this.markets.ready();
    const check = await this.venue.checkAccount(exchange, () => this.balance(), this.options.sandbox === true, this.secrets);
    for (const warning of check.warnings) this.log.warn({}, `API key: ${warning}`);
    this.log.info({ balance: check.balance.total, restrictionsChecked: check.restrictionsChecked }, 'account verified');
    return check;
  }

  async *watchOrders(signal: AbortSignal): AsyncIterable<OrderResult> {
    try {
      const exchange = await this.markets.ready();
      yield* orderUpdates(
        exchange,
        signal,
        (order) => {
          const update = this.ownIds(toOrderResult(order, this.options.clock.now()));
          // A conditional order's update (Binance's ALGO_UPDATE) names it by its algo id, which is cancelled on its own route.
          return this.remember(update, isTrigger(update) ? 'trigger' : 'regular');
        },
        this.log,
      );
    } catch (error) {
      throw this.translate(error, { operation: 'watchOrders' });
    }
  }

  /** The venue's leverage brackets for `symbol` (a signed request, read once a day); undefined where it has none. */
  leverageBrackets(symbol: string): Promise<LeverageBracket[] | undefined> {
    return this.call({ operation: 'leverageBrackets', symbol }, () => this.tiers.brackets(symbol));
  }

  async balance(): Promise<Balance> {
    const raw = await this.call({ operation: 'balance' }, (ex) => ex.fetchBalance());
    const asset = this.settle;
    const assets = (raw.info as { assets?: Record<string, unknown>[] } | undefined)?.assets;
    const own = Array.isArray(assets) ? assets.find((a) => a['asset'] === asset) : undefined;
    if (own) {
      return {
        total: finite(own['walletBalance'], `balance ${asset}.walletBalance`),
        available: finite(own['availableBalance'], `balance ${asset}.availableBalance`),
        currency: asset,
      };
    }
    const account = raw[asset] as { total?: unknown; free?: unknown } | undefined;
    const total = finite(account?.total, `balance ${asset}.total`);
    const available = finite(account?.free, `balance ${asset}.free`);
    return { ...(withoutOpenPnl(raw.info, total, available) ?? { total, available }), currency: asset };
  }

  async setLeverage(symbol: string, leverage: number, marginMode: MarginMode): Promise<void> {
    const spec = await this.spec(symbol);
    // Signed like every other request: a clock-drift refusal here, before an entry, has the time measured again too.
    await this.signed((exchange) => this.venue.prepareSymbol(exchange, spec.symbol, leverage, marginMode, this.secrets));
    this.log.info({ symbol: spec.symbol, leverage, marginMode }, 'leverage and margin mode set');
  }

  /**
   * With a limit price, an immediate-or-cancel limit order: it takes what the book offers up to the limit at once,
   * and the rest expires (Binance answers EXPIRED, with the part filled in executedQty). Without one, a market order.
   */
  async placeEntry(request: EntryOrderRequest): Promise<OrderResult> {
    const spec = await this.spec(request.symbol);
    const side = entryOrderSide(request.side);
    const limit = request.limitPrice === undefined ? undefined : entryLimitOnTick(spec, request.side, request.limitPrice);
    const price = (await this.options.marketData.ticker(spec.symbol)).last;
    const quantity = orderQuantity(spec, {
      operation: 'placeEntry',
      requested: request.quantity,
      referencePrice: limit === undefined ? price : Math.min(price, limit),
      reduceOnly: false,
    });
    this.log.info({ symbol: spec.symbol, clientOrderId: request.clientOrderId, side, quantity, limit }, 'sending entry');
    const sent = this.call({ operation: 'placeEntry', symbol: spec.symbol }, (ex) =>
      limit === undefined
        ? ex.createOrder(spec.symbol, 'market', side, quantity, this.venue.marketNeedsPrice ? price : undefined, this.venue.orderParams(request.clientOrderId, { ioc: false, reduceOnly: false }))
        : ex.createOrder(spec.symbol, 'limit', side, quantity, limit, this.venue.orderParams(request.clientOrderId, { ioc: true, reduceOnly: false })),
    ).then(async (order) => this.remember(await this.completed(order, request.clientOrderId, spec.symbol, true)));
    // A filled entry must not wait for a lagging answer to get its stop; an expired one is as final.
    return answerOrLookUp(sent, () => this.findOrder(request.clientOrderId, spec.symbol), {
      lookUpAfterMs: this.options.entryLookUpAfterMs ?? ENTRY_LOOK_UP_AFTER_MS,
      lookUpEveryMs: ENTRY_LOOK_UP_EVERY_MS,
      settles: (order) => order.filledQuantity > 0 || order.status === 'expired',
      onOvertaken: (order) =>
        this.log.warn(
          { symbol: spec.symbol, clientOrderId: request.clientOrderId, status: order.status },
          order.filledQuantity > 0 ? 'entry answer is late; its fill was found by client id' : 'entry answer is late; it was found expired by client id',
        ),
    });
  }

  async placeProtectiveStop(request: StopOrderRequest): Promise<OrderResult> {
    const spec = await this.spec(request.symbol);
    const quantity = orderQuantity(spec, {
      operation: 'placeProtectiveStop',
      requested: request.quantity,
      reduceOnly: true,
    });
    const triggerPrice = stopTriggerPrice(spec, request.positionSide, request.triggerPrice);
    const side = exitOrderSide(request.positionSide);
    this.log.info(
      { symbol: spec.symbol, clientOrderId: request.clientOrderId, side, quantity, triggerPrice },
      'sending protective stop',
    );
    const params = this.venue.stopParams({ clientOrderId: request.clientOrderId, positionSide: request.positionSide, triggerPrice });
    const order = await this.call({ operation: 'placeProtectiveStop', symbol: spec.symbol }, (ex) =>
      ex.createOrder(spec.symbol, 'market', side, quantity, this.venue.stopPrice(triggerPrice), params),
    );
    return this.remember(await this.completed(order, request.clientOrderId, spec.symbol, false), 'trigger');
  }

  /**
   * A reduce-only take-profit-market order on the mark price, in the venue's own terms: the target is met while the
   * daemon is down, as the stop is. Like the stop, an acknowledgement with ids only (Bybit) is completed by a look-up.
   */
  async placeTakeProfit(request: TakeProfitOrderRequest): Promise<OrderResult> {
    const spec = await this.spec(request.symbol);
    const quantity = orderQuantity(spec, { operation: 'placeTakeProfit', requested: request.quantity, reduceOnly: true });
    // Away from the entry on the tick: a long's target up, a short's down; never a smaller profit than planned.
    const triggerPrice = stopTriggerPrice(spec, request.positionSide, request.triggerPrice);
    const side = exitOrderSide(request.positionSide);
    this.log.info({ symbol: spec.symbol, clientOrderId: request.clientOrderId, side, quantity, triggerPrice }, 'sending take-profit order');
    const params = this.venue.takeProfitParams({ clientOrderId: request.clientOrderId, positionSide: request.positionSide, triggerPrice });
    const order = await this.call({ operation: 'placeTakeProfit', symbol: spec.symbol }, (ex) =>
      ex.createOrder(spec.symbol, 'market', side, quantity, this.venue.stopPrice(triggerPrice), params),
    );
    return this.remember(await this.completed(order, request.clientOrderId, spec.symbol, false), 'trigger');
  }

  async closePosition(request: CloseOrderRequest): Promise<OrderResult> {
    const spec = await this.spec(request.symbol);
    const quantity = orderQuantity(spec, { operation: 'closePosition', requested: request.quantity, reduceOnly: true });
    const side = exitOrderSide(request.positionSide);
    this.log.info({ symbol: spec.symbol, clientOrderId: request.clientOrderId, side, quantity }, 'sending close');
    // Where a market order is a limit a slippage cap away (Hyperliquid), the cap is measured from the last price.
    const reference = this.venue.marketNeedsPrice ? (await this.options.marketData.ticker(spec.symbol)).last : undefined;
    const order = await this.call({ operation: 'closePosition', symbol: spec.symbol }, (ex) =>
      ex.createOrder(spec.symbol, 'market', side, quantity, reference, this.venue.orderParams(request.clientOrderId, { ioc: false, reduceOnly: true })),
    );
    return this.remember(await this.completed(order, request.clientOrderId, spec.symbol, true));
  }

  async openOrders(symbol?: string): Promise<OrderResult[]> {
    const unified = symbol === undefined ? undefined : (await this.spec(symbol)).symbol;
    const context = { operation: 'openOrders', symbol: unified };
    const params = unified === undefined ? this.venue.accountParams : {};
    const [regular, triggers] = await Promise.all([
      this.call(context, (ex) => ex.fetchOpenOrders(unified, undefined, undefined, { ...params })),
      this.venue.separateTriggerBook
        ? this.call(context, (ex) => ex.fetchOpenOrders(unified, undefined, undefined, { ...params, trigger: true }))
        : Promise.resolve([]),
    ]);
    return [
      ...regular.map((o) => {
        const result = this.result(o);
        return this.remember(result, isTrigger(result) ? 'trigger' : 'regular');
      }),
      ...triggers.map((o) => this.remember(this.result(o), 'trigger')),
    ];
  }

  async findOrder(clientOrderId: string, symbol: string): Promise<OrderResult | undefined> {
    const spec = await this.spec(symbol);
    const wireId = this.venue.wireClientId(clientOrderId);
    for (const kind of this.kindsFor(clientOrderId)) {
      try {
        const params = this.venue.findParams(wireId, kind);
        const order = await this.signed((ex) => ex.fetchOrder('', spec.symbol, params));
        // Hyperliquid answers an unknown client id with an empty order rather than an error.
        if (!order.id) return undefined;
        const result = await this.withAveragePrice(this.result(order), spec.symbol);
        return this.remember(result, isTrigger(result) ? 'trigger' : kind);
      } catch (error) {
        if (!isUnknownOrder(error)) throw this.translate(error, { operation: 'findOrder', symbol: spec.symbol });
      }
    }
    return undefined;
  }

  async cancelOrder(id: string, symbol: string): Promise<void> {
    const spec = await this.spec(symbol);
    for (const kind of this.kindsFor(id)) {
      try {
        await this.signed((ex) => ex.cancelOrder(id, spec.symbol, this.venue.cancelParams(kind)));
        this.log.info({ symbol: spec.symbol, orderId: id, kind }, 'order cancelled');
        return;
      } catch (error) {
        if (!isUnknownOrder(error)) throw this.translate(error, { operation: 'cancelOrder', symbol: spec.symbol });
      }
    }
    throw new RejectedError(
      `cancelOrder ${spec.symbol} failed: unknown order ${id} (no open regular or conditional order has that id)`,
    );
  }

  async positions(): Promise<ExchangePosition[]> {
    const raw = await this.call({ operation: 'positions' }, (ex) => ex.fetchPositions(undefined, { ...this.venue.accountParams }));
    return raw.map(toExchangePosition).filter((p): p is ExchangePosition => p !== undefined);
  }

  async fills(symbol: string, since: Date): Promise<Fill[]> {
    const spec = await this.spec(symbol);
    const trades = await this.history(spec.symbol, since, (market, from, limit, until) =>
      this.call({ operation: 'fills', symbol: spec.symbol }, (ex) => ex.fetchMyTrades(market, from, limit, { ...this.venue.fillParams, ...(until === undefined ? {} : { until }) })),
      (trade) => trade.id ?? '',
    );
    const fills: Fill[] = [];
    for (const trade of trades) {
      if (!trade.id || !this.venue.isPositionFill((trade.info ?? {}) as Record<string, unknown>)) continue;
      const info = (trade.info ?? {}) as Record<string, unknown>;
      const carried = this.venue.fillClientId(info);
      const clientOrderId =
        this.venue.venueClientId(info) ??
        (carried !== undefined ? this.venue.ownClientId(carried) : trade.order ? await this.clientIdOf(trade.order, spec.symbol) : undefined);
      fills.push(toFill(trade, await this.fees.inSettle(trade), clientOrderId));
    }
    return fills.sort((a, b) => a.time.getTime() - b.time.getTime());
  }

  async fundingPayments(symbol: string, since: Date): Promise<FundingPayment[]> {
    const spec = await this.spec(symbol);
    const rows = await this.history(spec.symbol, since, (market, from, limit, until) =>
      this.call({ operation: 'fundingPayments', symbol: spec.symbol }, (ex) => ex.fetchFundingHistory(market, from, limit, until === undefined ? {} : { until })),
      // Hyperliquid's funding rows share one hash: a row is its market, instant and amount.
      (row) => `${row.id ?? ''}|${row.symbol ?? ''}|${row.timestamp ?? ''}|${row.amount ?? ''}`,
    );
    return rows
      .map((row) => {
        const payment = toFundingPayment(row, spec.symbol);
        return this.venue.fundingAmountSign === 1 ? payment : { ...payment, amount: -payment.amount };
      })
      .sort((a, b) => a.time.getTime() - b.time.getTime());
  }

  /**
   * Every row of the account's history in `symbol` from `since` (fills, funding), however the venue pages it
   * (`VenueProfile.history`): window by window, each read page by page, the cursor moved past what a page held, until
   * a page brings nothing new. A page cut short by the venue's cap is never taken for the last. The last window is
   * left open at the end: the venue's clock may run ahead of ours, and a row it stamped a few seconds "in our future"
   * must not be cut off.
   */
  private async history<T extends { readonly symbol?: string; readonly timestamp?: number }>(
    symbol: string,
    since: Date,
    page: (market: string | undefined, from: number, limit: number, until: number | undefined) => Promise<T[]>,
    key: (row: T) => string,
  ): Promise<T[]> {
    const { windowMs, limit, pageSize, newestFirst, perSymbol } = this.venue.history;
    const now = this.options.clock.now().getTime();
    const rows = new Map<string, T>();
    for (let start = since.getTime(); start <= now; start += windowMs) {
      let from = start;
      let until = start + windowMs > now ? undefined : start + windowMs - 1;
      for (;;) {
        const found = await page(perSymbol ? symbol : undefined, from, limit, until);
        let fresh = 0;
        for (const row of found) {
          const id = key(row);
          if (!rows.has(id)) {
            rows.set(id, row);
            fresh += 1;
          }
        }
        const times = found.map((row) => row.timestamp).filter((time): time is number => typeof time === 'number' && Number.isFinite(time));
        if (fresh === 0 || times.length === 0 || (pageSize !== undefined && found.length < pageSize)) break;
        // From the page's edge itself, not past it: rows sharing its instant that did not fit come in the next page.
        if (newestFirst) until = Math.min(...times);
        else from = Math.max(...times);
      }
    }
    return [...rows.values()].filter((row) => perSymbol || row.symbol === symbol);
  }

  /** Closes the client's connections; a later call opens new ones. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.markets.forget();
    if (client) await (await client).close();
  }

  private exchange(): Promise<CcxtClient> {
    this.client ??= createCcxtClient({
      exchangeId: this.name,
      credentials: this.venue.credentials(this.options.apiKey, this.options.secret),
      apiOrigin: this.options.apiOrigin,
      wsOrigin: this.options.wsOrigin,
      sandbox: this.options.sandbox,
      timeoutMs: this.options.timeoutMs,
      adjustForTimeDifference: true,
      role: 'trading',
    });
    return this.client;
  }

  private spec(symbol: string): Promise<MarketSpec> {
    return this.options.marketData.market(symbol);
  }

  private async call<T>(context: ErrorContext, work: (exchange: CcxtClient) => Promise<T>): Promise<T> {
    try {
      return await this.signed(work);
    } catch (error) {
      throw this.translate(error, context);
    }
  }

  /**
   * A request as ccxt answers it, failures untranslated for callers that tell some apart (an unknown order). A
   * refusal for clock drift first has the time difference measured again: until then every signed request is refused.
   */
  private async signed<T>(work: (exchange: CcxtClient) => Promise<T>): Promise<T> {
    try {
      return await work(await this.markets.ready());
    } catch (error) {
      const code = venueCodeOf(error);
      if (code !== undefined && this.venue.clockDriftCodes.includes(code)) await this.resynchroniseClock(code);
      throw error;
    }
  }

  /**
   * After a clock-drift refusal the time difference ccxt measured at start is stale (our clock drifted, or the
   * venue's moved during maintenance): measure it again, so the caller's next attempt is signed on the venue's time.
   */
  private async resynchroniseClock(code: number): Promise<void> {
    try {
      await (await this.markets.ready()).loadTimeDifference();
      this.log.warn({ code }, `request timestamp refused (${code}); measured the time difference to the venue again`);
    } catch (error) {
      this.log.warn({ error: describeError(error) }, 'could not measure the time difference to the venue');
    }
  }

  /**
   * The client id of the order behind a fill that does not carry it. Orders the venue made itself (liquidation `autoclose-`, `adl_autoclose`,
   * `settlement_autoclose-`) and the owner's own orders are looked up once, so a close can be told apart by who made it.
   */
  private async clientIdOf(orderId: string, symbol: string): Promise<string | undefined> {
    const known = this.clientIdByOrderId.get(orderId);
    if (known !== undefined) return known;
    try {
      const order = await this.signed((ex) => ex.fetchOrder(orderId, symbol, { ...this.venue.byIdParams }));
      const wireId = order.clientOrderId;
      const id = wireId ? this.venue.ownClientId(wireId) : undefined;
      if (id) this.clientIdByOrderId.set(orderId, id);
      return id;
    } catch {
      return undefined;
    }
  }

  private translate(error: unknown, context: ErrorContext): Error {
    return translateCcxtError(error, { ...context, secrets: this.secrets });
  }

  /** Where conditional orders have a book of their own, the one this id was last seen in is asked first. */
  private kindsFor(id: string): OrderKind[] {
    if (!this.venue.separateTriggerBook) return ['regular'];
    return this.triggerIds.has(id) ? ['trigger', 'regular'] : ['regular', 'trigger'];
  }

  /**
   * Bybit acknowledges an order with its ids only (and Hyperliquid's answer may lack the size): the order itself is
   * then read by its client id, until an order that cannot rest (market, immediate-or-cancel) shows its outcome.
   */
  private async completed(order: Order, clientOrderId: string, symbol: string, final: boolean): Promise<OrderResult> {
    if (order.status !== undefined && order.amount !== undefined) return this.result(order);
    for (let attempt = 1; ; attempt += 1) {
      // By the venue's id where the acknowledgement gave one: a client id may also name an earlier, cancelled order.
      const found = order.id ? await this.orderById(order.id, symbol) : await this.findOrder(clientOrderId, symbol);
      // Hyperliquid's order status has no average price; its acknowledgement of a fill does.
      const average = found?.averagePrice ?? (order.average !== undefined && order.average > 0 ? order.average : undefined);
      if (found && (!final || found.status !== 'open')) return { ...found, averagePrice: average };
      if (attempt >= ACKNOWLEDGED_LOOK_UPS) {
        throw new TemporaryError(`order ${clientOrderId} on ${symbol} was acknowledged but its outcome could not be read (${found ? found.status : 'not found'})`);
      }
      await this.options.clock.sleep(ACKNOWLEDGED_LOOK_UP_EVERY_MS);
    }
  }

  /**
   * Hyperliquid's order status carries no average price. An order found that way (an entry whose answer came late)
   * takes it from its own fills: the stop and every limit are measured from the price really filled, never from the
   * planned one. Only for orders that fill at once (entries, closes; a stop's fills are read when it is booked), and
   * at best: where the fills cannot be read or do not show it yet, the order comes back as the venue gave it.
   */
  private async withAveragePrice(result: OrderResult, symbol: string): Promise<OrderResult> {
    if (result.averagePrice !== undefined || result.filledQuantity <= 0 || (result.type !== 'market' && result.type !== 'limit')) return result;
    const trades = await this.call({ operation: 'fills', symbol }, (ex) => ex.fetchMyTrades(symbol, result.time.getTime() - ORDER_FILLS_LOOK_BACK_MS, this.venue.history.limit)).catch(
      (error: unknown) => {
        this.log.warn({ symbol, orderId: result.id, error: describeError(error) }, 'could not read the fills of an order for its average price');
        return [];
      },
    );
    const own = trades.flatMap((trade) => (trade.order === result.id && (trade.price ?? 0) > 0 && (trade.amount ?? 0) > 0 ? [{ price: trade.price ?? 0, amount: trade.amount ?? 0 }] : []));
    const quantity = own.reduce((total, trade) => total + trade.amount, 0);
    if (quantity <= 0) return result;
    return { ...result, averagePrice: own.reduce((total, trade) => total + trade.price * trade.amount, 0) / quantity };
  }

  private async orderById(id: string, symbol: string): Promise<OrderResult | undefined> {
    try {
      const order = await this.signed((ex) => ex.fetchOrder(id, symbol, { ...this.venue.byIdParams }));
      return order.id ? this.result(order) : undefined;
    } catch (error) {
      if (isUnknownOrder(error)) return undefined;
      throw this.translate(error, { operation: 'findOrder', symbol });
    }
  }

  /** The unified order as the port's, with the client id in the daemon's terms. */
  private result(order: Order): OrderResult {
    return this.ownIds(toOrderResult(order, this.options.clock.now(), this.settle));
  }

  /** The order with the client id in the daemon's terms, where the venue carries it in its own (Bybit, Hyperliquid). */
  private ownIds(result: OrderResult): OrderResult {
    const own = this.venue.ownClientId(result.clientOrderId);
    return own === result.clientOrderId ? result : { ...result, clientOrderId: own };
  }

  private remember(result: OrderResult, kind: OrderKind = 'regular'): OrderResult {
    if (kind === 'trigger') {
      this.triggerIds.add(result.id);
      if (result.clientOrderId) this.triggerIds.add(result.clientOrderId);
    }
    if (result.clientOrderId) this.clientIdByOrderId.set(result.id, result.clientOrderId);
    return result;
  }

}
