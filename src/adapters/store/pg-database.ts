// Postgres through a pg Pool: survives a server restart (idle clients that die are dropped, later queries
// reconnect), bounds every statement with a timeout, and reports outages as TemporaryError.
import pg from 'pg';
import type { Logger } from '../../ports/logger.js';
import type { SqlDatabase, SqlExecutor, SqlResult } from './sql.js';
import { translateDatabaseError } from './sql-errors.js';

export interface PgDatabaseOptions {
  readonly connectionString: string;
  /** Every connection uses this schema first (set at connection start-up, so reconnects keep it). */
  readonly schema?: string;
  readonly logger: Logger;
  readonly statementTimeoutMs?: number;
  readonly maxConnections?: number;
  /** Shows in pg_stat_activity; lets an operator (or a test) find this process's connections. */
  readonly applicationName?: string;
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/**
 * Why a first connection failed when the server is not up yet, as after a reboot, when Docker starts the daemon
 * before Postgres answers: its name not resolvable yet, its port refusing, or the server still starting. Undefined for
 * any other failure (a wrong password, a missing database), which waiting would not mend.
 */
export function serverNotUpYet(error: unknown): string | undefined {
  for (let cause = error, depth = 0; typeof cause === 'object' && cause !== null && depth < 5; depth += 1) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return code;
    if (code === '57P03') return 'the database system is starting up';
    // A name that resolves to several addresses fails each: Node reports them together.
    const inner = (cause as { errors?: unknown }).errors;
    if (Array.isArray(inner) && inner.length > 0) cause = inner[0];
    else cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

function executorOf(queryable: Queryable): SqlExecutor {
  return {
    async query<R>(text: string, params?: unknown[]): Promise<SqlResult<R>> {
      try {
        const result = await queryable.query(text, params);
        return { rows: result.rows as R[] };
      } catch (error) {
        throw translateDatabaseError(error);
      }
    },
  };
}

export class PgDatabase implements SqlDatabase {
  readonly pool: pg.Pool;
  readonly executor: SqlExecutor;
  private readonly logger: Logger;
  private readonly connection: pg.ClientConfig;

  constructor(options: PgDatabaseOptions) {
    this.logger = options.logger;
    this.connection = {
      connectionString: options.connectionString,
      connectionTimeoutMillis: 5_000,
      statement_timeout: options.statementTimeoutMs ?? 10_000,
      keepAlive: true,
      application_name: options.applicationName ?? 'trading-daemon',
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    };
    this.pool = new pg.Pool({ ...this.connection, max: options.maxConnections ?? 10, idleTimeoutMillis: 30_000 });
    // An idle client whose server went away emits 'error' on the pool; unhandled, that would kill the process.
    this.pool.on('error', (error) => {
      this.logger.warn({ err: error.message }, 'idle database connection lost; it will be replaced on next use');
    });
    this.executor = executorOf(this.pool);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const { client, release } = await this.lease();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(executorOf(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // A connection that cannot even roll back is not given back to the pool.
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw translateDatabaseError(error);
    } finally {
      release(broken);
    }
  }

  /**
   * A dedicated connection (transactions; the migration runner's advisory lock). While it is checked out the pool
   * does not listen for its errors, so this does: a server restart mid-transaction must fail the transaction,
   * not crash the process.
   */
  async lease(): Promise<{ client: pg.PoolClient; release: (error?: Error) => void }> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translateDatabaseError(error);
    }
    const onError = (error: Error): void => {
      this.logger.warn({ err: error.message }, 'database connection lost while in use');
    };
    client.on('error', onError);
    return {
      client,
      release: (error) => {
        client.removeListener('error', onError);
        client.release(error);
      },
    };
  }

  /**
   * A connection of its own, outside the pool and with its settings, for a session that must outlive any lease (the
   * daemon's lock). The caller listens for its errors and ends it.
   */
  async connectAlone(): Promise<pg.Client> {
    const client = new pg.Client(this.connection);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw translateDatabaseError(error);
    }
    return client;
  }

  async ping(): Promise<void> {
    await this.executor.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
