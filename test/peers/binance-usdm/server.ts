// A local fake of Binance USDⓈ-M (REST + market-stream websocket) on 127.0.0.1, for tests of the real ccxt client.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { roundToStep } from '../../../src/domain/money.js';
import type { AccountBook, BookOrder, ClientIdScope, CommissionAsset, IncomeRecord } from './account-book.js';
import { type DelayRule, type DropRule, type FailRule, FaultPlan, type RewriteRule, defaultFailureBody } from './faults.js';
import type { CandleRow } from './history.js';
import { MarketReplay, type MarketReplayOptions } from './market-replay.js';
import { PriceStream, type StreamEvent } from './price-stream.js';
import { UserDataStream } from './user-data-stream.js';
import { privateRoutes } from './private-routes.js';
import { type Params, publicRoutes } from './public-routes.js';
import { BINANCE_FAULT_ANSWERS, type InjectedFault, RandomFaults, type RandomFaultOptions } from './random-faults.js';
import { type Credentials, verifySignedRequest } from './request-signing.js';
import { VenueError, venueErrors } from './venue-error.js';
import { autoDeleverage, dropConditionalOrders, settle } from './venue-actions.js';
import { outageRefusal } from './venue-outage.js';
import { type ApiRestrictions, VenueState, venueSymbol } from './venue-state.js';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** Query and form parameters, `signature` left out. */
  readonly params: Readonly<Record<string, string>>;
  /** Carried a signature or an API key. */
  readonly signed: boolean;
  /** When it arrived (performance.now(), ms), for latency measurements. */
  readonly at: number;
}

/** Sees every request as it arrives; answering `drop` closes the connection before the venue acts on it. */
export type RequestListener = (request: RecordedRequest) => 'drop' | void;

export interface FakeBinanceOptions {
  readonly apiKey?: string;
  readonly secret?: string;
  /** The venue's clock, epoch ms; defaults to 2025-10-15 12:05 UTC (inside the bundled history). */
  readonly now?: number;
  /** Starting USDT wallet balance. */
  readonly balance?: number;
  readonly takerFeeRate?: number;
  readonly restrictions?: Partial<ApiRestrictions>;
  /** `ever` (default): no client id may ever be reused; `open`: Binance's documented rule, unique among open orders. */
  readonly clientIdScope?: ClientIdScope;
  /** List at least this many USDT perpetuals: the recorded ones reused under new names (see MarketHistory). */
  readonly marketCount?: number;
}

