// The three venues' local stand-ins behind one face, so one live suite runs against each: the daemon's engine and
// the real ccxt client for the venue, the venue's own wire format, and the same simulated book underneath (which is
// what the assertions read: positions, conditional orders, fills, the wallet).
import { fromCloid } from '../../../../src/adapters/exchange/ccxt/venues/hyperliquid-client-id.js';
import type { AccountBook, AlgoOrder } from '../../../peers/binance-usdm/account-book.js';
import { TEST_API_KEY, TEST_SECRET } from '../../../peers/binance-usdm/index.js';
import { BYBIT_API_KEY, BYBIT_SECRET, startFakeBybit } from '../../../peers/bybit/index.js';
import { HL_ACCOUNT, HL_AGENT_KEY, startFakeHyperliquid } from '../../../peers/hyperliquid/index.js';
import type { LocalPerpVenue } from '../../../peers/perp-venue/perp-venue.js';
import type { VenueTarget } from '../live-harness.js';
import { startVenue } from '../live-harness.js';

export interface LeverageTierSpec {
  readonly from: number;
  readonly maxLeverage: number;
}

export type VenueId = 'binanceusdm' | 'bybit' | 'hyperliquid';

/** What every stand-in records of a request: enough to tell what it did. */
export interface HeardRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export interface VenueUnderTest {
  readonly id: VenueId;
  /** The unified BTC perpetual on this venue. */
  readonly btc: string;
  /** The unified ETH perpetual on this venue. */
  readonly eth: string;
  setEthPrice(price: number): void;
  readonly settle: string;
  /** The venue's BTC tick and lot: prices and sizes in the scenarios are chosen on both grids. */
  readonly tick: number;
  readonly target: VenueTarget;
  readonly book: AccountBook;
  setPrice(price: number): void;
  /** Moves only the mark price (the last price stays): conditional orders on the mark fire, a last-price watch sees nothing. */
  setMarkPrice(price: number): void;
  advance(ms: number): void;
  /** Market-data websockets are refused (Bybit's stand-in models only the private stream; Hyperliquid's its ticker feed too). */
  refuseMarketStreams(): void;
  /** How many private order-stream connections are open and listening (Binance: with a live listen key). */
  orderStreamListeners(): number;
  /** Order updates the venue pushed on its private stream, in the venue's shapes. */
  orderStreamEvents(): readonly Record<string, unknown>[];
  /** Drops every private-stream connection. */
  dropOrderStreams(): void;
  /** Replaces BTC's leverage tiers (from a position value, the largest leverage allowed); not modelled on Binance's stand-in. */
  setLeverageTiers(tiers: readonly LeverageTierSpec[]): void;
  /** Requests that read the venue's leverage table. */
  tierReads(): number;
  /** The conditional orders in the book, client ids in the daemon's terms. */
  stops(): { clientId: string; status: AlgoOrder['algoStatus']; triggerPrice: number; quantity: number; onMark: boolean; reduceOnly: boolean }[];
  /** The venue refuses the next stop order (its "would trigger immediately"). */
  refuseNextStop(): void;
  /** The venue books the next entry but answers only after `ms`. */
  delayNextEntry(ms: number): void;
  /** The venue fails the next cancel of a conditional order with a server error. */
  failNextStopCancel(): void;
  /** Hears every request the stand-in receives, before it answers (the protection audit watches the book at each). */
  onRequest(listener: (request: HeardRequest) => void): () => void;
  /** Whether the request reads the account's open orders, as the daemon does to verify a stop it placed. */
  readsOpenOrders(request: HeardRequest): boolean;
  /** Order-changing requests so far (entries, stops, closes, cancels). */
  orderRequests(): number;
  /** Those requests in order, as `order:<client id>`, `stop:<client id>` or `cancel`, client ids in the daemon's terms. */
  orderLog(): string[];
  /** One request's entries in that log (none for a request that changes no order). */
  orderEntries(request: HeardRequest): string[];
  close(): Promise<void>;
}

function stopsOf(book: AccountBook, ownId: (id: string) => string): ReturnType<VenueUnderTest['stops']> {
  return book.algoOrders.map((a) => ({
    clientId: ownId(a.clientAlgoId),
    status: a.algoStatus,
    triggerPrice: a.triggerPrice,
    quantity: a.quantity,
    onMark: a.workingType === 'MARK_PRICE',
    reduceOnly: a.reduceOnly,
  }));
}

type StreamControls = Pick<VenueUnderTest, 'refuseMarketStreams' | 'orderStreamListeners' | 'orderStreamEvents' | 'dropOrderStreams'>;

function privateStreamOf(venue: LocalPerpVenue): StreamControls {
  const stream = venue.privateStream;
  if (!stream) throw new Error(`the ${venue.name} stand-in has no private stream`);
  return {
    // The private stream stays; the market feeds it can serve (Hyperliquid's ticker) are refused.
    refuseMarketStreams: () => {
      stream.refuseMarketFeeds = true;
    },
    orderStreamListeners: () => stream.subscribedCount,
    orderStreamEvents: () => stream.pushed,
    dropOrderStreams: () => stream.disconnectAll(),
  };
}

