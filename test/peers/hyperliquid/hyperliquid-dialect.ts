// Hyperliquid's REST API in its own shapes: `POST /info` reads (by `type`, for a `user` address) and `POST /exchange`
// signed actions (`order`, `cancel`, `cancelByCloid`, `updateLeverage`). Markets are asset indexes (BTC is 0), prices
// carry 5 significant figures, sizes `szDecimals` decimals, orders need $10; trigger orders (`tpsl: sl`) fire on the
// mark price; a market order is an immediate-or-cancel limit at its slippage bound. Actions are accepted only with a
// signature object and from a known account; the EIP-712 signature itself is not verified here.
import type { AccountBook, AlgoOrder, BookOrder, TradeRecord } from '../binance-usdm/account-book.js';
import { VenueError } from '../binance-usdm/venue-error.js';
import type { VenueState } from '../binance-usdm/venue-state.js';
import type { DialectAnswer, PerpRequest, PerpVenueState, VenueDialect } from '../perp-venue/perp-venue.js';
import type { FaultAnswers } from '../venue-faults/random-faults.js';
import { HyperliquidStream } from './hyperliquid-stream.js';

type Json = Record<string, unknown>;

/** The account (main wallet) address and an API wallet authorised for it, for tests. */
export const HL_ACCOUNT = '0x19e7e376e7c213b7e7e7e46cc70a5dd086daff2a';
/** The API (agent) wallet's key; its address is HL_AGENT. */
export const HL_AGENT_KEY = '0x' + '22'.repeat(32);
export const HL_AGENT = '0x1563915e194d8cfba1943570603f7606a3115508';
/** The main wallet's own key (whose address is HL_ACCOUNT): the daemon must refuse it. */
export const HL_MAIN_KEY = '0x' + '11'.repeat(32);

const COINS = ['BTC', 'ETH'] as const;
const BOOK_ID: Readonly<Record<string, string>> = { BTC: 'BTCUSDT', ETH: 'ETHUSDT' };
const SZ_DECIMALS: Readonly<Record<string, number>> = { BTC: 5, ETH: 4 };
const TRIGGER_OID_OFFSET = 90_000_000_000;

const hlError = (message: string): VenueError => new VenueError(200, 0, message);

/** The book's refusals (Binance codes) in Hyperliquid's words (per order, in `statuses[].error`). */
const TRANSLATED: Readonly<Record<number, string>> = {
  [-2019]: 'Insufficient margin to place order.',
  [-2022]: 'Reduce only order would increase position.',
  [-4164]: 'Order must have minimum value of $10.',
  [-1111]: 'Order has invalid size.',
  [-4014]: 'Price must be divisible by tick size.',
  [-2021]: 'Invalid TP/SL price.',
  [-2011]: 'Order was never placed, already canceled, or filled.',
  [-2013]: 'Order was never placed, already canceled, or filled.',
};

const str = (value: number): string => String(Number(value.toFixed(10)));
const coinOf = (id: string): string => id.replace(/USDT$/, '');
const triggerOid = (algo: AlgoOrder): number => TRIGGER_OID_OFFSET + algo.algoId;

/**
 * Hyperliquid turning requests away: over the IP's weight budget a request gets HTTP 429 (its docs, "Rate limits and
 * user limits"); it has no separate ban, so random faults never draw `ip_ban` here. Server trouble is a 500 or the
 * gateway's 502.
 */
const HYPERLIQUID_FAULT_ANSWERS: FaultAnswers = {
  rate_limit: { status: 429, body: 'Too Many Requests' },
  server_error: { status: 500, body: 'Internal Server Error' },
  unavailable: { status: 502, body: 'Bad Gateway' },
};

/** The most rows Hyperliquid's userFillsByTime and userFunding answer at once, the account's oldest from the start. */
const FILLS_PER_ANSWER = 2000;
const FUNDING_ROWS_PER_ANSWER = 500;

