import { tradeResult, type Trade } from '../../../domain/trading.js';
import type { DailyPerformance, DailyPerformanceRepository } from '../../../ports/store.js';
import type { SqlExecutor } from '../sql.js';
import { dayColumn, fromNumeric, toNumeric } from '../values.js';

const COLUMNS = `${dayColumn('day')} AS day, start_capital, end_capital, trades, wins, losses, net_pnl, fees, funding`;

type Row = Record<string, unknown>;

function toPerformance(row: Row): DailyPerformance {
  return {
    day: String(row.day),
    startCapital: fromNumeric(row.start_capital),
    endCapital: fromNumeric(row.end_capital),
    trades: fromNumeric(row.trades),
    wins: fromNumeric(row.wins),
    losses: fromNumeric(row.losses),
    netPnl: fromNumeric(row.net_pnl),
    fees: fromNumeric(row.fees),
    funding: fromNumeric(row.funding),
  };
}

/** `YYYY-MM-DD` only: Postgres would also accept other spellings the in-memory store would not. */
function checkDay(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`day must be YYYY-MM-DD, got ${day}`);
  return day;
}

export class SqlDailyPerformanceRepository implements DailyPerformanceRepository {
  constructor(private readonly db: SqlExecutor) {}

  async openDay(day: string, startCapital: number): Promise<DailyPerformance> {
    const capital = toNumeric(startCapital);
    await this.db.query(
      `INSERT INTO daily_performance (day, start_capital, end_capital) VALUES ($1, $2, $2) ON CONFLICT (day) DO NOTHING`,
      [checkDay(day), capital],
    );
    return this.require(day);
  }

  /** One upsert, so two trades closing at once cannot lose an increment. A trade closed at exactly zero is neither won nor lost. */
  async addTrade(day: string, trade: Trade, capitalAfter: number): Promise<DailyPerformance> {
    const result = tradeResult(trade.netPnl);
    const { rows } = await this.db.query<Row>(
      `INSERT INTO daily_performance AS d (day, start_capital, end_capital, trades, wins, losses, net_pnl, fees, funding)
       VALUES ($1, $2::numeric - $3::numeric, $2, 1, $4, $5, $3, $6, $7)
       ON CONFLICT (day) DO UPDATE SET
         end_capital = EXCLUDED.end_capital,
         trades = d.trades + 1,
         wins = d.wins + EXCLUDED.wins,
         losses = d.losses + EXCLUDED.losses,
         net_pnl = d.net_pnl + EXCLUDED.net_pnl,
         fees = d.fees + EXCLUDED.fees,
         funding = d.funding + EXCLUDED.funding
       RETURNING ${COLUMNS}`,
      [
        checkDay(day),
        toNumeric(capitalAfter),
        toNumeric(trade.netPnl),
        result === 'win' ? 1 : 0,
        result === 'loss' ? 1 : 0,
        toNumeric(trade.entryFee + trade.exitFee),
        toNumeric(trade.funding),
      ],
    );
    return toPerformance(rows[0] as Row);
  }

  async transfer(day: string, amount: number): Promise<void> {
    const moved = toNumeric(amount);
    await this.db.query(
      `UPDATE daily_performance SET start_capital = start_capital + $2::numeric, end_capital = end_capital + $2::numeric WHERE day = $1`,
      [checkDay(day), moved],
    );
  }

  async get(day: string): Promise<DailyPerformance | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM daily_performance WHERE day = $1`, [checkDay(day)]);
    return rows[0] ? toPerformance(rows[0]) : undefined;
  }

  async range(fromDay: string, toDay: string): Promise<DailyPerformance[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM daily_performance WHERE day >= $1 AND day <= $2 ORDER BY day`,
      [checkDay(fromDay), checkDay(toDay)],
    );
    return rows.map(toPerformance);
  }

  private async require(day: string): Promise<DailyPerformance> {
    const found = await this.get(day);
    if (!found) throw new Error(`daily performance for ${day} not found`);
    return found;
  }
}
