// The skeleton shared by the local stand-ins of Bybit and Hyperliquid: an HTTP server on 127.0.0.1 that records
// every request, applies scripted faults, and hands the rest to a venue dialect (the venue's paths, JSON shapes,
// authentication and refusals). Underneath is the same simulated market and account book as the Binance stand-in
// (the recorded BTC and ETH history, conditional orders firing on the mark price), with the venue's own market
// filters; symbols in the book are the recording's ids (BTCUSDT) whatever the venue calls them. Faults: scripted
// (fail, delay, drop the next matching request), at random (../venue-faults, refusals in the dialect's words), and
// request listeners that may drop a connection the moment a chosen request arrives (the soak's crash hooks).
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccountBook, OversizeReduceOnly } from '../binance-usdm/account-book.js';
import type { SymbolFilters } from '../binance-usdm/history.js';
import { MarketReplay, type MarketReplayOptions } from '../binance-usdm/market-replay.js';
import { DEFAULT_VENUE_NOW } from '../binance-usdm/server.js';
import { VenueError } from '../binance-usdm/venue-error.js';
import { VenueState } from '../binance-usdm/venue-state.js';
import { type FaultAnswers, type InjectedFault, RandomFaults, type RandomFaultOptions } from '../venue-faults/random-faults.js';
import { PrivateStream, type StreamDialect } from './private-stream.js';

export interface PerpRequest {
  readonly method: string;
  readonly path: string;
  /** Query parameters and the JSON body's top-level fields (Hyperliquid: `type` is the action's type). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
  readonly at: number;
}

export interface DialectAnswer {
  readonly status?: number;
  readonly body: unknown;
}

export interface VenueDialect {
  /** e.g. `bybit` */
  readonly name: string;
  /** The venue's market filters for the book's ids (BTCUSDT): tick, lot step, minimums. */
  readonly filters: Readonly<Record<string, SymbolFilters>>;
  /** The book's id (BTCUSDT) for a unified symbol or a venue name. */
  bookSymbol(symbol: string): string;
  /** Answers one request; throws VenueError for a refusal, which `refusal` renders. */
  route(request: PerpRequest, venue: PerpVenueState): unknown;
  refusal(error: VenueError): DialectAnswer;
  /** Parses a request body into params (JSON for both venues). */
  params(query: Record<string, string>, body: unknown): Record<string, unknown>;
  /** The account's private websocket (order updates, and the public market feeds it models), where the venue has one. */
  readonly stream?: StreamDialect;
  /** The first bracket's maintenance rate for a book id, where the venue's own table says; else Binance's. */
  maintenanceRate?(id: string): number | undefined;
  /** What a reduce-only market order larger than the position does on this venue (see OversizeReduceOnly). */
  readonly oversizeReduceOnly: OversizeReduceOnly;
  /** How the venue refuses a request it is too busy or too broken to serve (random faults draw only these kinds). */
  readonly faultAnswers: FaultAnswers;
}

/** The recorded market with the venue's own filters. */
export class PerpVenueState extends VenueState {
  constructor(
    private readonly venueFilters: Readonly<Record<string, SymbolFilters>>,
    private readonly venueMaintenance: ((id: string) => number | undefined) | undefined,
    now: number,
    balance: number,
    takerFeeRate: number,
  ) {
    super(now, balance, takerFeeRate, {}, 'open');
  }

  override filters(symbol: string): SymbolFilters | undefined {
    return this.venueFilters[symbol];
  }

  override maintenanceRate(symbol: string): number {
    return this.venueMaintenance?.(symbol) ?? super.maintenanceRate(symbol);
  }

  override isListed(symbol: string): boolean {
    return this.venueFilters[symbol] !== undefined;
  }
}

export interface FailRule {
  readonly path?: string;
  /** Only requests this accepts (e.g. the order that is a stop). */
  readonly when?: (request: PerpRequest) => boolean;
  /** Matches the request's `type` param (Hyperliquid's info and action types). */
  readonly type?: string;
  readonly status: number;
  readonly body?: unknown;
  count?: number;
}