export class HyperliquidDialect implements VenueDialect {
  readonly name = 'hyperliquid';
  // No Hyperliquid document says a reduce-only order larger than the position is trimmed; integrators report the
  // venue refusing such orders with "Reduce only order would increase position" (MetaMask/core pull request 9719).
  // The stand-in stays strict, and the daemon refuses TAKE_PROFIT_LADDER on this venue (src/config).
  readonly oversizeReduceOnly = 'reject';
  readonly faultAnswers = HYPERLIQUID_FAULT_ANSWERS;
  readonly filters = {
    BTCUSDT: { tickSize: 1, stepSize: 0.00001, minQty: 0.00001, minNotional: 10 },
    ETHUSDT: { tickSize: 0.1, stepSize: 0.0001, minQty: 0.0001, minNotional: 10 },
  };
  /** Which addresses are API wallets, and for whom. */
  readonly agents = new Map<string, string>([[HL_AGENT, HL_ACCOUNT]]);
  /** cloids by book order id / algo id. */
  private readonly cloids = new Map<string, string>();
  /** False: fills leave out their order's cloid, so a client reads it from the order (`orderStatus` by oid). */
  fillsCarryCloid = true;
  /** Margin tiers by coin (position value from which a maximum leverage applies); a test may replace a coin's. */
  readonly marginTiers = new Map<string, { lowerBound: number; maxLeverage: number }[]>([
    ['BTC', [{ lowerBound: 0, maxLeverage: 40 }]],
    ['ETH', [{ lowerBound: 0, maxLeverage: 25 }]],
  ]);
  /** The websocket: `orderUpdates` and `userFills` by address. */
  readonly stream = new HyperliquidStream(this);

  constructor(readonly account = HL_ACCOUNT) {}

  bookSymbol(symbol: string): string {
    const coin = symbol.includes('/') ? symbol.slice(0, symbol.indexOf('/')) : symbol;
    return BOOK_ID[coin] ?? symbol;
  }

  params(_query: Record<string, string>, body: unknown): Record<string, unknown> {
    const json = (body ?? {}) as Json;
    const action = json['action'] as Json | undefined;
    return action ? { ...action, type: action['type'] } : json;
  }

  refusal(error: VenueError): DialectAnswer {
    const message = error.code === 0 ? error.msg : (TRANSLATED[error.code] ?? error.msg);
    return { body: { status: 'err', response: message } };
  }

  route(request: PerpRequest, venue: PerpVenueState): unknown {
    if (request.method !== 'POST') throw hlError(`unknown route ${request.method} ${request.path}`);
    if (request.path === '/info') return this.info(request.params, venue);
    if (request.path === '/exchange') return this.exchange(request.body as Json, venue);
    throw hlError(`unknown route ${request.path}`);
  }

