// Embedded Postgres (PGlite): one connection in this process, file-backed or in memory.
import { PGlite } from '@electric-sql/pglite';
import { holdsDatabase, initializeDataDir } from './pglite-initdb.js';
import { compileWasmWithBaselineOnly, PGLITE_START_PARAMS } from './pglite-settings.js';
import type { SqlDatabase, SqlExecutor, SqlResult } from './sql.js';

type Queryable = Pick<PGlite, 'query'>;

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

  /** In memory when `dataDir` is undefined. A directory without a database gets one, made by a child process. */
  static async open(dataDir: string | undefined): Promise<PgliteDatabase> {
    if (dataDir !== undefined && !(await holdsDatabase(dataDir))) await initializeDataDir(dataDir);
    compileWasmWithBaselineOnly();
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
