import type { PaperAccountRepository, PaperHistoryEntry, SavedPaperAccount } from '../../../ports/store.js';
import type { SqlExecutor } from '../sql.js';
import { fromNumeric, toJson, toNumeric } from '../values.js';

export class SqlPaperAccountRepository implements PaperAccountRepository {
  constructor(private readonly db: SqlExecutor) {}

  async load(): Promise<SavedPaperAccount | undefined> {
    const { rows } = await this.db.query<{ balance: unknown; state: unknown }>('SELECT balance, state FROM paper_account');
    const account = rows[0];
    if (!account) return undefined;
    const history = await this.db.query<PaperHistoryEntry>('SELECT kind, entry FROM paper_history ORDER BY seq');
    return { balance: fromNumeric(account.balance), state: account.state, history: history.rows };
  }

  /** One statement, so the state and its new history entries land together. */
  async save(balance: number, state: unknown, appended: readonly PaperHistoryEntry[]): Promise<void> {
    await this.db.query(
      `WITH account AS (
         INSERT INTO paper_account (id, balance, state, updated_at) VALUES (TRUE, $1, $2, now())
         ON CONFLICT (id) DO UPDATE SET balance = EXCLUDED.balance, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at
       )
       INSERT INTO paper_history (kind, entry)
       SELECT x.kind, x.entry FROM ROWS FROM (jsonb_to_recordset($3::jsonb) AS (kind text, entry jsonb)) WITH ORDINALITY AS x(kind, entry, n)
       ORDER BY x.n`,
      [toNumeric(balance), toJson(state), toJson(appended)],
    );
  }
}