export interface FakeBinance {
  readonly origin: string;
  readonly wsOrigin: string;
  readonly requests: readonly RecordedRequest[];
  readonly book: AccountBook;
  readonly streamSubscriptions: readonly string[];
  readonly streamEvents: readonly StreamEvent[];
  readonly openStreams: number;
  requestsTo(path: string, method?: string): RecordedRequest[];
  signedRequests(): RecordedRequest[];
  clearRequests(): void;
  now(): number;
  setNow(time: number | Date): void;
  advance(ms: number): void;
  /**
   * While on, the venue clock moves with real time (from wherever it stands), `speed` times faster (default 1);
   * `setNow`/`advance` still jump it.
   */
  runClock(running: boolean, speed?: number): void;
  /** Prices follow the recorded candles as the clock runs (stops fire, streams push, funding is booked); false stops. */
  replayMarket(options: MarketReplayOptions | false): void;
  /** Sets last and mark price, fires crossed conditional orders, pushes to stream subscribers. */
  setPrice(symbol: string, price: number): void;
  setMarkPrice(symbol: string, price: number): void;
  /** The market's price step, in exchangeInfo and for every price sent: set it before a client loads the markets. */
  setTickSize(symbol: string, tickSize: number): void;
  setFundingRate(symbol: string, rate: number): void;
  /** The market settles every `hours` from now on, and `GET /fapi/v1/fundingInfo` lists it (unset: 8 h, unlisted). */
  setFundingInterval(symbol: string, hours: number): void;
  /** Books a funding settlement for the open position of `symbol` at the current rate (or `rate`). */
  settleFunding(symbol: string, rate?: number): IncomeRecord | undefined;
  /**
   * Liquidates the open position of `symbol`: last and mark price move to its liquidation price (on the tick), its
   * conditional orders are cancelled, and it is closed there by an `autoclose-` order. Stops do not fire first.
   */
  liquidate(symbol: string): BookOrder | undefined;
  setMinuteCandles(symbol: string, rows: readonly CandleRow[]): void;
  /** The venue cancels (or expires) the symbol's resting conditional orders, as after a leverage or margin change. */
  dropStops(symbol: string, status?: 'CANCELED' | 'EXPIRED'): number;
  /** Auto-deleveraging: the venue takes `quantity` (rounded down to whole lots; all when omitted) of the position at the last price. */
  autoDeleverage(symbol: string, quantity?: number): BookOrder | undefined;
  /** The symbol's status in exchangeInfo (`TRADING`, `SETTLING`, `CLOSE`); anything but TRADING takes reduce-only orders only. */
  setSymbolStatus(symbol: string, status: string): void;
  /** Delisting: the symbol stops trading and its open position is settled at `price`. */
  settleSymbol(symbol: string, price: number): BookOrder | undefined;
  /** Every endpoint answers 503 "System is under maintenance" for `maintenanceMs`, then signed requests get -1021 for `timestampMs`. */
  maintenance(maintenanceMs: number, timestampMs?: number): void;
  /** Refuse signed requests whose timestamp is outside their receive window of the venue's clock. */
  enforceReceiveWindow(on: boolean): void;
  /** The most one immediate-or-cancel order can take at the book price (undefined: any); the rest expires. */
  setBookDepth(symbol: string, quantity: number | undefined): void;
  /** 1-minute mark-price candles for `markPriceKlines` below an hour (hourly and longer come from the recording). */
  setMinuteMarkCandles(symbol: string, rows: readonly CandleRow[]): void;
  setApiRestrictions(restrictions: Partial<ApiRestrictions>): void;
  setHedgeMode(hedge: boolean): void;
  /** Fees from now on paid in BNB (at BNBUSDT's last price, which must be set) or USDT (the default). */
  setCommissionAsset(asset: CommissionAsset): void;
  failNext(rule: FailRule): void;
  delayNext(rule: DelayRule): void;
  dropConnection(rule: DropRule): void;
  /** The next matching successful answer is passed through `rule.rewrite` (malformed or non-finite fields). */
  rewriteNext(rule: RewriteRule): void;
  /** Forgets every scripted failure, delay, drop and rewrite not yet used. */
  clearFaults(): void;
  /** From now on a share of requests fails at random (see random-faults.ts); undefined stops it. */
  randomFaults(options: RandomFaultOptions | undefined): void;
  /** Every fault drawn by `randomFaults`, in order. */
  readonly injectedFaults: readonly InjectedFault[];
  /** Registers a listener for every arriving request; returns its removal. */
  onRequest(listener: RequestListener): () => void;
  disconnectWebSockets(): void;
  /** Every ORDER_TRADE_UPDATE the user-data stream pushed. */
  readonly userDataEvents: readonly Record<string, unknown>[];
  readonly openUserDataStreams: number;
  /** Drops the user-data stream connections only (the market streams stay). */
  disconnectUserData(): void;
  refuseWebSockets(refuse: boolean): void;
  close(): Promise<void>;
}

export const DEFAULT_VENUE_NOW = Date.UTC(2025, 9, 15, 12, 5);
export const TEST_API_KEY = 'test-api-key-0123456789';
export const TEST_SECRET = 'test-secret-do-not-leak-9f8e7d6c';

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function toParams(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(raw)) out[key] = value;
  return out;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/plain' : 'application/json';
  response.writeHead(status, { 'Content-Type': type, ...headers });
  response.end(text);
}