  private info(p: Readonly<Json>, venue: PerpVenueState): unknown {
    switch (p['type']) {
      case 'meta':
      case 'metaAndAssetCtxs': {
        // Each coin has a margin table of its own here (ids from 50, as the venue numbers its tiered tables).
        const universe = COINS.map((coin, index) => ({ name: coin, szDecimals: SZ_DECIMALS[coin], maxLeverage: this.maxLeverage(coin), marginTableId: 50 + index }));
        const marginTables = COINS.map((coin, index) => [
          50 + index,
          { description: `${coin} tiers`, marginTiers: this.marginTiersOf(coin).map((t) => ({ lowerBound: t.lowerBound.toFixed(1), maxLeverage: t.maxLeverage })) },
        ]);
        if (p['type'] === 'meta') return { universe, marginTables };
        return [{ universe, marginTables }, COINS.map((coin) => this.assetContext(venue, BOOK_ID[coin] as string))];
      }
      case 'userRole': {
        const user = String(p['user']).toLowerCase();
        if (user === this.account) return { role: 'user' };
        const master = this.agents.get(user);
        return master ? { role: 'agent', data: { user: master } } : { role: 'missing' };
      }
      case 'userAbstraction':
        return 'default';
      case 'clearinghouseState':
        this.requireAccount(p['user']);
        return this.clearinghouse(venue);
      case 'frontendOpenOrders':
      case 'openOrders':
        this.requireAccount(p['user']);
        return venue.book.algoOrders.filter((a) => a.algoStatus === 'NEW').map((a) => this.triggerJson(a));
      case 'orderStatus':
        this.requireAccount(p['user']);
        return this.orderStatus(venue, p['oid']);
      case 'userFillsByTime':
      case 'userFills':
        this.requireAccount(p['user']);
        return this.fills(venue.book, Number(p['startTime'] ?? 0), Number(p['endTime'] ?? Number.MAX_SAFE_INTEGER)).slice(0, FILLS_PER_ANSWER);
      case 'userFunding':
        this.requireAccount(p['user']);
        return venue.book.income
          .filter((i) => i.incomeType === 'FUNDING_FEE' && i.time >= Number(p['startTime'] ?? 0) && i.time <= Number(p['endTime'] ?? Number.MAX_SAFE_INTEGER))
          .slice(0, FUNDING_ROWS_PER_ANSWER)
          // One hash for every funding row, as Hyperliquid answers.
          .map((i) => ({ time: i.time, hash: `0x${'0'.repeat(64)}`, delta: { type: 'funding', coin: coinOf(i.symbol), usdc: str(i.income), szi: '0', fundingRate: '0' } }));
      case 'candleSnapshot':
        return this.candles(venue, p['req'] as Json);
      case 'fundingHistory': {
        const id = this.bookSymbol(String(p['coin']));
        const start = Number(p['startTime'] ?? 0);
        const end = Number(p['endTime'] ?? venue.now);
        return venue
          .fundingHistory(id)
          .filter((f) => f.time >= start && f.time <= end)
          .map((f) => ({ coin: p['coin'], fundingRate: str(f.rate / 8), premium: '0', time: f.time }));
      }
    }
    throw hlError(`Failed to deserialize the JSON body into the target type: unknown info type ${String(p['type'])}`);
  }

  private marginTiersOf(coin: string): { lowerBound: number; maxLeverage: number }[] {
    return this.marginTiers.get(coin) ?? [{ lowerBound: 0, maxLeverage: 20 }];
  }

  /** An asset's maximum leverage: its first tier's. */
  maxLeverage(coin: string): number {
    return this.marginTiersOf(coin)[0]?.maxLeverage ?? 20;
  }

  /** The book's maintenance rate: half the initial margin at the first tier's leverage, the venue's rule. */
  maintenanceRate(id: string): number | undefined {
    const coin = COINS.find((c) => BOOK_ID[c] === id);
    return coin === undefined ? undefined : 0.5 / this.maxLeverage(coin);
  }

  private requireAccount(user: unknown): void {
    if (String(user).toLowerCase() !== this.account) throw hlError(`User or API Wallet ${String(user)} does not exist.`);
  }

  /** A coin's context as `metaAndAssetCtxs` and the `activeAssetCtx` feed give it: the mark, the last price as the mid. */
  assetContext(venue: VenueState, id: string): Json {
    const last = venue.lastPrice(id) ?? 0;
    const mark = venue.markPrice(id) ?? last;
    const day = venue.candles(id, 15 * 60_000).filter((c) => c.openTime > venue.now - 86_400_000);
    return {
      // Hyperliquid quotes the hourly rate; the recording holds 8-hour rates.
      funding: str(venue.currentFundingRate(id) / 8),
      openInterest: '1000',
      prevDayPx: str(day[0]?.open ?? last),
      dayNtlVlm: str(day.reduce((total, c) => total + c.volume * c.close, 0)),
      dayBaseVlm: str(day.reduce((total, c) => total + c.volume, 0)),
      premium: '0',
      oraclePx: str(mark),
      markPx: str(mark),
      midPx: str(last),
      impactPxs: [str(last), str(last)],
    };
  }

