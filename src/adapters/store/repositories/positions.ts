import { RejectedError } from '../../../domain/errors.js';
import type { CloseReason, EntryRationale, Position, PositionStatus } from '../../../domain/trading.js';
import type { Side } from '../../../domain/market.js';
import type { NewPosition, PositionClosing, PositionPatch, PositionRepository } from '../../../ports/store.js';
import type { SqlExecutor } from '../sql.js';
import { conflictingKey, isUniqueViolation } from '../sql-errors.js';
import {
  fromNullableDate,
  fromNullableNumeric,
  fromNullableText,
  fromNumeric,
  toDate,
  toJson,
  toNullableNumeric,
  toNumeric,
  withoutUndefined,
} from '../values.js';
import { isRowId, patchAssignments, type ColumnSpec } from './sql-fragments.js';

const ONE_ACTIVE_PER_SYMBOL = 'positions_one_active_per_symbol';

const COLUMNS = `id::text AS id, symbol, side, status, leverage, quantity, entry_price, margin, stop_price,
  stop_loss_pct, liquidation_price, take_profit_price, entry_fee, funding, opened_at, rationale, stop_order_id,
  stop_client_order_id, best_price, last_update_at, last_exit_check_at, closed_at, close_reason`;

const numeric = (column: string): ColumnSpec => ({ column, encode: (value: number) => toNumeric(value) });
const plain = (column: string): ColumnSpec => ({ column, encode: (value: unknown) => value });

const PATCHABLE: Readonly<Record<keyof PositionPatch, ColumnSpec>> = {
  status: plain('status'),
  leverage: numeric('leverage'),
  quantity: numeric('quantity'),
  entryPrice: numeric('entry_price'),
  margin: numeric('margin'),
  stopPrice: numeric('stop_price'),
  stopLossPct: numeric('stop_loss_pct'),
  liquidationPrice: numeric('liquidation_price'),
  takeProfitPrice: numeric('take_profit_price'),
  entryFee: numeric('entry_fee'),
  funding: numeric('funding'),
  openedAt: plain('opened_at'),
  stopOrderId: plain('stop_order_id'),
  stopClientOrderId: plain('stop_client_order_id'),
  bestPrice: numeric('best_price'),
  lastUpdateAt: plain('last_update_at'),
  lastExitCheckAt: plain('last_exit_check_at'),
  closedAt: plain('closed_at'),
  closeReason: plain('close_reason'),
};

type Row = Record<string, unknown>;

function toPosition(row: Row): Position {
  return withoutUndefined({
    id: String(row.id),
    symbol: String(row.symbol),
    side: row.side as Side,
    status: row.status as PositionStatus,
    leverage: fromNumeric(row.leverage),
    quantity: fromNumeric(row.quantity),
    entryPrice: fromNumeric(row.entry_price),
    margin: fromNumeric(row.margin),
    stopPrice: fromNumeric(row.stop_price),
    stopLossPct: fromNumeric(row.stop_loss_pct),
    liquidationPrice: fromNumeric(row.liquidation_price),
    takeProfitPrice: fromNullableNumeric(row.take_profit_price),
    entryFee: fromNumeric(row.entry_fee),
    funding: fromNumeric(row.funding),
    openedAt: toDate(row.opened_at),
    rationale: row.rationale as EntryRationale,
    stopOrderId: fromNullableText(row.stop_order_id),
    stopClientOrderId: fromNullableText(row.stop_client_order_id),
    bestPrice: fromNullableNumeric(row.best_price),
    lastUpdateAt: fromNullableDate(row.last_update_at),
    lastExitCheckAt: fromNullableDate(row.last_exit_check_at),
    closedAt: fromNullableDate(row.closed_at),
    closeReason: fromNullableText(row.close_reason) as CloseReason | undefined,
  });
}

function activePositionRejection(symbol: string, cause: unknown): RejectedError {
  return new RejectedError(`${symbol} already has an active position`, { cause });
}

export class SqlPositionRepository implements PositionRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(position: NewPosition): Promise<Position> {
    const params = [
      position.symbol,
      position.side,
      toNumeric(position.leverage),
      toNumeric(position.quantity),
      toNumeric(position.entryPrice),
      toNumeric(position.margin),
      toNumeric(position.stopPrice),
      toNumeric(position.stopLossPct),
      toNumeric(position.liquidationPrice),
      toNullableNumeric(position.takeProfitPrice),
      toNumeric(position.entryFee),
      toNumeric(position.funding),
      position.openedAt,
      toJson(position.rationale),
      position.stopOrderId ?? null,
      toNullableNumeric(position.bestPrice),
      position.lastUpdateAt ?? null,
      position.lastExitCheckAt ?? null,
    ];
    try {
      const { rows } = await this.db.query<Row>(
        `INSERT INTO positions (symbol, side, status, leverage, quantity, entry_price, margin, stop_price, stop_loss_pct,
           liquidation_price, take_profit_price, entry_fee, funding, opened_at, rationale, stop_order_id, best_price,
           last_update_at, last_exit_check_at)
         VALUES ($1, $2, 'opening', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         RETURNING ${COLUMNS}`,
        params,
      );
      return toPosition(rows[0] as Row);
    } catch (error) {
      if (isUniqueViolation(error, ONE_ACTIVE_PER_SYMBOL)) throw activePositionRejection(position.symbol, error);
      throw error;
    }
  }

  async update(id: string, patch: PositionPatch): Promise<Position> {
    const params: unknown[] = [];
    const assignments = patchAssignments(patch, PATCHABLE, params);
    if (assignments.length === 0) return this.require(id);
    if (!isRowId(id)) throw new Error(`position ${id} not found`);
    params.push(id);
    try {
      const { rows } = await this.db.query<Row>(
        `UPDATE positions SET ${assignments.join(', ')} WHERE id = $${params.length} RETURNING ${COLUMNS}`,
        params,
      );
      if (!rows[0]) throw new Error(`position ${id} not found`);
      return toPosition(rows[0]);
    } catch (error) {
      // The failed statement aborted any surrounding transaction, so the symbol comes from the error, not a query.
      if (isUniqueViolation(error, ONE_ACTIVE_PER_SYMBOL)) {
        throw activePositionRejection(conflictingKey(error) ?? `the symbol of position ${id}`, error);
      }
      throw error;
    }
  }

  async markClosed(id: string, closing: PositionClosing): Promise<boolean> {
    if (!isRowId(id)) throw new Error(`position ${id} not found`);
    const { rows } = await this.db.query<Row>(
      `UPDATE positions SET status = 'closed', closed_at = $2, close_reason = $3, funding = $4, entry_fee = $5
       WHERE id = $1 AND status IN ('opening', 'open', 'closing') RETURNING id::text AS id`,
      [id, closing.closedAt, closing.closeReason, toNumeric(closing.funding), toNumeric(closing.entryFee)],
    );
    return rows.length > 0;
  }

  async get(id: string): Promise<Position | undefined> {
    if (!isRowId(id)) return undefined;
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM positions WHERE id = $1`, [id]);
    return rows[0] ? toPosition(rows[0]) : undefined;
  }

  async active(): Promise<Position[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM positions WHERE status IN ('opening', 'open', 'closing') ORDER BY opened_at, id`,
    );
    return rows.map(toPosition);
  }

  private async require(id: string): Promise<Position> {
    const position = await this.get(id);
    if (!position) throw new Error(`position ${id} not found`);
    return position;
  }
}
