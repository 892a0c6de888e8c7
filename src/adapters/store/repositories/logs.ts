import type { LogEntry, LogRepository } from '../../../ports/store.js';
import { chunk, valuesPlaceholders, type SqlExecutor } from '../sql.js';
import { toJson } from '../values.js';

const WIDTH = 5;

export class SqlLogRepository implements LogRepository {
  constructor(private readonly db: SqlExecutor) {}

  async append(entries: readonly LogEntry[]): Promise<void> {
    for (const batch of chunk(entries, WIDTH)) {
      await this.db.query(
        `INSERT INTO system_logs (time, level, module, message, context) VALUES ${valuesPlaceholders(batch.length, WIDTH)}`,
        batch.flatMap((entry) => [
          entry.time,
          entry.level,
          entry.module ?? null,
          entry.message,
          entry.context === undefined ? null : toJson(entry.context),
        ]),
      );
    }
  }
}
