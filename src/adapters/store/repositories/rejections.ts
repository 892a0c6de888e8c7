import type { Side } from '../../../domain/market.js';
import type { RiskRejection, RiskRejectionRepository } from '../../../ports/store.js';
import type { SqlExecutor } from '../sql.js';
import { toDate, toNumeric } from '../values.js';
import { deleteOldest, timeRange } from './sql-fragments.js';

type Row = Record<string, unknown>;

export class SqlRiskRejectionRepository implements RiskRejectionRepository {
  constructor(private readonly db: SqlExecutor) {}

  async record(rejection: RiskRejection): Promise<void> {
    await this.db.query(
      `INSERT INTO risk_rejections (time, symbol, side, price, confidence, opportunity_score, reasons)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        rejection.time,
        rejection.symbol,
        rejection.side,
        toNumeric(rejection.price),
        toNumeric(rejection.confidence),
        toNumeric(rejection.opportunityScore),
        JSON.stringify(rejection.reasons),
      ],
    );
  }

  async list(query: { from?: Date; to?: Date } = {}): Promise<RiskRejection[]> {
    const params: unknown[] = [];
    const where = timeRange('time', query, params);
    const { rows } = await this.db.query<Row>(
      `SELECT time, symbol, side, price, confidence, opportunity_score, reasons FROM risk_rejections WHERE ${where} ORDER BY time, id`,
      params,
    );
    return rows.map((row) => ({
      time: toDate(row.time),
      symbol: String(row.symbol),
      side: row.side as Side,
      price: Number(row.price),
      confidence: Number(row.confidence),
      opportunityScore: Number(row.opportunity_score),
      reasons: (typeof row.reasons === 'string' ? JSON.parse(row.reasons) : row.reasons) as string[],
    }));
  }

  pruneBefore(before: Date, limit: number): Promise<number> {
    return deleteOldest(this.db, 'risk_rejections', before, limit);
  }
}
