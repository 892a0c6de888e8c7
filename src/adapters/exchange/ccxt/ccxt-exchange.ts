// The live futures account through ccxt: immediate-or-cancel limit entries, reduce-only mark-price stops on the
// venue's conditional (algo) order service, closes, and the account's positions, fills and funding. Every failure
// leaves as a domain error with the key, the secret and request signatures scrubbed from its message.
import type { Exchange as CcxtClient, Trade } from 'ccxt';
import { OperationalError, RejectedError, TemporaryError } from '../../../domain/errors.js';
import type { MarketSpec } from '../../../domain/market.js';
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
import { type AccountCheck, checkAccount } from './account-check.js';
import { createCcxtClient } from './ccxt-client.js';
import { answerOrLookUp } from './late-answer.js';
import { type ErrorContext, isUnknownOrder, translateCcxtError, venueCodeOf } from './ccxt-errors.js';
import { MarketList } from './market-list.js';
import { toExchangePosition, toFill, toFundingPayment, toOrderResult } from './order-mapping.js';
import { entryLimitOnTick, orderQuantity, stopTriggerPrice } from './order-sizing.js';
import { finite } from './wire-numbers.js';

export interface CcxtExchangeOptions {
  readonly exchangeId?: string;
  readonly apiKey: string;
  readonly secret: string;
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

const PAGE = 1000;
const TRADE_WINDOW_MS = 7 * 24 * 60 * 60_000; // the venue's largest userTrades window
const NO_NEED_TO_CHANGE_MARGIN_TYPE = -4046;
// An entry's answer normally takes tens of milliseconds, so one a second late is already lagging. The look-ups
// that follow are close together because one of them failing (the venue is struggling, after all) must not add a
// whole second to the time a filled position waits for its stop; the soak saw 3 s that way under 20% faults.
const ENTRY_LOOK_UP_AFTER_MS = 1_000;
const ENTRY_LOOK_UP_EVERY_MS = 250;

type OrderKind = 'regular' | 'trigger';

export class CcxtExchange implements Exchange {
  readonly name: string;
  private readonly log: Logger;
  private readonly markets: MarketList;
  private readonly secrets: readonly string[];
  private client?: Promise<CcxtClient>;
  /** Ids of conditional orders seen by this process, to send cancels and look-ups to the right endpoint first. */
  private readonly triggerIds = new Set<string>();
  private readonly clientIdByOrderId = new Map<string, string>();

  constructor(private readonly options: CcxtExchangeOptions) {
    this.name = options.exchangeId ?? 'binanceusdm';
    this.log = options.logger.child({ module: 'exchange.ccxt', exchange: this.name });
    this.secrets = [options.apiKey, options.secret];
    this.markets = new MarketList(() => this.exchange(), options.clock, this.log);
  }

  /** Reachable, allowed to trade futures, one-way mode, and unable to withdraw; throws OperationalError otherwise. */
  async verifyAccount(): Promise<AccountCheck> {
    const exchange = await this.markets.ready();
    const check = await checkAccount(exchange, () => this.balance(), this.options.sandbox === true, this.secrets);
    for (const warning of check.warnings) this.log.warn({}, `API key: ${warning}`);
    this.log.info({ balance: check.balance.total, restrictionsChecked: check.restrictionsChecked }, 'account verified');
    return check;
  }

  async balance(): Promise<Balance> {
    const raw = await this.call({ operation: 'balance' }, (ex) => ex.fetchBalance());
    const assets = (raw.info as { assets?: Record<string, unknown>[] } | undefined)?.assets;
    const usdt = assets?.find((a) => a['asset'] === 'USDT');
    if (usdt) {
      return {
        total: finite(usdt['walletBalance'], 'balance USDT.walletBalance'),
        available: finite(usdt['availableBalance'], 'balance USDT.availableBalance'),
        currency: 'USDT',
      };
    }
    const account = raw['USDT'] as { total?: unknown; free?: unknown } | undefined;
    return {
      total: finite(account?.total, 'balance USDT.total'),
      available: finite(account?.free, 'balance USDT.free'),
      currency: 'USDT',
    };
  }

