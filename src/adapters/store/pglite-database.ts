// Embedded Postgres (PGlite): one connection in this process, file-backed or in memory.
import { PGlite } from '@electric-sql/pglite';
import type { SqlDatabase, SqlExecutor, SqlResult } from './sql.js';

type Queryable = Pick<PGlite, 'query'>;

/**
 * Postgres sets up its shared buffer pool at start-up, and in PGlite it lives in WebAssembly memory, which never
 * shrinks; the default pool is 128 MB. The daemon's database is a few MB of trades, orders and decisions: 16 MB
 * holds all of it that is hot, and keeps a long-running process small on a small VPS.
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

function executorOf(queryable: Queryable): SqlExecutor {
  return {
    async query<R>(text: string, params?: unknown[]): Promise<SqlResult<R>> {
      const result = await queryable.query<R>(text, params);
      return { rows: result.rows };
    },
  };
}

export class PgliteDatabase implements SqlDatabase {
  readonly executor: SqlExecutor;

  private constructor(readonly db: PGlite) {
    this.executor = executorOf(db);
  }

  /** In memory when `dataDir` is undefined. */
  static async open(dataDir: string | undefined): Promise<PgliteDatabase> {
    const db = await PGlite.create({ dataDir, startParams: PGLITE_START_PARAMS });
    return new PgliteDatabase(db);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(executorOf(tx)));
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
