// Bybit's v5 private websocket (`/v5/private`): the client authenticates with `op: auth` (key, expiry, and an
// HMAC-SHA256 of `GET/realtime` + expiry), then subscribes to the `order` and `execution` topics, which push every
// order change of every category as `{ topic, id, creationTime, data: [...] }` in the REST list's shapes plus
// `category`. A conditional order keeps its id through the trigger: `Untriggered`, then `Filled`.
import { createHmac, randomUUID } from 'node:crypto';
import type { AccountBook } from '../binance-usdm/account-book.js';
import type { BookChanges, StreamDialect, StreamSession, StreamUpdate } from '../perp-venue/private-stream.js';
import type { BybitDialect } from './bybit-dialect.js';

type Json = Record<string, unknown>;

const PRIVATE_TOPICS = new Set(['order', 'execution', 'position', 'wallet']);

export class BybitStream implements StreamDialect {
  readonly path = '/v5/private';

  constructor(
    private readonly dialect: BybitDialect,
    private readonly apiKey: string,
    private readonly secret: string,
  ) {}

  answer(session: StreamSession, message: Json): { replies: Json[]; close?: boolean } {
    const reqId = message['req_id'];
    const ack = (success: boolean, op: string, retMsg = ''): Json => ({
      success,
      ret_msg: retMsg,
      op,
      conn_id: session.id,
      ...(reqId === undefined ? {} : { req_id: reqId }),
    });
    switch (message['op']) {
      case 'auth': {
        const [key, expires, signature] = Array.isArray(message['args']) ? (message['args'] as unknown[]).map(String) : [];
        const expected = createHmac('sha256', this.secret).update(`GET/realtime${expires ?? ''}`).digest('hex');
        session.authenticated = key === this.apiKey && signature === expected;
        return { replies: [ack(session.authenticated, 'auth', session.authenticated ? '' : 'error:USVC1111')] };
      }
      case 'subscribe': {
        const topics = Array.isArray(message['args']) ? (message['args'] as unknown[]).map(String) : [];
        if (!session.authenticated) return { replies: [ack(false, 'subscribe', 'Request not authorized')] };
        const unknown = topics.find((topic) => !PRIVATE_TOPICS.has(topic));
        if (unknown !== undefined) return { replies: [ack(false, 'subscribe', `error:handler not found,topic:${unknown}`)] };
        for (const topic of topics) session.topics.add(topic);
        return { replies: [ack(true, 'subscribe')] };
      }
      case 'ping':
        return { replies: [{ req_id: reqId, op: 'pong', args: [String(Date.now())], conn_id: session.id }] };
    }
    return { replies: [ack(false, String(message['op'] ?? ''), 'error:invalid op')] };
  }

  updates(changes: BookChanges, book: AccountBook): StreamUpdate[] {
    const linear = (row: Json): Json => ({ category: 'linear', ...row });
    // The market order a trigger spawns is not an order of its own on Bybit: the conditional order reports the fill.
    const orders = [
      ...changes.orders.filter((o) => !o.clientOrderId.startsWith('triggered-')).map((o) => linear(this.dialect.orderJson(o))),
      ...changes.algoOrders.map((a) => linear(this.dialect.conditionalJson(book, a))),
    ];
    const executions = changes.trades.map((t) => linear(this.dialect.executionJson(book, t)));
    const at = (rows: Json[], field: string): number => Math.max(0, ...rows.map((row) => Number(row[field])));
    const updates: StreamUpdate[] = [];
    if (orders.length > 0) updates.push({ topic: 'order', message: { id: randomUUID(), topic: 'order', creationTime: at(orders, 'updatedTime'), data: orders } });
    if (executions.length > 0) {
      updates.push({ topic: 'execution', message: { id: randomUUID(), topic: 'execution', creationTime: at(executions, 'execTime'), data: executions } });
    }
    return updates;
  }
}