  private clearinghouse(venue: PerpVenueState): Json {
    const book = venue.book;
    const upnl = book.openPositions().reduce((total, p) => total + book.unrealizedPnl(p), 0);
    const used = book.usedMargin();
    const notional = book.openPositions().reduce((total, p) => total + Math.abs(p.amount) * (venue.markPrice(p.symbol) ?? p.entryPrice), 0);
    const summary = { accountValue: str(book.wallet + upnl), totalNtlPos: str(notional), totalRawUsd: str(book.wallet), totalMarginUsed: str(used) };
    return {
      marginSummary: summary,
      crossMarginSummary: summary,
      crossMaintenanceMarginUsed: '0',
      withdrawable: str(book.available()),
      assetPositions: book.openPositions().map((p) => ({
        type: 'oneWay',
        position: {
          coin: coinOf(p.symbol),
          szi: str(p.amount),
          leverage: { type: p.isolatedWallet > 0 ? 'isolated' : 'cross', value: book.leverageOf(p.symbol), rawUsd: str(-p.amount * p.entryPrice + p.isolatedWallet) },
          entryPx: str(p.entryPrice),
          positionValue: str(Math.abs(p.amount) * (venue.markPrice(p.symbol) ?? p.entryPrice)),
          unrealizedPnl: str(book.unrealizedPnl(p)),
          returnOnEquity: '0',
          liquidationPx: str(book.liquidationPrice(p)),
          marginUsed: str(p.isolatedWallet),
          maxLeverage: this.maxLeverage(coinOf(p.symbol)),
          cumFunding: { allTime: '0', sinceOpen: '0', sinceChange: '0' },
        },
      })),
      time: venue.now,
    };
  }

  private candles(venue: PerpVenueState, req: Json): Json[] {
    const coin = String(req['coin']);
    const id = this.bookSymbol(coin);
    const interval = String(req['interval']);
    const unit = interval.endsWith('m') ? 60_000 : interval.endsWith('h') ? 3_600_000 : 86_400_000;
    const ms = Number.parseInt(interval, 10) * unit;
    const start = Number(req['startTime'] ?? 0);
    const end = Number(req['endTime'] ?? venue.now);
    return venue
      .candles(id, ms)
      .filter((r) => r.openTime >= start && r.openTime <= end)
      .slice(-5000)
      .map((r) => ({ t: r.openTime, T: r.openTime + ms - 1, s: coin, i: interval, o: str(r.open), c: str(r.close), h: str(r.high), l: str(r.low), v: str(r.volume), n: 1 }));
  }

  private exchange(body: Json, venue: PerpVenueState): Json {
    const action = body['action'] as Json | undefined;
    const signature = body['signature'] as Json | undefined;
    if (!action || !signature || typeof signature['r'] !== 'string' || typeof signature['s'] !== 'string') {
      throw hlError('Failed to deserialize the JSON body: missing action or signature');
    }
    switch (action['type']) {
      case 'updateLeverage': {
        const id = this.assetBookId(action['asset']);
        venue.book.leverage.set(id, Number(action['leverage']));
        venue.book.marginType.set(id, action['isCross'] === true ? 'CROSSED' : 'ISOLATED');
        return { status: 'ok', response: { type: 'default' } };
      }
      case 'order': {
        const orders = (action['orders'] as Json[]).map((order) => this.place(venue, order));
        return { status: 'ok', response: { type: 'order', data: { statuses: orders } } };
      }
      case 'cancel':
      case 'cancelByCloid': {
        const cancels = action['cancels'] as Json[];
        const statuses = cancels.map((c) => this.cancel(venue, c['o'] ?? undefined, c['cloid'] === undefined ? undefined : String(c['cloid'])));
        return { status: 'ok', response: { type: 'cancel', data: { statuses } } };
      }
    }
    throw hlError(`unsupported action ${String(action['type'])}`);
  }