async function binance(): Promise<VenueUnderTest> {
  const venue = await startVenue();
  const orderEntries = (r: HeardRequest): string[] => {
    if (r.method === 'DELETE' && (r.path === '/fapi/v1/order' || r.path === '/fapi/v1/algoOrder')) return ['cancel'];
    if (r.method === 'POST' && r.path === '/fapi/v1/order') return [`order:${String(r.params['newClientOrderId'])}`];
    if (r.method === 'POST' && r.path === '/fapi/v1/algoOrder') return [`stop:${String(r.params['clientAlgoId'])}`];
    return [];
  };
  return {
    id: 'binanceusdm',
    btc: 'BTC/USDT:USDT',
    eth: 'ETH/USDT:USDT',
    setEthPrice: (price) => venue.setPrice('ETHUSDT', price),
    settle: 'USDT',
    tick: 0.1,
    target: { exchangeId: 'binanceusdm', apiKey: TEST_API_KEY, secret: TEST_SECRET, origin: venue.origin, wsOrigin: venue.wsOrigin, now: () => venue.now() },
    book: venue.book,
    setPrice: (price) => venue.setPrice('BTCUSDT', price),
    setMarkPrice: (price) => venue.setMarkPrice('BTCUSDT', price),
    advance: (ms) => venue.advance(ms),
    refuseMarketStreams: () => venue.refuseWebSockets(true),
    orderStreamListeners: () => venue.openUserDataStreams,
    orderStreamEvents: () => venue.userDataEvents,
    dropOrderStreams: () => venue.disconnectUserData(),
    setLeverageTiers: () => {
      throw new Error("the Binance stand-in's bracket table is fixed (see test/integration/live/leverage-brackets.test.ts)");
    },
    tierReads: () => venue.requestsTo('/fapi/v1/leverageBracket').length,
    stops: () => stopsOf(venue.book, (id) => id),
    refuseNextStop: () =>
      venue.failNext({ path: '/fapi/v1/algoOrder', method: 'POST', status: 400, body: { code: -2021, msg: 'Order would immediately trigger.' } }),
    delayNextEntry: (ms) => venue.delayNext({ path: '/fapi/v1/order', method: 'POST', ms }),
    failNextStopCancel: () => venue.failNext({ path: '/fapi/v1/algoOrder', method: 'DELETE', status: 503 }),
    onRequest: (listener) => venue.onRequest((request) => void listener(request)),
    readsOpenOrders: (r) => r.method === 'GET' && r.path === '/fapi/v1/openAlgoOrders',
    orderRequests: () => venue.requests.filter((r) => r.method !== 'GET' && (r.path === '/fapi/v1/order' || r.path === '/fapi/v1/algoOrder')).length,
    orderEntries,
    orderLog: () => venue.requests.flatMap(orderEntries),
    close: () => venue.close(),
  };
}

async function bybit(): Promise<VenueUnderTest> {
  const venue = await startFakeBybit({ balance: 1_000, takerFeeRate: 0.0005 });
  const isStop = (r: HeardRequest): boolean => r.params['triggerPrice'] !== undefined;
  // Bybit's orderLinkId takes no `.`: a replacement's version goes out as `_N` (`ltd-1-stop_1`).
  const ownId = (linkId: string): string => linkId.replace(/_(\d+)$/, '.$1');
  const orderEntries = (r: HeardRequest): string[] => {
    if (r.path === '/v5/order/cancel') return ['cancel'];
    if (r.path === '/v5/order/create') return [`${isStop(r) ? 'stop' : 'order'}:${ownId(String(r.params['orderLinkId']))}`];
    return [];
  };
  const first = venue.dialect.maintenanceRate('BTCUSDT') ?? 0.005;
  return {
    setLeverageTiers: (tiers) =>
      venue.dialect.riskLimits.set(
        'BTCUSDT',
        tiers.map((tier, index) => ({
          riskLimitValue: tiers[index + 1]?.from ?? 100_000_000,
          maintenanceMargin: first * (index + 1),
          initialMargin: 1 / tier.maxLeverage,
          maxLeverage: tier.maxLeverage,
        })),
      ),
    tierReads: () => venue.requestsTo('/v5/market/risk-limit').length,
    id: 'bybit',
    btc: 'BTC/USDT:USDT',
    eth: 'ETH/USDT:USDT',
    setEthPrice: (price) => venue.setPrice('ETHUSDT', price),
    settle: 'USDT',
    tick: 0.1,
    target: { exchangeId: 'bybit', apiKey: BYBIT_API_KEY, secret: BYBIT_SECRET, origin: venue.origin, wsOrigin: venue.origin.replace('http', 'ws'), now: () => venue.now() },
    book: venue.book,
    setPrice: (price) => venue.setPrice('BTCUSDT', price),
    setMarkPrice: (price) => venue.setMarkPrice('BTCUSDT', price),
    advance: (ms) => venue.advance(ms),
    ...privateStreamOf(venue),
    stops: () => stopsOf(venue.book, ownId),
    refuseNextStop: () =>
      venue.failNext({ path: '/v5/order/create', when: isStop, status: 200, body: { retCode: 110092, retMsg: 'expect Falling, but trigger_price[94000] > current[93000]', result: {}, retExtInfo: {}, time: venue.now() } }),
    delayNextEntry: (ms) => venue.delayNext({ path: '/v5/order/create', when: (r) => !isStop(r) && r.params['reduceOnly'] !== true, ms }),
    failNextStopCancel: () => venue.failNext({ path: '/v5/order/cancel', status: 503, body: { retCode: 10016, retMsg: 'Server error', result: {} } }),
    onRequest: (listener) => venue.onRequest((request) => void listener(request)),
    readsOpenOrders: (r) => r.method === 'GET' && r.path === '/v5/order/realtime',
    orderRequests: () => venue.requests.filter((r) => r.path === '/v5/order/create' || r.path === '/v5/order/cancel').length,
    orderEntries,
    orderLog: () => venue.requests.flatMap(orderEntries),
    close: () => venue.close(),
  };
}

