// The market-stream websocket: SUBSCRIBE to `<symbol>@miniTicker` / `<symbol>@markPrice[@1s]`, pushes on price changes.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { VenueState } from './venue-state.js';

interface Subscriber {
  readonly socket: WebSocket;
  readonly streams: Set<string>;
}

export interface StreamEvent {
  readonly stream: string;
  readonly payload: Record<string, unknown>;
}

export class PriceStream {
  /** Every SUBSCRIBE request received, for assertions. */
  readonly subscriptions: string[] = [];
  /** Every event pushed, for assertions. */
  readonly pushed: StreamEvent[] = [];
  refuseConnections = false;
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly subscribers = new Set<Subscriber>();

  constructor(private readonly state: VenueState) {}

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.refuseConnections) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
  }

  /** Pushes the current state of `symbol` to every subscriber of its streams. */
  publish(symbol: string): void {
    const lower = symbol.toLowerCase();
    for (const subscriber of this.subscribers) {
      for (const stream of subscriber.streams) {
        if (stream.startsWith(`${lower}@`)) this.send(subscriber, stream, symbol);
      }
    }
  }

  /** Drops every open stream connection, as the venue does on maintenance or a network blip. */
  disconnectAll(): void {
    for (const subscriber of this.subscribers) subscriber.socket.terminate();
    this.subscribers.clear();
  }

  get connectionCount(): number {
    return this.subscribers.size;
  }

  close(): void {
    this.disconnectAll();
    this.server.close();
  }

  private accept(socket: WebSocket): void {
    const subscriber: Subscriber = { socket, streams: new Set() };
    this.subscribers.add(subscriber);
    socket.on('close', () => this.subscribers.delete(subscriber));
    socket.on('error', () => this.subscribers.delete(subscriber));
    socket.on('message', (data) => this.onMessage(subscriber, String(data)));
  }

  private onMessage(subscriber: Subscriber, text: string): void {
    let request: { method?: string; params?: unknown; id?: unknown };
    try {
      request = JSON.parse(text) as typeof request;
    } catch {
      subscriber.socket.send(JSON.stringify({ code: 2, msg: 'Invalid JSON' }));
      return;
    }
    const params = Array.isArray(request.params) ? request.params.map(String) : [];
    if (request.method === 'SUBSCRIBE') {
      for (const stream of params) {
        subscriber.streams.add(stream);
        this.subscriptions.push(stream);
      }
      subscriber.socket.send(JSON.stringify({ result: null, id: request.id }));
      // The venue pushes within a second of subscribing; an immediate snapshot keeps tests free of waiting.
      for (const stream of params) this.send(subscriber, stream, stream.split('@')[0]?.toUpperCase() ?? '');
    } else if (request.method === 'UNSUBSCRIBE') {
      for (const stream of params) subscriber.streams.delete(stream);
      subscriber.socket.send(JSON.stringify({ result: null, id: request.id }));
    } else if (request.method === 'LIST_SUBSCRIPTIONS') {
      subscriber.socket.send(JSON.stringify({ result: [...subscriber.streams], id: request.id }));
    }
  }

  private send(subscriber: Subscriber, stream: string, symbol: string): void {
    const payload = this.eventFor(stream, symbol);
    if (!payload) return;
    this.pushed.push({ stream, payload });
    subscriber.socket.send(JSON.stringify(payload));
  }

  private eventFor(stream: string, symbol: string): Record<string, unknown> | undefined {
    const kind = stream.split('@')[1];
    const now = this.state.now;
    if (kind === 'miniTicker') {
      const last = this.state.lastPrice(symbol);
      if (last === undefined) return undefined;
      const dp = this.state.price(symbol);
      return {
        e: '24hrMiniTicker',
        E: now,
        s: symbol,
        c: last.toFixed(dp),
        o: last.toFixed(dp),
        h: last.toFixed(dp),
        l: last.toFixed(dp),
        v: '0',
        q: '0',
      };
    }
    if (kind === 'markPrice') {
      const mark = this.state.markPrice(symbol);
      if (mark === undefined) return undefined;
      return {
        e: 'markPriceUpdate',
        E: now,
        s: symbol,
        p: mark.toFixed(8),
        i: mark.toFixed(8),
        P: mark.toFixed(8),
        r: this.state.currentFundingRate(symbol).toFixed(8),
        T: this.state.nextFundingTime(symbol),
      };
    }
    return undefined;
  }
}
