import type { OrderSide } from '../../../domain/market.js';
import type { OrderPurpose, OrderRecord, OrderStatus, OrderType } from '../../../domain/trading.js';
import type { NewOrder, OrderPatch, OrderRepository } from '../../../ports/store.js';
import type { SqlExecutor } from '../sql.js';
import { isForeignKeyViolation } from '../sql-errors.js';
import {
  fromNullableNumeric,
  fromNullableText,
  fromNumeric,
  toDate,
  toNullableNumeric,
  toNumeric,
  withoutUndefined,
} from '../values.js';
import { isRowId, patchAssignments, type ColumnSpec } from './sql-fragments.js';

const COLUMNS = `client_order_id, position_id::text AS position_id, symbol, purpose, side, type, quantity, trigger_price,
  limit_price, checked_notional, status, exchange_order_id, filled_quantity, average_price, fee, error, created_at, updated_at`;

const numeric = (column: string): ColumnSpec => ({ column, encode: (value: number) => toNumeric(value) });
const plain = (column: string): ColumnSpec => ({ column, encode: (value: unknown) => value });

const PATCHABLE: Readonly<Record<keyof OrderPatch, ColumnSpec>> = {
  side: plain('side'),
  type: plain('type'),
  quantity: numeric('quantity'),
  triggerPrice: numeric('trigger_price'),
  limitPrice: numeric('limit_price'),
  status: plain('status'),
  exchangeOrderId: plain('exchange_order_id'),
  filledQuantity: numeric('filled_quantity'),
  averagePrice: numeric('average_price'),
  fee: numeric('fee'),
  error: plain('error'),
  updatedAt: plain('updated_at'),
};

type Row = Record<string, unknown>;

function toOrder(row: Row): OrderRecord {
  return withoutUndefined({
    clientOrderId: String(row.client_order_id),
    positionId: String(row.position_id),
    symbol: String(row.symbol),
    purpose: row.purpose as OrderPurpose,
    side: row.side as OrderSide,
    type: row.type as OrderType,
    quantity: fromNumeric(row.quantity),
    triggerPrice: fromNullableNumeric(row.trigger_price),
    limitPrice: fromNullableNumeric(row.limit_price),
    checkedNotional: fromNullableNumeric(row.checked_notional),
    status: row.status as OrderStatus,
    exchangeOrderId: fromNullableText(row.exchange_order_id),
    filledQuantity: fromNullableNumeric(row.filled_quantity),
    averagePrice: fromNullableNumeric(row.average_price),
    fee: fromNullableNumeric(row.fee),
    error: fromNullableText(row.error),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  });
}

function unknownPosition(order: NewOrder, cause?: unknown): Error {
  return new Error(`order ${order.clientOrderId} names position ${order.positionId}, which does not exist`, { cause });
}

export class SqlOrderRepository implements OrderRepository {
  constructor(private readonly db: SqlExecutor) {}

  async record(order: NewOrder): Promise<OrderRecord> {
    if (!isRowId(order.positionId)) throw unknownPosition(order);
    try {
      const { rows } = await this.db.query<Row>(
        `INSERT INTO orders (client_order_id, position_id, symbol, purpose, side, type, quantity, trigger_price, limit_price,
           checked_notional, status, exchange_order_id, filled_quantity, average_price, fee, error, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $15, $16, 'intent', $9, $10, $11, $12, $13, $14, $14)
         ON CONFLICT (client_order_id) DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          order.clientOrderId,
          order.positionId,
          order.symbol,
          order.purpose,
          order.side,
          order.type,
          toNumeric(order.quantity),
          toNullableNumeric(order.triggerPrice),
          order.exchangeOrderId ?? null,
          toNullableNumeric(order.filledQuantity),
          toNullableNumeric(order.averagePrice),
          toNullableNumeric(order.fee),
          order.error ?? null,
          order.createdAt,
          toNullableNumeric(order.limitPrice),
          toNullableNumeric(order.checkedNotional),
        ],
      );
      if (rows[0]) return toOrder(rows[0]);
    } catch (error) {
      if (isForeignKeyViolation(error)) throw unknownPosition(order, error);
      throw error;
    }
    // Recorded before (a retry after a crash): the first record stands.
    return this.require(order.clientOrderId);
  }

  async update(clientOrderId: string, patch: OrderPatch): Promise<OrderRecord> {
    const params: unknown[] = [];
    const assignments = patchAssignments(patch, PATCHABLE, params);
    params.push(clientOrderId);
    const { rows } = await this.db.query<Row>(
      `UPDATE orders SET ${assignments.join(', ')} WHERE client_order_id = $${params.length} RETURNING ${COLUMNS}`,
      params,
    );
    if (!rows[0]) throw new Error(`order ${clientOrderId} not found`);
    return toOrder(rows[0]);
  }

  async get(clientOrderId: string): Promise<OrderRecord | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM orders WHERE client_order_id = $1`, [clientOrderId]);
    return rows[0] ? toOrder(rows[0]) : undefined;
  }

  async forPosition(positionId: string): Promise<OrderRecord[]> {
    if (!isRowId(positionId)) return [];
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM orders WHERE position_id = $1 ORDER BY created_at, client_order_id COLLATE "C"`,
      [positionId],
    );
    return rows.map(toOrder);
  }

  private async require(clientOrderId: string): Promise<OrderRecord> {
    const order = await this.get(clientOrderId);
    if (!order) throw new Error(`order ${clientOrderId} not found`);
    return order;
  }
}
