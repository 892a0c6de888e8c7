// The account's private websocket of a perp stand-in: one path on the venue's port, sessions that authenticate and
// subscribe in the venue's dialect, and pushes of every order (and fill) that changed since the last look. The
// venue's words (auth, subscribe, ping, the update shapes) live in the dialect; this file only keeps the sessions
// and works out what changed in the book.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { AccountBook, AlgoOrder, BookOrder, TradeRecord } from '../binance-usdm/account-book.js';

type Json = Record<string, unknown>;

export interface StreamSession {
  readonly id: string;
  authenticated: boolean;
  /** The topics this session subscribed to (the dialect's names: `order`, `orderUpdates`, `userFills`). */
  readonly topics: Set<string>;
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
  refuseConnections = false;
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<WebSocket, StreamSession>();
  private readonly tracker: ChangeTracker;

  constructor(
    private readonly dialect: StreamDialect,
    private readonly book: AccountBook,
  ) {
    this.tracker = new ChangeTracker(book);
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
      const session: StreamSession = { id: randomUUID(), authenticated: false, topics: new Set() };
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

  /** Sessions that are authenticated (where the venue asks for it) and subscribed to something. */
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
    const { replies, close } = this.dialect.answer(session, message, this.book);
    for (const reply of replies) ws.send(JSON.stringify(reply));
    if (close) ws.close(1008, 'not modelled by the stand-in');
  }
}
