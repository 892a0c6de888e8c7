import type { PaperAccountRepository } from '../../../ports/store.js';
import type { SqlExecutor } from '../sql.js';
import { fromNumeric, toJson, toNumeric } from '../values.js';

export class SqlPaperAccountRepository implements PaperAccountRepository {
  constructor(private readonly db: SqlExecutor) {}

  async load(): Promise<{ balance: number; state: unknown } | undefined> {
    const { rows } = await this.db.query<{ balance: unknown; state: unknown }>('SELECT balance, state FROM paper_account');
    return rows[0] ? { balance: fromNumeric(rows[0].balance), state: rows[0].state } : undefined;
  }

  async save(balance: number, state: unknown): Promise<void> {
    await this.db.query(
      `INSERT INTO paper_account (id, balance, state, updated_at) VALUES (TRUE, $1, $2, now())
       ON CONFLICT (id) DO UPDATE SET balance = EXCLUDED.balance, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
      [toNumeric(balance), toJson(state)],
    );
  }
}
