// Positions, orders and trades in memory, with the database's constraints (one active position per symbol,
// records naming a stored position, idempotent order and trade records).
import { RejectedError } from '../../../domain/errors.js';
import { type OrderRecord, type Position, type Trade } from '../../../domain/trading.js';
import type {
  NewOrder,
  NewPosition,
  OrderPatch,
  PositionClosing,
  OrderRepository,
  PositionPatch,
  PositionRepository,
  TradeQuery,
  TradeRepository,
} from '../../../ports/store.js';
import {
  type Tables,
  normalized,
  byText,
  byId,
  byTime,
  inRange,
  ACTIVE,
  POSITION_PATCH_KEYS,
  ORDER_PATCH_KEYS,
  checkPatch,
  type Access,
  requirePosition,
} from './memory-tables.js';

export class MemoryPositions implements PositionRepository {
  constructor(private readonly db: Access) {}

  async create(position: NewPosition): Promise<Position> {
    await this.db.ready();
    const tables = this.db.tables();
    this.refuseSecondActive(tables, position.symbol, undefined);
    const id = String(tables.nextPositionId++);
    const stored = normalized<Position>({ ...position, id, status: 'opening' }, ['rationale']);
    tables.positions.set(id, stored);
    return stored;
  }

  async update(id: string, patch: PositionPatch): Promise<Position> {
    await this.db.ready();
    checkPatch(patch, POSITION_PATCH_KEYS);
    const tables = this.db.tables();
    const current = tables.positions.get(id);
    if (!current) throw new Error(`position ${id} not found`);
    const next = normalized<Position>({ ...current, ...normalized(patch) });
    if (ACTIVE.has(next.status)) this.refuseSecondActive(tables, next.symbol, id);
    tables.positions.set(id, next);
    return next;
  }

  async markClosed(id: string, closing: PositionClosing): Promise<boolean> {
    await this.db.ready();
    const tables = this.db.tables();
    const current = tables.positions.get(id);
    if (!current) throw new Error(`position ${id} not found`);
    if (!ACTIVE.has(current.status)) return false;
    tables.positions.set(id, normalized<Position>({ ...current, ...normalized({ status: 'closed', ...closing }) }));
    return true;
  }

  async get(id: string): Promise<Position | undefined> {
    await this.db.ready();
    return this.db.tables().positions.get(id);
  }

  async active(): Promise<Position[]> {
    await this.db.ready();
    return [...this.db.tables().positions.values()]
      .filter((position) => ACTIVE.has(position.status))
      .sort((a, b) => byTime(a.openedAt, b.openedAt) || byId(a.id, b.id));
  }

  private refuseSecondActive(tables: Tables, symbol: string, exceptId: string | undefined): void {
    for (const other of tables.positions.values()) {
      if (other.symbol === symbol && other.id !== exceptId && ACTIVE.has(other.status)) {
        throw new RejectedError(`${symbol} already has an active position`);
      }
    }
  }
}


export class MemoryOrders implements OrderRepository {
  constructor(private readonly db: Access) {}

  async record(order: NewOrder): Promise<OrderRecord> {
    await this.db.ready();
    const tables = this.db.tables();
    requirePosition(tables, order.positionId, `order ${order.clientOrderId}`);
    const existing = tables.orders.get(order.clientOrderId);
    if (existing) return existing;
    const stored = normalized<OrderRecord>({ ...order, status: 'intent', updatedAt: order.createdAt });
    tables.orders.set(order.clientOrderId, stored);
    return stored;
  }

  async update(clientOrderId: string, patch: OrderPatch): Promise<OrderRecord> {
    await this.db.ready();
    checkPatch(patch, ORDER_PATCH_KEYS);
    const tables = this.db.tables();
    const current = tables.orders.get(clientOrderId);
    if (!current) throw new Error(`order ${clientOrderId} not found`);
    const next = normalized<OrderRecord>({ ...current, ...normalized(patch) });
    tables.orders.set(clientOrderId, next);
    return next;
  }

  async get(clientOrderId: string): Promise<OrderRecord | undefined> {
    await this.db.ready();
    return this.db.tables().orders.get(clientOrderId);
  }

  async forPosition(positionId: string): Promise<OrderRecord[]> {
    await this.db.ready();
    return [...this.db.tables().orders.values()]
      .filter((order) => order.positionId === positionId)
      .sort((a, b) => byTime(a.createdAt, b.createdAt) || byText(a.clientOrderId, b.clientOrderId));
  }
}

export class MemoryTrades implements TradeRepository {
  constructor(private readonly db: Access) {}

  async record(trade: Trade): Promise<void> {
    await this.db.ready();
    const tables = this.db.tables();
    requirePosition(tables, trade.positionId, 'trade');
    if (tables.trades.has(trade.positionId)) return;
    const fills = trade.fills.map((fill) => normalized(fill));
    tables.trades.set(trade.positionId, { ...normalized(trade, ['rationale']), fills });
  }

  async list(query: TradeQuery = {}): Promise<Trade[]> {
    await this.db.ready();
    const trades = [...this.db.tables().trades.values()]
      .filter((trade) => inRange(trade.closedAt, query))
      .sort((a, b) => byTime(a.closedAt, b.closedAt) || byId(a.positionId, b.positionId));
    return query.limit === undefined ? trades : trades.reverse().slice(0, Math.max(0, Math.floor(query.limit)));
  }

  async count(): Promise<number> {
    await this.db.ready();
    return this.db.tables().trades.size;
  }
}