export interface DelayRule {
  readonly path?: string;
  readonly when?: (request: PerpRequest) => boolean;
  readonly type?: string;
  readonly ms: number;
  count?: number;
}

export interface DropRule {
  readonly path?: string;
  readonly when?: (request: PerpRequest) => boolean;
  readonly type?: string;
  /** Act on the request (e.g. book the order) before dropping the connection; default: drop before. */
  readonly afterProcessing?: boolean;
  count?: number;
}

/** Sees every request as it arrives; answering `drop` closes the connection before the venue acts on it. */
export type PerpRequestListener = (request: PerpRequest) => 'drop' | void;

export interface PerpVenueOptions {
  readonly now?: number;
  readonly balance?: number;
  readonly takerFeeRate?: number;
}

export interface LocalPerpVenue {
  readonly name: string;
  readonly origin: string;
  readonly requests: readonly PerpRequest[];
  readonly state: PerpVenueState;
  readonly book: AccountBook;
  /** The private order stream (and market feeds on the same socket): its pushes, sessions, and controls to drop or refuse connections. */
  readonly privateStream?: PrivateStream;
  requestsTo(path: string, type?: string): PerpRequest[];
  now(): number;
  setNow(time: number): void;
  advance(ms: number): void;
  runClock(running: boolean, speed?: number): void;
  /** Last and mark price (unified symbol or book id); crossed conditional orders fire. */
  setPrice(symbol: string, price: number): void;
  setMarkPrice(symbol: string, price: number): void;
  /** Prices follow the recorded candles as the clock runs (stops fire, the private stream pushes, funding is booked); false stops. */
  replayMarket(options: MarketReplayOptions | false): void;
  failNext(rule: FailRule): void;
  /** Processes the request but answers only after `ms` (a client timeout then sees an unknown outcome). */
  delayNext(rule: DelayRule): void;
  /** Closes the connection of the next matching request, before the venue acts on it or (`afterProcessing`) after. */
  dropConnection(rule: DropRule): void;
  /** From now on a share of requests fails at random, in the venue's words (see ../venue-faults); undefined stops it. */
  randomFaults(options: RandomFaultOptions | undefined): void;
  /** Every fault drawn by `randomFaults`, in order. */
  readonly injectedFaults: readonly InjectedFault[];
  /** Registers a listener for every arriving request; returns its removal. */
  onRequest(listener: PerpRequestListener): () => void;
  /** Drops every websocket connection (the private order stream, and the market feeds on its socket). */
  disconnectWebSockets(): void;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
  response.end(text);
}

interface Rule {
  count?: number;
  readonly path?: string;
  readonly type?: string;
  readonly when?: (request: PerpRequest) => boolean;
}

function matches(rule: Rule, request: PerpRequest): boolean {
  return (
    (rule.path === undefined || rule.path === request.path) &&
    (rule.type === undefined || rule.type === request.params['type']) &&
    (rule.when === undefined || rule.when(request))
  );
}

function take<T extends Rule>(rules: T[], request: PerpRequest): T | undefined {
  const index = rules.findIndex((rule) => matches(rule, request));
  if (index < 0) return undefined;
  const rule = rules[index] as T;
  rule.count = (rule.count ?? 1) - 1;
  if (rule.count <= 0) rules.splice(index, 1);
  return rule;
}

