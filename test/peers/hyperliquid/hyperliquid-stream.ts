// Hyperliquid's websocket (`/ws`): no login; a client subscribes by address (`{ method: 'subscribe', subscription:
// { type: 'orderUpdates' | 'userFills', user } }`), gets a `subscriptionResponse`, and from then on
// `{ channel: 'orderUpdates', data: [{ order, status, statusTimestamp }] }` for every order change and
// `{ channel: 'userFills', data: { user, fills } }` for every fill (a snapshot first, `isSnapshot: true`). A trigger
// order keeps its oid when it fires. Market-data subscriptions are not modelled: the connection is closed, so the
// client falls back to polling.
import type { AccountBook, AlgoOrder, BookOrder } from '../binance-usdm/account-book.js';
import type { BookChanges, StreamDialect, StreamSession, StreamUpdate } from '../perp-venue/private-stream.js';
import type { HyperliquidDialect } from './hyperliquid-dialect.js';

type Json = Record<string, unknown>;

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