  async setLeverage(symbol: string, leverage: number, marginMode: MarginMode): Promise<void> {
    const spec = await this.spec(symbol);
    const context = { operation: 'setLeverage', symbol };
    try {
      await (await this.markets.ready()).setMarginMode(marginMode, spec.symbol);
    } catch (error) {
      if (venueCodeOf(error) !== NO_NEED_TO_CHANGE_MARGIN_TYPE) throw this.translate(error, context);
    }
    await this.call(context, (ex) => ex.setLeverage(leverage, spec.symbol));
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
        ? ex.createOrder(spec.symbol, 'market', side, quantity, undefined, { newClientOrderId: request.clientOrderId })
        : ex.createOrder(spec.symbol, 'limit', side, quantity, limit, { newClientOrderId: request.clientOrderId, timeInForce: 'IOC' }),
    ).then((order) => this.remember(toOrderResult(order, this.options.clock.now())));
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
    const order = await this.call({ operation: 'placeProtectiveStop', symbol: spec.symbol }, (ex) =>
      ex.createOrder(spec.symbol, 'market', side, quantity, undefined, {
        triggerPrice,
        reduceOnly: true,
        workingType: 'MARK_PRICE',
        clientOrderId: request.clientOrderId,
      }),
    );
    return this.remember(toOrderResult(order, this.options.clock.now()), 'trigger');
  }

  /** A TAKE_PROFIT_MARKET on the mark price: the target is met while the daemon is down, as the stop is. */
  async placeTakeProfit(request: TakeProfitOrderRequest): Promise<OrderResult> {
    const spec = await this.spec(request.symbol);
    const quantity = orderQuantity(spec, { operation: 'placeTakeProfit', requested: request.quantity, reduceOnly: true });
    // Away from the entry on the tick: a long's target up, a short's down; never a smaller profit than planned.
    const triggerPrice = stopTriggerPrice(spec, request.positionSide, request.triggerPrice);
    const side = exitOrderSide(request.positionSide);
    this.log.info({ symbol: spec.symbol, clientOrderId: request.clientOrderId, side, quantity, triggerPrice }, 'sending take-profit order');
    const order = await this.call({ operation: 'placeTakeProfit', symbol: spec.symbol }, (ex) =>
      ex.createOrder(spec.symbol, 'market', side, quantity, undefined, {
        takeProfitPrice: triggerPrice,
        reduceOnly: true,
        workingType: 'MARK_PRICE',
        clientOrderId: request.clientOrderId,
      }),
    );
    return this.remember(toOrderResult(order, this.options.clock.now()), 'trigger');
  }

  async closePosition(request: CloseOrderRequest): Promise<OrderResult> {
    const spec = await this.spec(request.symbol);
    const quantity = orderQuantity(spec, { operation: 'closePosition', requested: request.quantity, reduceOnly: true });
    const side = exitOrderSide(request.positionSide);
    this.log.info({ symbol: spec.symbol, clientOrderId: request.clientOrderId, side, quantity }, 'sending close');
    const order = await this.call({ operation: 'closePosition', symbol: spec.symbol }, (ex) =>
      ex.createOrder(spec.symbol, 'market', side, quantity, undefined, {
        reduceOnly: true,
        newClientOrderId: request.clientOrderId,
      }),
    );
    return this.remember(toOrderResult(order, this.options.clock.now()));
  }

  async openOrders(symbol?: string): Promise<OrderResult[]> {
    const unified = symbol === undefined ? undefined : (await this.spec(symbol)).symbol;
    const context = { operation: 'openOrders', symbol: unified };
    const [regular, triggers] = await Promise.all([
      this.call(context, (ex) => ex.fetchOpenOrders(unified)),
      this.call(context, (ex) => ex.fetchOpenOrders(unified, undefined, undefined, { trigger: true })),
    ]);
    const now = this.options.clock.now();
    return [
      ...regular.map((o) => this.remember(toOrderResult(o, now))),
      ...triggers.map((o) => this.remember(toOrderResult(o, now), 'trigger')),
    ];
  }

  async findOrder(clientOrderId: string, symbol: string): Promise<OrderResult | undefined> {
    const spec = await this.spec(symbol);
    const kinds: OrderKind[] = this.triggerIds.has(clientOrderId) ? ['trigger', 'regular'] : ['regular', 'trigger'];
    for (const kind of kinds) {
      try {
        const params = kind === 'trigger' ? { clientOrderId, trigger: true } : { clientOrderId };
        const order = await (await this.markets.ready()).fetchOrder('', spec.symbol, params);
        return this.remember(toOrderResult(order, this.options.clock.now()), kind);
      } catch (error) {
        if (!isUnknownOrder(error)) throw this.translate(error, { operation: 'findOrder', symbol: spec.symbol });
      }
    }
    return undefined;
  }