  private assetBookId(asset: unknown): string {
    const coin = COINS[Number(asset)];
    if (coin === undefined) throw hlError(`Invalid asset ${String(asset)}`);
    return BOOK_ID[coin] as string;
  }

  /** One order of an `order` action: its status entry, or `{ error }` in the venue's words. */
  private place(venue: PerpVenueState, order: Json): Json {
    try {
      const id = this.assetBookId(order['a']);
      const cloid = order['c'] === undefined ? undefined : String(order['c']);
      const clientOrderId = cloid ?? `hl-${venue.book.orders.length + venue.book.algoOrders.length}`;
      const side = order['b'] === true ? 'BUY' : 'SELL';
      const base = { symbol: id, side: side as 'BUY' | 'SELL', quantity: Number(order['s']), reduceOnly: order['r'] === true, clientOrderId };
      const type = order['t'] as Json;
      const trigger = type['trigger'] as Json | undefined;
      if (trigger) {
        if (trigger['isMarket'] !== true) throw hlError('only market trigger orders are modelled here');
        if (trigger['tpsl'] !== 'sl' && trigger['tpsl'] !== 'tp') throw hlError(`Invalid tpsl ${JSON.stringify(trigger['tpsl'])}`);
        const algo = venue.book.placeAlgoOrder(
          { ...base, orderType: trigger['tpsl'] === 'sl' ? 'STOP_MARKET' : 'TAKE_PROFIT_MARKET', triggerPrice: Number(trigger['triggerPx']), workingType: 'MARK_PRICE' },
          venue.now,
        );
        if (cloid) this.cloids.set(`a${algo.algoId}`, cloid);
        return { resting: { oid: triggerOid(algo), cloid } };
      }
      const tif = String((type['limit'] as Json | undefined)?.['tif'] ?? 'Gtc');
      if (tif !== 'Ioc') throw hlError('resting orders are not modelled here (use Ioc)');
      const placed = venue.book.placeLimitIocOrder({ ...base, price: Number(order['p']), timeInForce: 'IOC' }, venue.now);
      if (cloid) this.cloids.set(`o${placed.orderId}`, cloid);
      if (placed.executedQty === 0) return { error: `Order could not immediately match against any resting orders. asset=${String(order['a'])}` };
      return { filled: { totalSz: str(placed.executedQty), avgPx: str(placed.avgPrice), oid: placed.orderId, cloid } };
    } catch (error) {
      if (!(error instanceof VenueError)) throw error;
      return { error: `${error.code === 0 ? error.msg : (TRANSLATED[error.code] ?? error.msg)} asset=${String(order['a'])}` };
    }
  }

  private cancel(venue: PerpVenueState, oid: unknown, cloid: string | undefined): unknown {
    const algo = venue.book.algoOrders.find(
      (a) => a.algoStatus === 'NEW' && ((oid !== undefined && triggerOid(a) === Number(oid)) || (cloid !== undefined && this.cloids.get(`a${a.algoId}`) === cloid)),
    );
    if (!algo) return { error: 'Order was never placed, already canceled, or filled.' };
    algo.algoStatus = 'CANCELED';
    algo.updateTime = venue.now;
    return 'success';
  }

  private orderStatus(venue: PerpVenueState, oid: unknown): Json {
    const key = String(oid);
    const byCloid = key.startsWith('0x');
    const algo = venue.book.algoOrders.find((a) => (byCloid ? this.cloids.get(`a${a.algoId}`) === key : triggerOid(a) === Number(key)));
    if (algo) {
      const status = { NEW: 'open', FINISHED: 'filled', CANCELED: 'canceled', EXPIRED: 'canceled' }[algo.algoStatus];
      return { status: 'order', order: { order: this.triggerJson(algo), status, statusTimestamp: algo.updateTime } };
    }
    const order = venue.book.orders.find((o) => (byCloid ? this.cloids.get(`o${o.orderId}`) === key : o.orderId === Number(key)));
    if (!order) return { status: 'unknownOid' };
    const status = order.status === 'FILLED' ? 'filled' : 'canceled';
    return { status: 'order', order: { order: this.orderJson(order), status, statusTimestamp: order.updateTime } };
  }

