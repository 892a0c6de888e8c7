// Opens the store: Postgres when a URL is given, embedded PGlite otherwise; migrates before anything else runs.
// Each engine's driver is imported only when that engine is opened: a daemon holds one of them, and the other's
// modules would only take memory (pg about 14 MB resident in a fresh process).
import { resolve } from 'node:path';
import { SystemClock } from '../clock/system-clock.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { checkSchemaName, runMigrations, type MigrationSession } from './migration-runner.js';
import { defaultMigrationsDir, loadMigrations, type Migration } from './migrations.js';
import { lockDaemonSchema, type DaemonLock } from './pg-daemon-lock.js';
import type { PgDatabase } from './pg-database.js';
import type { PgliteDatabase } from './pglite-database.js';
import { SqlStore } from './sql-store.js';

export interface OpenStoreOptions {
  /** postgres://… — uses a pg Pool. Without it, embedded PGlite. */
  readonly databaseUrl?: string;
  /** PGlite's data directory; in memory when undefined. Ignored with `databaseUrl`. */
  readonly dataDir?: string;
  /** Tables live in this schema (created if missing) instead of the connection's default. */
  readonly schema?: string;
  readonly logger: Logger;
  /** Defaults to the project's `migrations/` folder. */
  readonly migrationsDir?: string;
  /** Per-statement limit on Postgres; default 10 s. */
  readonly statementTimeoutMs?: number;
  /** Postgres application_name of the pool's connections. */
  readonly applicationName?: string;
  /**
   * How long the first connection waits for a Postgres that is not up yet; none unless given. The daemon waits (a
   * reboot starts it and Postgres at once); a sweep's trial fails at once and its queue retries it.
   */
  readonly waitForServerMs?: number;
  /** Times that wait; the wall clock unless given. */
  readonly clock?: Pick<Clock, 'now' | 'sleep'>;
  /**
   * 'daemon': refuse to open a Postgres schema another daemon has open, and keep it from others until close (PGlite's
   * data directory lock already does this). Not for sweeps, backtests or shadows, which share a schema or a daemon's.
   */
  readonly exclusive?: 'daemon';
}

/** How long the daemon's start waits for a Postgres that is not up yet (a reboot starts both at once). */
export const SERVER_START_PATIENCE_MS = 60_000;
const SERVER_START_RETRY_MS = 2_000;

export async function openStore(options: OpenStoreOptions): Promise<SqlStore> {
  const schema = options.schema === undefined ? undefined : checkSchemaName(options.schema);
  const migrations = await loadMigrations(options.migrationsDir ?? defaultMigrationsDir());
  const logger = options.logger.child({ module: 'store' });
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, schema, migrations, logger, options)
    : openPglite(options.dataDir, schema, migrations, logger);
}

async function openPostgres(
  url: string,
  schema: string | undefined,
  migrations: Migration[],
  logger: Logger,
  options: OpenStoreOptions,
): Promise<SqlStore> {
  const { PgDatabase, serverNotUpYet } = await import('./pg-database.js');
  const clock = options.clock ?? new SystemClock();
  const database = new PgDatabase({
    connectionString: url,
    logger,
    ...(schema ? { schema } : {}),
    ...(options.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: options.statementTimeoutMs }),
    ...(options.applicationName === undefined ? {} : { applicationName: options.applicationName }),
  });
  let lock: DaemonLock | undefined;
  try {
    const { client, release } = await firstLease(database, serverNotUpYet, serverOf(url), options.waitForServerMs ?? 0, clock, logger);
    let failure: Error | undefined;
    try {
      // Before migrating: a second daemon of a newer version must not change the tables under the running one.
      if (options.exclusive === 'daemon') lock = await lockDaemonSchema(database, schema, logger, clock);
      const session: MigrationSession = {
        query: async (text, params) => ({ rows: (await client.query(text, params)).rows }),
        transaction: async (work) => {
          await client.query('BEGIN');
          try {
            const result = await work({
              query: async (text, params) => ({ rows: (await client.query(text, params)).rows }),
              // Without parameters pg uses the simple protocol, which takes several statements at once.
              exec: async (script) => void (await client.query(script)),
            });
            await client.query('COMMIT');
            return result;
          } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw error;
          }
        },
      };
      await runMigrations(session, { migrations, logger, ...(schema ? { schema } : {}) });
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      release(failure);
    }
  } catch (error) {
    await lock?.release();
    await database.close().catch(() => undefined);
    throw error;
  }
  logger.info({ engine: 'postgres', schema: schema ?? 'default' }, 'store opened');
  return new SqlStore(database, async () => {
    await lock?.release();
  });
}

/** Where the server is, for the log: the URL's host and port, never its password. */
function serverOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}`;
  } catch {
    return 'the DATABASE_URL server';
  }
}

/**
 * The first connection, waited for while the server is not up yet (a reboot starts the daemon and Postgres at once),
 * for about a minute; then, or at once for any other failure, the error as it came.
 */
async function firstLease(
  database: PgDatabase,
  notUpYet: (error: unknown) => string | undefined,
  server: string,
  patienceMs: number,
  clock: Pick<Clock, 'now' | 'sleep'>,
  logger: Logger,
): Promise<Awaited<ReturnType<PgDatabase['lease']>>> {
  const giveUpAt = clock.now().getTime() + patienceMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await database.lease();
    } catch (error) {
      const reason = notUpYet(error);
      const left = giveUpAt - clock.now().getTime();
      if (reason === undefined || left <= 0) throw error;
      const waitMs = Math.min(SERVER_START_RETRY_MS, left);
      logger.warn({ server, attempt, reason, retryInMs: waitMs }, 'the database is not up yet; trying again');
      await clock.sleep(waitMs);
    }
  }
}

async function openPglite(
  dataDir: string | undefined,
  schema: string | undefined,
  migrations: Migration[],
  logger: Logger,
): Promise<SqlStore> {
  const directory = dataDir === undefined ? undefined : resolve(dataDir);
  const lock: DataDirLock | undefined = directory === undefined ? undefined : await lockDataDir(directory);
  let database: PgliteDatabase | undefined;
  try {
    const { PgliteDatabase } = await import('./pglite-database.js');
    database = await PgliteDatabase.open(directory);
    const db = database.db;
    // One connection: setting the search path once covers every later query.
    if (schema) await db.exec(`SET search_path TO ${schema}`);
    const session: MigrationSession = {
      query: (text, params) => db.query(text, params),
      transaction: (work) =>
        db.transaction((tx) =>
          work({ query: (text, params) => tx.query(text, params), exec: async (script) => void (await tx.exec(script)) }),
        ),
    };
    await runMigrations(session, { migrations, logger, ...(schema ? { schema } : {}) });
  } catch (error) {
    await database?.close().catch(() => undefined);
    await lock?.release();
    throw error;
  }
  logger.info({ engine: 'pglite', dataDir: directory ?? 'memory', schema: schema ?? 'default' }, 'store opened');
  return new SqlStore(database, async () => {
    await lock?.release();
  });
}