  async cancelOrder(id: string, symbol: string): Promise<void> {
    const spec = await this.spec(symbol);
    const kinds: OrderKind[] = this.triggerIds.has(id) ? ['trigger', 'regular'] : ['regular', 'trigger'];
    for (const kind of kinds) {
      try {
        await (await this.markets.ready()).cancelOrder(id, spec.symbol, kind === 'trigger' ? { trigger: true } : {});
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
    const raw = await this.call({ operation: 'positions' }, (ex) => ex.fetchPositions());
    return raw.map(toExchangePosition).filter((p): p is ExchangePosition => p !== undefined);
  }

  async fills(symbol: string, since: Date): Promise<Fill[]> {
    const spec = await this.spec(symbol);
    const now = this.options.clock.now().getTime();
    const byId = new Map<string, Trade>();
    for (let start = since.getTime(); start <= now; start += TRADE_WINDOW_MS) {
      // The last window is left open at the end: the venue's clock may run ahead of ours, and a fill it stamped a
      // few seconds "in our future" must not be cut off (the venue caps an open window at its 7 days anyway).
      const open = start + TRADE_WINDOW_MS > now;
      const end = start + TRADE_WINDOW_MS - 1;
      let cursor = start;
      for (;;) {
        const from = cursor;
        const page = await this.call({ operation: 'fills', symbol: spec.symbol }, (ex) =>
          ex.fetchMyTrades(spec.symbol, from, PAGE, open ? {} : { until: end }),
        );
        for (const trade of page) if (trade.id) byId.set(trade.id, trade);
        const last = page[page.length - 1]?.timestamp;
        if (page.length < PAGE || last === undefined) break;
        cursor = last + 1;
      }
    }
    const fills: Fill[] = [];
    for (const trade of byId.values()) {
      const clientOrderId = trade.order ? this.clientIdByOrderId.get(trade.order) : undefined;
      fills.push(toFill(trade, await this.feeInUsdt(trade), clientOrderId));
    }
    return fills.sort((a, b) => a.time.getTime() - b.time.getTime());
  }

  async fundingPayments(symbol: string, since: Date): Promise<FundingPayment[]> {
    const spec = await this.spec(symbol);
    const payments: FundingPayment[] = [];
    let cursor = since.getTime();
    for (;;) {
      const from = cursor;
      // No end bound from our clock: a payment the venue stamped ahead of it (clock skew) still counts.
      const page = await this.call({ operation: 'fundingPayments', symbol: spec.symbol }, (ex) => ex.fetchFundingHistory(spec.symbol, from, PAGE));
      payments.push(...page.map((row) => toFundingPayment(row, spec.symbol)));
      const last = page[page.length - 1]?.timestamp;
      if (page.length < PAGE || last === undefined) break;
      cursor = last + 1;
    }
    return payments;
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
      apiKey: this.options.apiKey,
      secret: this.options.secret,
      apiOrigin: this.options.apiOrigin,
      wsOrigin: this.options.wsOrigin,
      sandbox: this.options.sandbox,
      timeoutMs: this.options.timeoutMs,
      adjustForTimeDifference: true,
    });
    return this.client;
  }

  private spec(symbol: string): Promise<MarketSpec> {
    return this.options.marketData.market(symbol);
  }

  private async call<T>(context: ErrorContext, work: (exchange: CcxtClient) => Promise<T>): Promise<T> {
    try {
      return await work(await this.markets.ready());
    } catch (error) {
      throw this.translate(error, context);
    }
  }

  private translate(error: unknown, context: ErrorContext): Error {
    return translateCcxtError(error, { ...context, secrets: this.secrets });
  }

  private remember(result: OrderResult, kind: OrderKind = 'regular'): OrderResult {
    if (kind === 'trigger') {
      this.triggerIds.add(result.id);
      if (result.clientOrderId) this.triggerIds.add(result.clientOrderId);
    }
    if (result.clientOrderId) this.clientIdByOrderId.set(result.id, result.clientOrderId);
    return result;
  }

  private async feeInUsdt(trade: Trade): Promise<number> {
    const cost = trade.fee?.cost ?? 0;
    const currency = trade.fee?.currency ?? 'USDT';
    if (cost === 0 || currency === 'USDT') return finite(cost, `trade ${trade.id}.fee`);
    try {
      const ticker = await this.options.marketData.ticker(`${currency}/USDT:USDT`);
      return cost * ticker.last;
    } catch (error) {
      if (error instanceof TemporaryError) throw error;
      throw new OperationalError(`fills: fee of trade ${trade.id} is charged in ${currency}, which has no USDT price`);
    }
  }
}
