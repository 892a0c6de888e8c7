import type { OrderSide, Side } from '../../../domain/market.js';
import type { CloseReason, EntryRationale, Fill, Trade } from '../../../domain/trading.js';
import type { TradeQuery, TradeRepository } from '../../../ports/store.js';
import { chunk, valuesPlaceholders, type SqlExecutor, type SqlSession } from '../sql.js';
import { isForeignKeyViolation } from '../sql-errors.js';
import { fromNumeric, toDate, toJson, toNumeric } from '../values.js';
import { isRowId, timeRange } from './sql-fragments.js';

// Fills come back as one JSON array per trade, in the order they were recorded.
export const TRADE_COLUMNS = `t.position_id::text AS position_id, t.symbol, t.side, t.leverage, t.quantity, t.entry_price, t.exit_price,
  t.margin, t.stop_price, t.liquidation_price, t.entry_fee, t.exit_fee, t.funding, t.gross_pnl, t.net_pnl, t.pnl_pct,
  t.reason, t.opened_at, t.closed_at, t.rationale,
  COALESCE((SELECT json_agg(json_build_object('id', f.fill_id, 'orderId', f.order_id, 'clientOrderId', f.client_order_id,
      'symbol', f.symbol, 'side', f.side, 'price', f.price::text, 'quantity', f.quantity::text, 'fee', f.fee::text,
      'time', f.time) ORDER BY f.seq)
    FROM trade_fills f WHERE f.position_id = t.position_id), '[]'::json) AS fills`;

const FILL_WIDTH = 11;

type Row = Record<string, unknown>;
type FillJson = Record<string, unknown>;

function toFill(json: FillJson): Fill {
  return {
    id: String(json.id),
    orderId: String(json.orderId),
    ...(json.clientOrderId === null || json.clientOrderId === undefined ? {} : { clientOrderId: String(json.clientOrderId) }),
    symbol: String(json.symbol),
    side: json.side as OrderSide,
    price: fromNumeric(json.price),
    quantity: fromNumeric(json.quantity),
    fee: fromNumeric(json.fee),
    time: toDate(json.time),
  };
}

export function toTrade(row: Row): Trade {
  const fills = (typeof row.fills === 'string' ? JSON.parse(row.fills) : row.fills) as FillJson[];
  return {
    positionId: String(row.position_id),
    symbol: String(row.symbol),
    side: row.side as Side,
    leverage: fromNumeric(row.leverage),
    quantity: fromNumeric(row.quantity),
    entryPrice: fromNumeric(row.entry_price),
    exitPrice: fromNumeric(row.exit_price),
    margin: fromNumeric(row.margin),
    stopPrice: fromNumeric(row.stop_price),
    liquidationPrice: fromNumeric(row.liquidation_price),
    entryFee: fromNumeric(row.entry_fee),
    exitFee: fromNumeric(row.exit_fee),
    funding: fromNumeric(row.funding),
    grossPnl: fromNumeric(row.gross_pnl),
    netPnl: fromNumeric(row.net_pnl),
    pnlPct: fromNumeric(row.pnl_pct),
    reason: row.reason as CloseReason,
    openedAt: toDate(row.opened_at),
    closedAt: toDate(row.closed_at),
    rationale: row.rationale as EntryRationale,
    fills: fills.map(toFill),
  };
}

function unknownPosition(trade: Trade, cause?: unknown): Error {
  return new Error(`trade names position ${trade.positionId}, which does not exist`, { cause });
}

export class SqlTradeRepository implements TradeRepository {
  constructor(private readonly db: SqlSession) {}

  async record(trade: Trade): Promise<void> {
    if (!isRowId(trade.positionId)) throw unknownPosition(trade);
    try {
      await this.db.atomically((tx) => this.insert(tx, trade));
    } catch (error) {
      if (isForeignKeyViolation(error)) throw unknownPosition(trade, error);
      throw error;
    }
  }

  async list(query: TradeQuery = {}): Promise<Trade[]> {
    const params: unknown[] = [];
    const where = timeRange('t.closed_at', query, params);
    let order = 'ORDER BY t.closed_at, t.position_id';
    if (query.limit !== undefined) {
      params.push(Math.max(0, Math.floor(query.limit)));
      order = `ORDER BY t.closed_at DESC, t.position_id DESC LIMIT $${params.length}`;
    }
    const { rows } = await this.db.query<Row>(`SELECT ${TRADE_COLUMNS} FROM trades t WHERE ${where} ${order}`, params);
    return rows.map(toTrade);
  }

  async count(): Promise<number> {
    const { rows } = await this.db.query<{ count: unknown }>('SELECT count(*) AS count FROM trades');
    return Number(rows[0]?.count ?? 0);
  }

  private async insert(tx: SqlExecutor, trade: Trade): Promise<void> {
    const { rows } = await tx.query(
      `INSERT INTO trades (position_id, symbol, side, leverage, quantity, entry_price, exit_price, margin, stop_price,
         liquidation_price, entry_fee, exit_fee, funding, gross_pnl, net_pnl, pnl_pct, reason, opened_at, closed_at, rationale)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
       ON CONFLICT (position_id) DO NOTHING
       RETURNING position_id`,
      [
        trade.positionId,
        trade.symbol,
        trade.side,
        toNumeric(trade.leverage),
        toNumeric(trade.quantity),
        toNumeric(trade.entryPrice),
        toNumeric(trade.exitPrice),
        toNumeric(trade.margin),
        toNumeric(trade.stopPrice),
        toNumeric(trade.liquidationPrice),
        toNumeric(trade.entryFee),
        toNumeric(trade.exitFee),
        toNumeric(trade.funding),
        toNumeric(trade.grossPnl),
        toNumeric(trade.netPnl),
        toNumeric(trade.pnlPct),
        trade.reason,
        trade.openedAt,
        trade.closedAt,
        toJson(trade.rationale),
      ],
    );
    // Already recorded (a retry): the first record and its fills stand.
    if (rows.length === 0 || trade.fills.length === 0) return;
    // In batches: at 11 parameters a fill, one statement for a trade of thousands of fills would pass the protocol's
    // 65,535 parameters, and the trade could never be booked.
    const numbered = trade.fills.map((fill, seq) => ({ fill, seq }));
    for (const batch of chunk(numbered, FILL_WIDTH)) {
      await tx.query(
        `INSERT INTO trade_fills (position_id, seq, fill_id, order_id, client_order_id, symbol, side, price, quantity, fee, time)
         VALUES ${valuesPlaceholders(batch.length, FILL_WIDTH)}`,
        batch.flatMap(({ fill, seq }) => [
          trade.positionId,
          seq,
          fill.id,
          fill.orderId,
          fill.clientOrderId ?? null,
          fill.symbol,
          fill.side,
          toNumeric(fill.price),
          toNumeric(fill.quantity),
          toNumeric(fill.fee),
          fill.time,
        ]),
      );
    }
  }
}
