// Server-Sent Events for open pages: the open positions (price, P&L, liquidation meter, orders) every couple of
// seconds while anyone watches, `stale` when they could not be read, and a note whenever the daemon tells its owner
// something. One poller serves every page, so ten open tabs cost the venue what one does.
import type { ServerResponse } from 'node:http';
import type { TradingEvent } from '../../domain/events.js';
import type { Logger } from '../../ports/logger.js';
import { z } from 'zod';
import type { DashboardData } from './api/dashboard-data.js';
import { openPositionsWithOrders } from './api/overview-routes.js';
import { list, OpenPosition } from './api/schemas.js';
import type { SessionStore } from './auth/sessions.js';
import { SECURITY_HEADERS, type SecretFilter } from './http-reply.js';

export interface LiveFeedOptions {
  readonly data: DashboardData;
  readonly sessions: SessionStore;
  readonly filter: SecretFilter;
  readonly logger: Logger;
  readonly pollMs?: number;
  readonly heartbeatMs?: number;
  readonly maxClients?: number;
}

interface Client {
  readonly response: ServerResponse;
  readonly token: string;
}

const Positions = z.object({ positions: list(OpenPosition) });
/** Streams one session may hold (its tabs); a further one ends its oldest, a reloaded tab's. */
const STREAMS_PER_SESSION = 4;
/** Unsent frames a client may leave queued before it counts as gone (a tab that stopped reading). */
const STALLED_BYTES = 1 << 20;

export class LiveFeed {
  private readonly clients = new Set<Client>();
  private timer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private polling = false;
  private lastPositions = '';

  constructor(private readonly options: LiveFeedOptions) {}

  get watchers(): number {
    return this.clients.size;
  }

  /**
   * Takes over the response as an event stream; false when too many are open already. A session's fifth stream ends
   * its oldest, and when every stream is taken the owner's still gets one, in place of a read-only session's.
   */
  subscribe(response: ServerResponse, token: string): boolean {
    const own = [...this.clients].filter((client) => client.token === token);
    if (own.length >= STREAMS_PER_SESSION && own[0]) this.drop(own[0]);
    if (this.clients.size >= (this.options.maxClients ?? 20)) {
      const owner = this.options.sessions.get(token)?.role === 'owner';
      const viewer = owner ? [...this.clients].find((client) => this.options.sessions.get(client.token)?.role !== 'owner') : undefined;
      if (!viewer) return false;
      this.drop(viewer);
    }
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write('retry: 3000\n\n');
    const client: Client = { response, token };
    this.clients.add(client);
    response.on('close', () => {
      this.clients.delete(client);
      if (this.clients.size === 0) this.stopTimers();
    });
    this.lastPositions = '';
    this.startTimers();
    void this.poll();
    return true;
  }

  /** The daemon told its owner something: pass it on, and look at the positions again at once. */
  onEvent(event: TradingEvent): void {
    if (this.clients.size === 0) return;
    this.send('message', { type: event.type, at: event.at.toISOString() });
    void this.poll();
  }

  close(): void {
    this.stopTimers();
    for (const client of this.clients) client.response.end();
    this.clients.clear();
  }

  private startTimers(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.options.pollMs ?? 2_000);
    this.heartbeat = setInterval(() => this.comment(), this.options.heartbeatMs ?? 15_000);
    this.timer.unref();
    this.heartbeat.unref();
  }

  private stopTimers(): void {
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    this.timer = undefined;
    this.heartbeat = undefined;
  }

  private async poll(): Promise<void> {
    if (this.polling || this.clients.size === 0) return;
    this.polling = true;
    try {
      this.dropExpired();
      const positions = await openPositionsWithOrders(this.options.data);
      const text = JSON.stringify(z.encode(Positions, { positions }));
      if (text !== this.lastPositions) {
        this.lastPositions = text;
        this.write('positions', text);
      }
    } catch (error) {
      this.options.logger.warn({ err: error }, 'live feed could not read the positions');
      // The heartbeat keeps the stream open, so without a word the page would show the last price and P&L as live.
      // It greys them as for a lost stream until the next read; that one is sent even when nothing changed.
      this.lastPositions = '';
      this.send('stale', { reason: 'the open positions could not be read' });
    } finally {
      this.polling = false;
    }
  }

  private dropExpired(): void {
    for (const client of this.clients) {
      if (!this.options.sessions.get(client.token)) this.drop(client);
    }
  }

  /** Ends a client's stream; one that stopped reading is torn down, since an orderly end would wait on it too. */
  private drop(client: Client, stalled = false): void {
    if (stalled) client.response.destroy();
    else client.response.end();
    this.clients.delete(client);
    if (this.clients.size === 0) this.stopTimers();
  }

  private send(event: string, value: unknown): void {
    this.write(event, JSON.stringify(value));
  }

  private write(event: string, json: string): void {
    this.broadcast(`event: ${event}\ndata: ${this.options.filter.text(json)}\n\n`);
  }

  private comment(): void {
    this.broadcast(': still here\n\n');
  }

  private broadcast(frame: string): void {
    for (const client of this.clients) {
      if (client.response.writableLength > STALLED_BYTES) this.drop(client, true);
      else client.response.write(frame);
    }
  }
}