export async function startPerpVenue(dialect: VenueDialect, options: PerpVenueOptions = {}): Promise<LocalPerpVenue> {
  const state = new PerpVenueState(dialect.filters, dialect.maintenanceRate?.bind(dialect), options.now ?? DEFAULT_VENUE_NOW, options.balance ?? 1_000, options.takerFeeRate ?? 0.0005);
  const requests: PerpRequest[] = [];
  const failures: FailRule[] = [];
  const delays: DelayRule[] = [];
  const drops: DropRule[] = [];
  const listeners = new Set<PerpRequestListener>();
  const injectedFaults: InjectedFault[] = [];
  let random: RandomFaults | undefined;
  const timers = new Set<NodeJS.Timeout>();
  state.book.oversizeReduceOnly = dialect.oversizeReduceOnly;
  const privateStream = dialect.stream ? new PrivateStream(dialect.stream, state) : undefined;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(request);
    const query: Record<string, string> = {};
    for (const [key, value] of url.searchParams) query[key] = value;
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    const headers: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(request.headers)) headers[key] = Array.isArray(value) ? value[0] : value;
    const recorded: PerpRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      params: dialect.params(query, body),
      headers: { ...headers, rawBody: raw, rawQuery: url.search.slice(1) },
      body,
      at: performance.now(),
    };
    requests.push(recorded);
    let dropBeforeActing = false;
    for (const listener of listeners) if (listener(recorded) === 'drop') dropBeforeActing = true;
    const drawn = random?.draw(recorded.method, recorded.path, state.now);
    if (drawn && random?.last) injectedFaults.push(random.last);
    const drop = take(drops, recorded) ?? (drawn?.type === 'drop' ? drawn : undefined);
    if (dropBeforeActing || (drop && drop.afterProcessing !== true)) {
      request.socket.destroy();
      return;
    }
    const failure = take(failures, recorded);
    if (failure) return send(response, failure.status, failure.body ?? { error: 'scripted failure' });
    if (drawn?.type === 'fail') return send(response, drawn.status, drawn.body ?? 'Service Unavailable', drawn.headers);
    let answer: DialectAnswer;
    try {
      answer = { body: dialect.route(recorded, state) };
    } catch (error) {
      if (!(error instanceof VenueError)) throw error;
      answer = dialect.refusal(error);
    }
    // An order may have changed (placed, filled, cancelled): the private stream tells its listeners.
    privateStream?.publishChanges();
    if (drop) {
      request.socket.destroy();
      return;
    }
    const delayMs = take(delays, recorded)?.ms ?? (drawn?.type === 'hold' ? drawn.ms : undefined);
    if (delayMs !== undefined) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!response.destroyed) send(response, answer.status ?? 200, answer.body);
      }, delayMs);
      timers.add(timer);
      return;
    }
    send(response, answer.status ?? 200, answer.body);
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { error: String(error) });
    });
  });
  // Only the private stream's path is served (with the market feeds its dialect models): any other market-data
  // stream is refused at once, so the client falls back to polling without waiting on it.
  server.on('upgrade', (request, socket, head) => {
    if (privateStream?.claims(request)) privateStream.handleUpgrade(request, socket, head);
    else socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const afterPriceChange = (id: string): void => {
    state.book.evaluateTriggers(id, state.now);
    privateStream?.publishChanges();
    privateStream?.publishMarket(id);
  };
  const replay = new MarketReplay(state, afterPriceChange);

  return {
    name: dialect.name,
    origin: `http://127.0.0.1:${port}`,
    requests,
    state,
    book: state.book,
    privateStream,
    requestsTo: (path, type) => requests.filter((r) => r.path === path && (type === undefined || r.params['type'] === type)),
    now: () => state.now,
    setNow: (time) => {
      state.now = time;
    },
    advance: (ms) => {
      state.now += ms;
    },
    runClock: (running, speed) => state.runClock(running, speed),
    setPrice: (symbol, price) => {
      const id = dialect.bookSymbol(symbol);
      state.setPrice(id, price);
      afterPriceChange(id);
    },
    setMarkPrice: (symbol, price) => {
      const id = dialect.bookSymbol(symbol);
      state.setMarkPrice(id, price);
      afterPriceChange(id);
    },
    replayMarket: (replayOptions) => {
      if (replayOptions === false) replay.stop();
      else replay.start(replayOptions);
    },
    failNext: (rule) => failures.push({ ...rule }),
    delayNext: (rule) => delays.push({ ...rule }),
    dropConnection: (rule) => drops.push({ ...rule }),
    randomFaults: (options) => {
      random = options === undefined ? undefined : new RandomFaults(options, dialect.faultAnswers);
    },
    injectedFaults,
    onRequest: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    disconnectWebSockets: () => privateStream?.disconnectAll(),
    close: async () => {
      replay.stop();
      random = undefined;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      privateStream?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
