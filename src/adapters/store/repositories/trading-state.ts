import type { TradingStateRepository } from '../../../ports/store.js';
import type { SqlExecutor } from '../sql.js';
import { toJson } from '../values.js';

export class SqlTradingStateRepository implements TradingStateRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** The stored JSON document, or undefined when the key was never written. */
  async get(key: string): Promise<unknown> {
    const { rows } = await this.db.query<{ value: unknown }>('SELECT value FROM trading_state WHERE key = $1', [key]);
    return rows[0] ? rows[0].value : undefined;
  }

  async put(key: string, value: unknown): Promise<void> {
    await this.db.query(
      `INSERT INTO trading_state (key, value, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
      [key, toJson(value)],
    );
  }
}
