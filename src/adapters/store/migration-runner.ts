// Applies migrations at start-up: in file order, one transaction each, recorded in schema_migrations, under an
// advisory lock so two processes starting together cannot both migrate.
import { createHash } from 'node:crypto';
import type { Logger } from '../../ports/logger.js';
import type { Migration } from './migrations.js';
import type { SqlExecutor } from './sql.js';

export interface ScriptExecutor extends SqlExecutor {
  /** Runs a script of several statements. */
  exec(script: string): Promise<void>;
}

/** One database session: the advisory lock belongs to the session that took it. */
export interface MigrationSession extends SqlExecutor {
  transaction<T>(work: (tx: ScriptExecutor) => Promise<T>): Promise<T>;
}

export interface MigrationOptions {
  readonly migrations: readonly Migration[];
  /** Created if missing; the caller's connections must already have it first in their search_path. */
  readonly schema?: string;
  readonly logger: Logger;
}

export class ChangedMigrationError extends Error {
  constructor(
    readonly migration: string,
    recorded: string,
    current: string,
  ) {
    super(
      `migration ${migration} was changed after it was applied (recorded checksum ${recorded.slice(0, 12)}, ` +
        `file now ${current.slice(0, 12)}); restore the file and put the change in a new migration`,
    );
    this.name = 'ChangedMigrationError';
  }
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`schema name ${schema} must be lower-case letters, digits and _`);
  return schema;
}

/** A stable lock id per schema, so migrating one schema never waits for another. */
function lockKey(schema: string | undefined): string {
  const digest = createHash('sha256').update(`trading-daemon:migrations:${schema ?? ''}`).digest();
  return digest.readBigInt64BE(0).toString();
}

async function takeLock(session: MigrationSession, key: string): Promise<void> {
  try {
    await session.query('SELECT pg_advisory_lock($1::bigint)', [key]);
  } catch (error) {
    // The wait is bounded by the connection's statement timeout; say what was being waited for.
    if ((error as { code?: unknown }).code === '57014') {
      throw new Error('timed out waiting for another process to finish applying migrations', { cause: error });
    }
    throw error;
  }
}

export async function runMigrations(session: MigrationSession, options: MigrationOptions): Promise<{ applied: string[] }> {
  const log = options.logger.child({ module: 'migrations' });
  const key = lockKey(options.schema);
  await takeLock(session, key);
  try {
    if (options.schema) await session.query(`CREATE SCHEMA IF NOT EXISTS ${checkSchemaName(options.schema)}`);
    const table = options.schema ? `${options.schema}.schema_migrations` : 'schema_migrations';
    await session.query(
      `CREATE TABLE IF NOT EXISTS ${table} (
         name TEXT PRIMARY KEY,
         checksum TEXT NOT NULL,
         applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await session.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM ${table}`);
    const recorded = new Map(rows.map((row) => [row.name, row.checksum]));
    const files = new Set(options.migrations.map((migration) => migration.name));

    for (const migration of options.migrations) {
      const checksum = recorded.get(migration.name);
      if (checksum !== undefined && checksum !== migration.checksum) {
        throw new ChangedMigrationError(migration.name, checksum, migration.checksum);
      }
    }
    for (const name of recorded.keys()) {
      if (!files.has(name)) log.warn({ migration: name }, 'applied migration has no file; was it renamed or deleted?');
    }

    const applied: string[] = [];
    for (const migration of options.migrations) {
      if (recorded.has(migration.name)) continue;
      await session.transaction(async (tx) => {
        // A migration may rewrite a large table; the per-statement timeout is for the daemon's own queries.
        await tx.exec('SET LOCAL statement_timeout = 0');
        await tx.exec(migration.sql);
        await tx.query(`INSERT INTO ${table} (name, checksum) VALUES ($1, $2)`, [migration.name, migration.checksum]);
      });
      log.info({ migration: migration.name }, 'migration applied');
      applied.push(migration.name);
    }
    log.info({ applied: applied.length, total: options.migrations.length }, 'schema up to date');
    return { applied };
  } finally {
    try {
      await session.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
    } catch (error) {
      // The lock dies with the session anyway; the error that brought us here is the one worth reporting.
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not release the migration lock');
    }
  }
}
