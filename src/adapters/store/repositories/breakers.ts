import type { BreakerKind } from '../../../domain/events.js';
import type { BreakerEvent, BreakerEventRepository } from '../../../ports/store.js';
import type { SqlExecutor } from '../sql.js';
import { toDate } from '../values.js';
import { deleteOldest, timeRange } from './sql-fragments.js';

type Row = Record<string, unknown>;

export class SqlBreakerEventRepository implements BreakerEventRepository {
  constructor(private readonly db: SqlExecutor) {}

  async record(event: BreakerEvent): Promise<void> {
    await this.db.query('INSERT INTO breaker_events (time, breaker, action, detail) VALUES ($1, $2, $3, $4)', [
      event.time,
      event.breaker,
      event.action,
      event.detail,
    ]);
  }

  /** Oldest first within [from, to). */
  async list(query: { from?: Date; to?: Date } = {}): Promise<BreakerEvent[]> {
    const params: unknown[] = [];
    const where = timeRange('time', query, params);
    const { rows } = await this.db.query<Row>(
      `SELECT time, breaker, action, detail FROM breaker_events WHERE ${where} ORDER BY time, id`,
      params,
    );
    return rows.map((row) => ({
      time: toDate(row.time),
      breaker: row.breaker as BreakerKind,
      action: row.action as BreakerEvent['action'],
      detail: String(row.detail),
    }));
  }

  pruneBefore(before: Date, limit: number): Promise<number> {
    return deleteOldest(this.db, 'breaker_events', before, limit);
  }
}