export async function startFakeBinance(options: FakeBinanceOptions = {}): Promise<FakeBinance> {
  const credentials: Credentials = { apiKey: options.apiKey ?? TEST_API_KEY, secret: options.secret ?? TEST_SECRET };
  const state = new VenueState(
    options.now ?? DEFAULT_VENUE_NOW,
    options.balance ?? 1_000,
    options.takerFeeRate ?? 0.0005,
    options.restrictions ?? {},
    options.clientIdScope ?? 'ever',
    options.marketCount ?? 0,
  );
  const faults = new FaultPlan();
  const stream = new PriceStream(state);
  const userData = new UserDataStream(state.book, () => state.now);
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const listeners = new Set<RequestListener>();
  const injectedFaults: InjectedFault[] = [];
  let random: RandomFaults | undefined;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const rawQuery = url.search.slice(1);
    const rawBody = await readBody(request);
    const params: Record<string, string> = { ...toParams(rawQuery), ...toParams(rawBody) };
    const signed = 'signature' in params || request.headers['x-mbx-apikey'] !== undefined;
    delete params['signature'];
    const recorded: RecordedRequest = { method, path: url.pathname, params, signed, at: performance.now() };
    requests.push(recorded);
    let dropBeforeProcessing = false;
    for (const listener of listeners) if (listener(recorded) === 'drop') dropBeforeProcessing = true;
    const drawn = random?.draw(method, url.pathname, state.now);
    if (drawn && random) injectedFaults.push(random.injected[random.injected.length - 1] as InjectedFault);

    const drop = faults.takeDrop(method, url.pathname) ?? (drawn?.type === 'drop' ? drawn : undefined);
    if (dropBeforeProcessing || (drop && !drop.afterProcessing)) {
      request.socket.destroy();
      return;
    }
    const outage = outageRefusal(state, url.pathname, signed, params);
    if (outage) {
      send(response, outage.status, { code: outage.code, msg: outage.msg });
      return;
    }
    const failure = faults.takeFailure(method, url.pathname) ?? (drawn?.type === 'fail' ? drawn : undefined);
    if (failure) {
      const body = 'body' in failure ? failure.body : undefined;
      send(response, failure.status, body ?? defaultFailureBody(failure.status), { ...failure.headers });
      return;
    }
    let status = 200;
    let body: unknown;
    try {
      body = route(method, url.pathname, params, request, rawQuery, rawBody);
    } catch (error) {
      if (!(error instanceof VenueError)) throw error;
      status = error.status;
      body = { code: error.code, msg: error.msg };
    }
    // An order may have changed (placed, filled, cancelled): the user-data stream tells its listeners.
    userData.publishChanges();
    if (drop) {
      request.socket.destroy();
      return;
    }
    const rewrite = status === 200 ? faults.takeRewrite(method, url.pathname) : undefined;
    if (rewrite) body = rewrite.rewrite(JSON.parse(JSON.stringify(body)) as unknown);
    const delayMs = faults.takeDelay(method, url.pathname)?.ms ?? (drawn?.type === 'hold' ? drawn.ms : undefined);
    if (delayMs !== undefined) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!response.destroyed) send(response, status, body);
      }, delayMs);
      timers.add(timer);
      return;
    }
    send(response, status, body);
  }

  function route(
    method: string,
    path: string,
    params: Params,
    request: IncomingMessage,
    rawQuery: string,
    rawBody: string,
  ): unknown {
    const key = `${method} ${path}`;
    const publicRoute = publicRoutes[key];
    if (publicRoute) return publicRoute(state, params);
    if (path === '/fapi/v1/listenKey') {
      const header = request.headers['x-mbx-apikey'];
      if ((Array.isArray(header) ? header[0] : header) !== credentials.apiKey) throw venueErrors.rejectedKey();
      const answer = userData.route(method, path, params);
      if (answer === undefined) throw venueErrors.notFound();
      return answer;
    }
    const privateRoute = privateRoutes[key];
    if (!privateRoute) throw venueErrors.notFound();
    const header = request.headers['x-mbx-apikey'];
    verifySignedRequest(credentials, Array.isArray(header) ? header[0] : header, rawQuery, rawBody);
    return privateRoute(state, params);
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { code: -1000, msg: String(error) });
    });
  });
  server.on('upgrade', (request, socket, head) =>
    userData.claims(request) ? userData.handleUpgrade(request, socket, head) : stream.handleUpgrade(request, socket, head),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const afterPriceChange = (symbol: string): void => {
    state.book.evaluateTriggers(symbol, state.now);
    userData.publishChanges();
    stream.publish(symbol);
  };
  const replay = new MarketReplay(state, afterPriceChange);

  return {
    origin: `http://127.0.0.1:${port}`,
    wsOrigin: `ws://127.0.0.1:${port}`,
    requests,
    book: state.book,
    streamSubscriptions: stream.subscriptions,
    streamEvents: stream.pushed,
    get openStreams() {
      return stream.connectionCount;
    },
    requestsTo: (path, method) => requests.filter((r) => r.path === path && (!method || r.method === method)),
    signedRequests: () => requests.filter((r) => r.signed),
    clearRequests: () => {
      requests.length = 0;
    },
    now: () => state.now,
    setNow: (time) => {
      state.now = typeof time === 'number' ? time : time.getTime();
    },
    advance: (ms) => {
      state.now += ms;
    },
    runClock: (running, speed) => state.runClock(running, speed),
    replayMarket: (options) => {
      if (options === false) replay.stop();
      else replay.start(options);
    },
    setPrice: (symbol, price) => {
      state.setPrice(venueSymbol(symbol), price);
      afterPriceChange(venueSymbol(symbol));
    },
    setMarkPrice: (symbol, price) => {
      state.setMarkPrice(venueSymbol(symbol), price);
      afterPriceChange(venueSymbol(symbol));
    },
    setTickSize: (symbol, tickSize) => state.tickSizes.set(venueSymbol(symbol), tickSize),
    setFundingRate: (symbol, rate) => state.setFundingRate(venueSymbol(symbol), rate),
    setFundingInterval: (symbol, hours) => state.setFundingInterval(venueSymbol(symbol), hours),
    settleFunding: (symbol, rate) =>
      state.book.settleFunding(venueSymbol(symbol), rate ?? state.currentFundingRate(venueSymbol(symbol)), state.now),
    liquidate: (symbol) => {
      const id = venueSymbol(symbol);
      const position = state.book.position(id);
      if (!position) return undefined;
      const tickSize = state.filters(id)?.tickSize ?? 0.01;
      state.setPrice(id, roundToStep(state.book.liquidationPrice(position), tickSize, 'nearest'));
      const order = state.book.liquidate(id, state.now);
      userData.publishChanges();
      stream.publish(id);
      return order;
    },
    setMinuteCandles: (symbol, rows) => state.setMinuteCandles(venueSymbol(symbol), rows),
    dropStops: (symbol, status = 'CANCELED') => {
      const dropped = dropConditionalOrders(state.book, venueSymbol(symbol), status, state.now).length;
      userData.publishChanges();
      return dropped;
    },
    autoDeleverage: (symbol, quantity) => {
      const id = venueSymbol(symbol);
      // A part is taken in whole lots, as the venue would.
      const step = state.filters(id)?.stepSize;
      const lots = quantity === undefined || step === undefined ? quantity : roundToStep(quantity, step, 'down');
      const order = autoDeleverage(state.book, id, state.now, lots);
      userData.publishChanges();
      stream.publish(venueSymbol(symbol));
      return order;
    },
    setSymbolStatus: (symbol, status) => {
      if (status === 'TRADING') state.symbolStatus.delete(venueSymbol(symbol));
      else state.symbolStatus.set(venueSymbol(symbol), status);
    },
    settleSymbol: (symbol, price) => {
      const id = venueSymbol(symbol);
      state.symbolStatus.set(id, 'SETTLING');
      state.setPrice(id, price);
      const order = settle(state.book, id, state.now);
      state.symbolStatus.set(id, 'CLOSE');
      userData.publishChanges();
      return order;
    },
    maintenance: (maintenanceMs, timestampMs = 0) => {
      state.maintenanceUntil = state.now + maintenanceMs;
      state.timestampsRefusedUntil = state.now + maintenanceMs + timestampMs;
    },
    enforceReceiveWindow: (on) => {
      state.enforceReceiveWindow = on;
    },
    setBookDepth: (symbol, quantity) => {
      if (quantity === undefined) state.book.depth.delete(venueSymbol(symbol));
      else state.book.depth.set(venueSymbol(symbol), quantity);
    },
    setMinuteMarkCandles: (symbol, rows) => state.setMinuteMarkCandles(venueSymbol(symbol), rows),
    setApiRestrictions: (restrictions) => {
      state.restrictions = { ...state.restrictions, ...restrictions };
    },
    setHedgeMode: (hedge) => {
      state.dualSidePosition = hedge;
    },
    setCommissionAsset: (asset) => {
      state.book.commissionAsset = asset;
    },
    failNext: (rule) => faults.failNext(rule),
    delayNext: (rule) => faults.delayNext(rule),
    dropConnection: (rule) => faults.dropNext(rule),
    rewriteNext: (rule) => faults.rewriteNext(rule),
    clearFaults: () => faults.clear(),
    randomFaults: (options) => {
      random = options === undefined ? undefined : new RandomFaults(options, BINANCE_FAULT_ANSWERS);
    },
    injectedFaults,
    onRequest: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    disconnectWebSockets: () => {
      stream.disconnectAll();
      userData.disconnectAll();
    },
    userDataEvents: userData.pushed,
    get openUserDataStreams() {
      return userData.connectionCount;
    },
    disconnectUserData: () => userData.disconnectAll(),
    refuseWebSockets: (refuse) => {
      stream.refuseConnections = refuse;
    },
    close: async () => {
      replay.stop();
      random = undefined;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      stream.close();
      userData.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