  orderJson(o: BookOrder): Json {
    return {
      coin: coinOf(o.symbol),
      side: o.side === 'BUY' ? 'B' : 'A',
      limitPx: str(o.price || o.avgPrice),
      sz: str(o.origQty - o.executedQty),
      origSz: str(o.origQty),
      oid: o.orderId,
      timestamp: o.time,
      triggerCondition: 'N/A',
      isTrigger: false,
      triggerPx: '0.0',
      children: [],
      isPositionTpsl: false,
      reduceOnly: o.reduceOnly,
      orderType: 'Limit',
      tif: 'Ioc',
      cloid: this.cloids.get(`o${o.orderId}`) ?? null,
    };
  }

  triggerJson(a: AlgoOrder): Json {
    // A long's stop fires below the price, its target above; a short's the other way round.
    const below = (a.orderType === 'STOP_MARKET') === (a.side === 'SELL');
    const sell = a.side === 'SELL';
    return {
      coin: coinOf(a.symbol),
      side: a.side === 'BUY' ? 'B' : 'A',
      limitPx: str(a.triggerPrice * (sell ? 0.9 : 1.1)),
      sz: a.algoStatus === 'FINISHED' ? '0.0' : str(a.quantity),
      origSz: str(a.quantity),
      oid: triggerOid(a),
      timestamp: a.createTime,
      triggerCondition: `Price ${below ? 'below' : 'above'} ${str(a.triggerPrice)}`,
      isTrigger: true,
      triggerPx: str(a.triggerPrice),
      children: [],
      isPositionTpsl: false,
      reduceOnly: a.reduceOnly,
      orderType: a.orderType === 'STOP_MARKET' ? 'Stop Market' : 'Take Profit Market',
      tif: null,
      cloid: this.cloids.get(`a${a.algoId}`) ?? null,
    };
  }

  /** Fills in [start, end]: a fired trigger's fill carries the trigger order's oid and cloid. */
  fills(book: AccountBook, start: number, end: number): Json[] {
    return book.trades.filter((t) => t.time >= start && t.time <= end).map((t) => this.fillJson(book, t));
  }

  fillJson(book: AccountBook, t: TradeRecord): Json {
    const algo = book.algoOrders.find((a) => a.actualOrderId === t.orderId);
    const cloid = algo ? this.cloids.get(`a${algo.algoId}`) : this.cloids.get(`o${t.orderId}`);
    // The liquidation engine's fills carry a `liquidation` object, as Hyperliquid's userFills do.
    const liquidated = book.orders.find((o) => o.orderId === t.orderId)?.clientOrderId?.startsWith('autoclose-') === true;
    return {
      coin: coinOf(t.symbol),
      px: str(t.price),
      sz: str(t.qty),
      side: t.side === 'BUY' ? 'B' : 'A',
      time: t.time,
      startPosition: '0',
      dir: t.side === 'BUY' ? 'Open Long' : 'Close Long',
      closedPnl: str(t.realizedPnl),
      hash: `0x${t.id.toString(16).padStart(64, '0')}`,
      oid: algo ? triggerOid(algo) : t.orderId,
      crossed: true,
      fee: str(t.commission),
      tid: t.id,
      feeToken: 'USDC',
      ...(cloid && this.fillsCarryCloid ? { cloid } : {}),
      ...(liquidated ? { liquidation: { liquidatedUser: HL_ACCOUNT, markPx: str(t.price), method: 'market' } } : {}),
    };
  }
}
