import type { LogEntry, LogLevel, LogRepository } from '../../../ports/store.js';
import { chunk, valuesPlaceholders, type SqlExecutor } from '../sql.js';
import { fromNullableText, storableText, toDate, toJson, withoutUndefined } from '../values.js';
import { deleteOldest } from './sql-fragments.js';

const WIDTH = 5;
const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

type Row = Record<string, unknown>;

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
          storableText(entry.message),
          entry.context === undefined ? null : toJson(entry.context),
        ]),
      );
    }
  }

  pruneBefore(before: Date, limit: number): Promise<number> {
    return deleteOldest(this.db, 'system_logs', before, limit);
  }

  async recent(limit: number, minLevel: LogLevel): Promise<LogEntry[]> {
    const levels = LEVELS.slice(LEVELS.indexOf(minLevel));
    const count = Math.max(0, Math.floor(limit));
    if (count === 0 || levels.length === 0) return [];
    const placeholders = levels.map((_, index) => `$${index + 2}`).join(', ');
    const { rows } = await this.db.query<Row>(
      `SELECT time, level, module, message, context FROM system_logs WHERE level IN (${placeholders}) ORDER BY time DESC, id DESC LIMIT $1`,
      [count, ...levels],
    );
    return rows.map((row) =>
      withoutUndefined<LogEntry>({
        time: toDate(row.time),
        level: String(row.level),
        module: fromNullableText(row.module),
        message: String(row.message),
        context: readContext(row.context),
      }),
    );
  }
}

/** JSONB arrives parsed from pg and PGlite; text is parsed here in case a driver hands it over as written. */
function readContext(value: unknown): Record<string, unknown> | undefined {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
}
