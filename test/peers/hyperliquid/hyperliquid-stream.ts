// Hyperliquid's websocket (`/ws`): no login; a client subscribes by address (`{ method: 'subscribe', subscription:
// { type: 'orderUpdates' | 'userFills', user } }`), gets a `subscriptionResponse`, and from then on
// `{ channel: 'orderUpdates', data: [{ order, status, statusTimestamp }] }` for every order change and
// `{ channel: 'userFills', data: { user, fills } }` for every fill (a snapshot first, `isSnapshot: true`). A trigger
// order keeps its oid when it fires. One public market feed is modelled, the one ccxt's `watchTicker` follows:
// `{ type: 'activeAssetCtx', coin }` answers `{ channel: 'activeAssetCtx', data: { coin, ctx } }` at once and again
// whenever the coin's last or mark price changes. Other market-data subscriptions close the connection, so the
// client falls back to polling.
import type { AccountBook, AlgoOrder, BookOrder } from '../binance-usdm/account-book.js';
import type { VenueState } from '../binance-usdm/venue-state.js';
import type { BookChanges, StreamDialect, StreamSession, StreamUpdate } from '../perp-venue/private-stream.js';
import type { HyperliquidDialect } from './hyperliquid-dialect.js';

type Json = Record<string, unknown>;

const ASSET_CTX = 'activeAssetCtx';
const feedOf = (coin: string): string => `${ASSET_CTX}:${coin}`;

const ALGO_STATUS: Readonly<Record<AlgoOrder['algoStatus'], string>> = { NEW: 'open', FINISHED: 'filled', CANCELED: 'canceled', EXPIRED: 'canceled' };
const ORDER_STATUS: Readonly<Record<BookOrder['status'], string>> = { NEW: 'open', FILLED: 'filled', CANCELED: 'canceled', EXPIRED: 'canceled' };

export class HyperliquidStream implements StreamDialect {
  readonly path = '/ws';

  constructor(private readonly dialect: HyperliquidDialect) {}

  answer(session: StreamSession, message: Json, book: AccountBook): { replies: Json[]; close?: boolean } {
    if (message['method'] === 'ping') return { replies: [{ channel: 'pong' }] };
    const subscription = (message['subscription'] ?? {}) as Json;
    const type = String(subscription['type']);
    if (message['method'] !== 'subscribe' || (type !== 'orderUpdates' && type !== 'userFills')) return { replies: [], close: true };
    if (session.topics.has(type)) {
      return { replies: [{ channel: 'error', data: `Already subscribed: ${JSON.stringify(subscription)}` }] };
    }
    // Anyone may follow any address; the stand-in has one account, and other addresses simply never see an update.
    const own = String(subscription['user']).toLowerCase() === this.dialect.account;
    if (own) session.topics.add(type);
    const replies: Json[] = [{ channel: 'subscriptionResponse', data: { method: 'subscribe', subscription } }];
    if (type === 'userFills') {
      const fills = own ? book.trades.map((t) => this.dialect.fillJson(book, t)) : [];
      replies.push({ channel: 'userFills', data: { isSnapshot: true, user: subscription['user'], fills } });
    }
    return { replies };
  }

  marketAnswer(session: StreamSession, message: Json, market: VenueState): { replies: Json[] } | undefined {
    const subscription = (message['subscription'] ?? {}) as Json;
    const method = message['method'];
    if (subscription['type'] !== ASSET_CTX || (method !== 'subscribe' && method !== 'unsubscribe')) return undefined;
    const coin = String(subscription['coin']);
    const id = this.dialect.bookSymbol(coin);
    const feed = feedOf(coin);
    const acknowledged = { channel: 'subscriptionResponse', data: { method, subscription } };
    if (method === 'unsubscribe') {
      if (!session.feeds.delete(feed)) return { replies: [{ channel: 'error', data: `Already unsubscribed: ${JSON.stringify(subscription)}` }] };
      return { replies: [acknowledged] };
    }
    if (session.feeds.has(feed)) return { replies: [{ channel: 'error', data: `Already subscribed: ${JSON.stringify(subscription)}` }] };
    const snapshot = market.isListed(id) ? this.assetCtx(id, market) : undefined;
    if (snapshot === undefined) return { replies: [{ channel: 'error', data: `Invalid subscription: ${JSON.stringify(subscription)}` }] };
    session.feeds.add(feed);
    // The venue follows the acknowledgement with the coin's context straight away, not at the next change.
    return { replies: [acknowledged, snapshot] };
  }

  marketUpdate(id: string, market: VenueState): StreamUpdate | undefined {
    const message = this.assetCtx(id, market);
    return message === undefined ? undefined : { topic: feedOf(this.coinOf(id)), message };
  }

  private assetCtx(id: string, market: VenueState): Json | undefined {
    if (market.lastPrice(id) === undefined) return undefined;
    return { channel: ASSET_CTX, data: { coin: this.coinOf(id), ctx: this.dialect.assetContext(market, id) } };
  }

  private coinOf(id: string): string {
    return id.replace(/USDT$/, '');
  }

  updates(changes: BookChanges, book: AccountBook): StreamUpdate[] {
    // The market order a trigger spawns is not an order of its own here: the trigger order reports the fill.
    const orders = [
      ...changes.orders
        .filter((o) => !o.clientOrderId.startsWith('triggered-'))
        .map((o) => ({ order: this.dialect.orderJson(o), status: ORDER_STATUS[o.status], statusTimestamp: o.updateTime })),
      ...changes.algoOrders.map((a) => ({ order: this.dialect.triggerJson(a), status: ALGO_STATUS[a.algoStatus], statusTimestamp: a.updateTime })),
    ];
    const updates: StreamUpdate[] = [];
    if (orders.length > 0) updates.push({ topic: 'orderUpdates', message: { channel: 'orderUpdates', data: orders } });
    if (changes.trades.length > 0) {
      const fills = changes.trades.map((t) => this.dialect.fillJson(book, t));
      updates.push({ topic: 'userFills', message: { channel: 'userFills', data: { user: this.dialect.account, fills } } });
    }
    return updates;
  }
}
