// The private user-data stream: a listen key from POST /fapi/v1/listenKey (API key only, no signature), kept alive
// with PUT, closed with DELETE; a websocket at /private/ws?listenKey=… (ccxt's current route; /ws/<key> also works)
// that pushes an ORDER_TRADE_UPDATE whenever an order's status or filled quantity changes, a triggered stop's
// market order included, and an ALGO_UPDATE whenever a conditional (algo) order's status changes: placed, cancelled
// (by the account or by the venue), expired, triggered.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { AccountBook, AlgoOrder, BookOrder } from './account-book.js';
import { venueErrors } from './venue-error.js';

/** Binance closes a listen key that is not kept alive for an hour. */
const LISTEN_KEY_LIFETIME_MS = 60 * 60_000;

export class UserDataStream {
  /** Every ORDER_TRADE_UPDATE pushed, for assertions. */
  readonly pushed: Record<string, unknown>[] = [];
  refuseConnections = false;
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  /** Listen key -> when it expires (venue time). */
  private readonly keys = new Map<string, number>();
  /** Order id -> what was last published of it. */
  private readonly published = new Map<number, string>();
  /** Algo id -> the status last published. */
  private readonly publishedAlgo = new Map<number, string>();

  constructor(
    private readonly book: AccountBook,
    private readonly now: () => number,
  ) {}

  /** The listen-key routes, which carry the API key but no signature. */
  route(method: string, path: string, params: Readonly<Record<string, string>>): unknown {
    if (path !== '/fapi/v1/listenKey') return undefined;
    if (method === 'POST') {
      // Binance hands out the account's one key again while it lives.
      const live = [...this.keys.entries()].find(([, expiresAt]) => expiresAt > this.now());
      const key = live?.[0] ?? randomBytes(32).toString('hex');
      this.keys.set(key, this.now() + LISTEN_KEY_LIFETIME_MS);
      return { listenKey: key };
    }
    const key = params['listenKey'] ?? [...this.keys.keys()][0];
    if (key === undefined || !this.keys.has(key)) throw venueErrors.listenKeyNotFound();
    if (method === 'PUT') {
      this.keys.set(key, this.now() + LISTEN_KEY_LIFETIME_MS);
      return { listenKey: key };
    }
    if (method === 'DELETE') {
      this.keys.delete(key);
      return {};
    }
    return undefined;
  }

  /** Whether this upgrade is for the user-data stream (else it belongs to the market streams). */
  claims(request: IncomingMessage): boolean {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    return url.pathname === '/private/ws' || (url.pathname.startsWith('/ws/') && this.keys.has(url.pathname.slice(4)));
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const key = url.searchParams.get('listenKey') ?? url.pathname.slice(4);
    const expiresAt = this.keys.get(key);
    if (this.refuseConnections || expiresAt === undefined || expiresAt <= this.now()) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
    });
  }

  /** Pushes an update for every order that changed since the last call (called after anything that may change one). */
  publishChanges(): void {
    for (const order of this.book.orders) {
      const state = `${order.status}|${order.executedQty}`;
      if (this.published.get(order.orderId) === state) continue;
      const before = this.published.get(order.orderId);
      this.published.set(order.orderId, state);
      this.send(orderTradeUpdate(order, before, this.now()));
    }
    for (const algo of this.book.algoOrders) {
      if (this.publishedAlgo.get(algo.algoId) === algo.algoStatus) continue;
      this.publishedAlgo.set(algo.algoId, algo.algoStatus);
      this.send(algoUpdate(algo, this.now()));
    }
  }

  private send(event: Record<string, unknown>): void {
    this.pushed.push(event);
    const text = JSON.stringify(event);
    for (const socket of this.sockets) socket.send(text);
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  disconnectAll(): void {
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
  }

  close(): void {
    this.disconnectAll();
    this.server.close();
  }
}

function orderTradeUpdate(order: BookOrder, before: string | undefined, now: number): Record<string, unknown> {
  const filledBefore = before === undefined ? 0 : Number(before.split('|')[1]);
  const lastFilled = order.executedQty - filledBefore;
  const execution = lastFilled > 0 ? 'TRADE' : order.status === 'NEW' ? 'NEW' : order.status === 'CANCELED' ? 'CANCELED' : 'EXPIRED';
  return {
    e: 'ORDER_TRADE_UPDATE',
    E: now,
    T: order.updateTime,
    o: {
      s: order.symbol,
      c: order.clientOrderId,
      S: order.side,
      o: order.type,
      f: order.timeInForce,
      q: String(order.origQty),
      p: String(order.price),
      ap: String(order.avgPrice),
      sp: String(order.stopPrice),
      x: execution,
      X: order.status === 'FILLED' ? 'FILLED' : order.status,
      i: order.orderId,
      l: String(lastFilled),
      z: String(order.executedQty),
      L: String(lastFilled > 0 ? order.avgPrice : 0),
      N: 'USDT',
      n: '0',
      T: order.updateTime,
      t: 0,
      R: order.reduceOnly,
      wt: order.workingType,
      ot: order.origType,
      ps: 'BOTH',
      rp: '0',
    },
  };
}

/** Binance's event for a conditional order since they moved to the algo service (field names as the venue sends them). */
function algoUpdate(algo: AlgoOrder, now: number): Record<string, unknown> {
  return {
    e: 'ALGO_UPDATE',
    T: now,
    E: now,
    o: {
      caid: algo.clientAlgoId,
      aid: algo.algoId,
      at: 'CONDITIONAL',
      o: algo.orderType,
      s: algo.symbol,
      S: algo.side,
      ps: 'BOTH',
      f: 'GTC',
      q: String(algo.quantity),
      X: algo.algoStatus,
      ai: algo.actualOrderId === undefined ? '' : String(algo.actualOrderId),
      ap: String(algo.actualPrice ?? 0),
      aq: algo.algoStatus === 'FINISHED' ? String(algo.quantity) : '0',
      act: algo.actualOrderId === undefined ? '0' : 'MARKET',
      tp: String(algo.triggerPrice),
      p: '0',
      V: 'EXPIRE_MAKER',
      wt: algo.workingType,
      pm: 'NONE',
      cp: false,
      pP: false,
      R: algo.reduceOnly,
      tt: algo.triggerTime,
      gtd: 0,
    },
  };
}