async function hyperliquid(): Promise<VenueUnderTest> {
  const venue = await startFakeHyperliquid({ balance: 1_000, takerFeeRate: 0.0005 });
  const orders = (r: HeardRequest): Record<string, unknown>[] => (r.params['orders'] as Record<string, unknown>[] | undefined) ?? [];
  const orderEntries = (r: HeardRequest): string[] => {
    if (r.path !== '/exchange') return [];
    if (String(r.params['type']).startsWith('cancel')) return ['cancel'];
    if (r.params['type'] !== 'order') return [];
    return orders(r).map((o) => `${(o['t'] as Record<string, unknown>)['trigger'] ? 'stop' : 'order'}:${fromCloid(String(o['c'])) ?? String(o['c'])}`);
  };
  const isStop = (r: HeardRequest): boolean => r.params['type'] === 'order' && orders(r).some((o) => (o['t'] as Record<string, unknown>)['trigger'] !== undefined);
  return {
    setLeverageTiers: (tiers) => venue.dialect.marginTiers.set('BTC', tiers.map((tier) => ({ lowerBound: tier.from, maxLeverage: tier.maxLeverage }))),
    tierReads: () => venue.requestsTo('/info', 'meta').length,
    id: 'hyperliquid',
    btc: 'BTC/USDC:USDC',
    eth: 'ETH/USDC:USDC',
    setEthPrice: (price) => venue.setPrice('ETH', price),
    settle: 'USDC',
    tick: 1,
    target: { exchangeId: 'hyperliquid', apiKey: HL_ACCOUNT, secret: HL_AGENT_KEY, origin: venue.origin, wsOrigin: venue.origin.replace('http', 'ws'), now: () => venue.now() },
    book: venue.book,
    setPrice: (price) => venue.setPrice('BTC', price),
    setMarkPrice: (price) => venue.setMarkPrice('BTC', price),
    advance: (ms) => venue.advance(ms),
    ...privateStreamOf(venue),
    stops: () => stopsOf(venue.book, (id) => fromCloid(id) ?? id),
    refuseNextStop: () =>
      venue.failNext({ path: '/exchange', when: isStop, status: 200, body: { status: 'ok', response: { type: 'order', data: { statuses: [{ error: 'Invalid TP/SL price. asset=0' }] } } } }),
    delayNextEntry: (ms) => venue.delayNext({ path: '/exchange', when: (r) => r.params['type'] === 'order' && !isStop(r) && orders(r).every((o) => o['r'] !== true), ms }),
    failNextStopCancel: () => venue.failNext({ path: '/exchange', type: 'cancel', status: 503, body: 'Service Unavailable' }),
    onRequest: (listener) => venue.onRequest((request) => void listener(request)),
    readsOpenOrders: (r) => r.path === '/info' && (r.params['type'] === 'frontendOpenOrders' || r.params['type'] === 'openOrders'),
    orderRequests: () => venue.requests.filter((r) => r.path === '/exchange' && (r.params['type'] === 'order' || String(r.params['type']).startsWith('cancel'))).length,
    orderEntries,
    orderLog: () => venue.requests.flatMap(orderEntries),
    close: () => venue.close(),
  };
}

export const VENUES: readonly VenueId[] = ['binanceusdm', 'bybit', 'hyperliquid'];

export function startVenueUnderTest(id: VenueId): Promise<VenueUnderTest> {
  return id === 'binanceusdm' ? binance() : id === 'bybit' ? bybit() : hyperliquid();
}
