// The account's private websocket of a perp stand-in: one path on the venue's port, sessions that authenticate and
// subscribe in the venue's dialect, and pushes of every order (and fill) that changed since the last look. Where the
// venue serves public market data on the same socket (Hyperliquid's `/ws`) and the dialect models a feed of it,
// sessions may follow that too, and every price change of the market is pushed. The venue's words (auth, subscribe,
// ping, the update shapes) live in the dialect; this file only keeps the sessions and works out what changed.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { AccountBook, AlgoOrder, BookOrder, TradeRecord } from '../binance-usdm/account-book.js';
import type { VenueState } from '../binance-usdm/venue-state.js';

type Json = Record<string, unknown>;

export interface StreamSession {
  readonly id: string;
  authenticated: boolean;
  /** The topics this session subscribed to (the dialect's names: `order`, `orderUpdates`, `userFills`). */
  readonly topics: Set<string>;
  /**
   * The public market feeds this session follows (the dialect's names, e.g. `activeAssetCtx:ETH`), apart from
   * `topics` so that the count of order-stream listeners does not include price watchers.
   */
  readonly feeds: Set<string>;
}

/** What changed in the book since the last publication. */
export interface BookChanges {
  readonly orders: readonly BookOrder[];
  readonly algoOrders: readonly AlgoOrder[];
  readonly trades: readonly TradeRecord[];
}

export interface StreamUpdate {
  /** Only sessions subscribed to this topic receive the message. */
  readonly topic: string;
  readonly message: Json;
}

export interface StreamDialect {
  /** The websocket's path, e.g. `/v5/private`. */
  readonly path: string;
  /**
   * Answers one message from a client (auth, subscribe, ping). `close` ends the connection: what the stand-in does
   * not model (a market-data subscription) is refused that way, so the client falls back to polling.
   */
  answer(session: StreamSession, message: Json, book: AccountBook): { readonly replies: readonly Json[]; readonly close?: boolean };
  /** The venue's messages about these changes. */
  updates(changes: BookChanges, book: AccountBook): readonly StreamUpdate[];
  /**
   * Answers a (un)subscription to a public market feed the dialect models, keeping `session.feeds`; undefined for any
   * other message, which `answer` then takes.
   */
  marketAnswer?(session: StreamSession, message: Json, market: VenueState): { readonly replies: readonly Json[] } | undefined;
  /** The feed's push of a market's current state (by book id, BTCUSDT), sent to the sessions following `topic`. */
  marketUpdate?(id: string, market: VenueState): StreamUpdate | undefined;
}

/** Remembers what was last published of each order, so each change is pushed once. */
class ChangeTracker {
  private readonly orders = new Map<number, string>();
  private readonly algoOrders = new Map<number, string>();
  private tradesSeen = 0;

  constructor(private readonly book: AccountBook) {}

  take(): BookChanges {
    const orders = this.book.orders.filter((o) => this.changed(this.orders, o.orderId, `${o.status}|${o.executedQty}`));
    const algoOrders = this.book.algoOrders.filter((a) => this.changed(this.algoOrders, a.algoId, a.algoStatus));
    const trades = this.book.trades.slice(this.tradesSeen);
    this.tradesSeen = this.book.trades.length;
    return { orders, algoOrders, trades };
  }

  private changed(seen: Map<number, string>, id: number, state: string): boolean {
    if (seen.get(id) === state) return false;
    seen.set(id, state);
    return true;
  }
}

export class PrivateStream {
  /** Every update pushed (whether or not anyone listened), for assertions. */
  readonly pushed: Json[] = [];
  /** Every message a client sent, for assertions. */
  readonly received: Json[] = [];
  /**
   * Every market-feed message sent (acknowledgements, the snapshot a subscription gets, pushes to at least one
   * session), apart from `pushed`, which holds the account's updates.
   */
  readonly marketMessages: Json[] = [];
  refuseConnections = false;
  /** True: a market-feed subscription closes the connection as the unmodelled ones do, so clients poll. */
  refuseMarketFeeds = false;
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<WebSocket, StreamSession>();
  private readonly tracker: ChangeTracker;
  private readonly book: AccountBook;

  constructor(
    private readonly dialect: StreamDialect,
    private readonly market: VenueState,
  ) {
    this.book = market.book;
    this.tracker = new ChangeTracker(this.book);
  }

  claims(request: IncomingMessage): boolean {
    return new URL(request.url ?? '/', 'http://127.0.0.1').pathname === this.dialect.path;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.refuseConnections) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => {
      const session: StreamSession = { id: randomUUID(), authenticated: false, topics: new Set(), feeds: new Set() };
      this.sessions.set(ws, session);
      ws.on('close', () => this.sessions.delete(ws));
      ws.on('message', (data: Buffer) => this.onMessage(ws, session, data.toString('utf8')));
    });
  }

  /** Pushes what changed since the last call (called after anything that may change an order). */
  publishChanges(): void {
    const changes = this.tracker.take();
    if (changes.orders.length + changes.algoOrders.length + changes.trades.length === 0) return;
    for (const update of this.dialect.updates(changes, this.book)) {
      this.pushed.push(update.message);
      const text = JSON.stringify(update.message);
      for (const [ws, session] of this.sessions) if (session.topics.has(update.topic)) ws.send(text);
    }
  }

  /** Pushes a market's current state (book id) to the sessions following its feed (called after any price change). */
  publishMarket(id: string): void {
    // Building the push reads the recording; nobody following any feed is the common case.
    if (![...this.sessions.values()].some((s) => s.feeds.size > 0)) return;
    const update = this.dialect.marketUpdate?.(id, this.market);
    if (update === undefined) return;
    const followers = [...this.sessions].filter(([, session]) => session.feeds.has(update.topic));
    if (followers.length === 0) return;
    this.marketMessages.push(update.message);
    const text = JSON.stringify(update.message);
    for (const [ws] of followers) ws.send(text);
  }

  /** Sessions that are authenticated (where the venue asks for it) and subscribed to the account's updates. */
  get subscribedCount(): number {
    return [...this.sessions.values()].filter((s) => s.topics.size > 0).length;
  }

  get connectionCount(): number {
    return this.sessions.size;
  }

  disconnectAll(): void {
    for (const ws of this.sessions.keys()) ws.terminate();
    this.sessions.clear();
  }

  close(): void {
    this.disconnectAll();
    this.server.close();
  }

  private onMessage(ws: WebSocket, session: StreamSession, text: string): void {
    let message: Json;
    try {
      message = JSON.parse(text) as Json;
    } catch {
      ws.close(1003, 'not JSON');
      return;
    }
    this.received.push(message);
    const feed = this.refuseMarketFeeds ? undefined : this.dialect.marketAnswer?.(session, message, this.market);
    const answer: { readonly replies: readonly Json[]; readonly close?: boolean } = feed ?? this.dialect.answer(session, message, this.book);
    const { replies, close } = answer;
    if (feed !== undefined) this.marketMessages.push(...feed.replies);
    for (const reply of replies) ws.send(JSON.stringify(reply));
    if (close) ws.close(1008, 'not modelled by the stand-in');
  }
}
