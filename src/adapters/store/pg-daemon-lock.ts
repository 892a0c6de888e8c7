// One daemon per Postgres schema. Two daemons on one schema (a second host, `npm start` beside the container) would
// trade the same account with the same order ids; PGlite's lock file cannot see them, and the migration lock is let go
// once migrations are done. The daemon holds a session advisory lock on a connection of its own for as long as its
// store is open; the server frees it when that connection ends, however the daemon ends.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { PgDatabase } from './pg-database.js';

/** Who holds the lock, as far as pg_stat_activity shows it to this role (another role's sessions show little). */
export interface LockHolder {
  readonly pid: number;
  readonly applicationName?: string;
  readonly clientAddress?: string;
  readonly since?: Date;
}

export class SchemaInUseError extends Error {
  constructor(
    readonly schema: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(
      `another trading daemon is running on database schema ${schema} (${describeHolder(holder)}); two daemons on one ` +
        'schema would trade the same account with the same order ids. Stop that daemon first; a second daemon needs a ' +
        `schema or database of its own. If that session is not a daemon, end it: SELECT pg_terminate_backend(${holder?.pid ?? '<pid>'})`,
    );
    this.name = 'SchemaInUseError';
  }
}

function describeHolder(holder: LockHolder | undefined): string {
  if (holder === undefined) return 'its session has just ended; starting again should succeed';
  const parts = [
    `server process ${holder.pid}`,
    holder.applicationName ? `application_name ${holder.applicationName}` : undefined,
    holder.clientAddress ? `from ${holder.clientAddress}` : 'from a local socket or an address hidden from this role',
    holder.since ? `connected since ${holder.since.toISOString()}` : undefined,
  ];
  return parts.filter((part) => part !== undefined).join(', ');
}

export interface DaemonLock {
  release(): Promise<void>;
}

const RETAKE_RETRY_MS = 5_000;

/** Advisory locks are per database already; the schema tells apart daemons that legitimately share one. */
function lockKey(schema: string): bigint {
  return createHash('sha256').update(`trading-daemon:daemon:${schema}`).digest().readBigInt64BE(0);
}

/** The schema the store's tables are in: the one given, or the first of the connection's search_path. */
async function schemaOf(client: pg.Client, schema: string | undefined): Promise<string> {
  if (schema !== undefined) return schema;
  const { rows } = await client.query<{ name: string | null }>('SELECT current_schema() AS name');
  return rows[0]?.name ?? '';
}

async function tryLock(client: pg.Client, key: bigint): Promise<boolean> {
  const { rows } = await client.query<{ taken: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS taken', [key.toString()]);
  return rows[0]?.taken === true;
}

/** A bigint advisory lock shows in pg_locks as its high and low 32 bits, each an unsigned oid, with objsubid 1. */
async function holderOf(client: pg.Client, key: bigint): Promise<LockHolder | undefined> {
  const bits = BigInt.asUintN(64, key);
  const { rows } = await client.query<{ pid: number; application_name: string | null; client_addr: string | null; backend_start: Date | null }>(
    `SELECT a.pid, a.application_name, host(a.client_addr) AS client_addr, a.backend_start
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid
      LIMIT 1`,
    [(bits >> 32n).toString(), (bits & 0xffffffffn).toString()],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  return {
    pid: row.pid,
    ...(row.application_name ? { applicationName: row.application_name } : {}),
    ...(row.client_addr ? { clientAddress: row.client_addr } : {}),
    ...(row.backend_start ? { since: row.backend_start } : {}),
  };
}

/** Until watch() listens, an error on the connection is the failing query's own; unheard, it would end the process. */
async function connect(database: PgDatabase): Promise<pg.Client> {
  const client = await database.connectAlone();
  client.on('error', () => undefined);
  return client;
}

/**
 * Takes the daemon's lock on `schema`, or fails with SchemaInUseError naming who holds it. Should the lock's connection
 * be lost (a server restart frees the lock), it is taken again on a new connection, and an error is logged for as long
 * as that fails.
 */
export async function lockDaemonSchema(
  database: PgDatabase,
  schemaOption: string | undefined,
  logger: Logger,
  clock: Pick<Clock, 'sleep'>,
): Promise<DaemonLock> {
  const first = await connect(database);
  let key: bigint;
  let schema: string;
  try {
    schema = await schemaOf(first, schemaOption);
    key = lockKey(schema);
    if (!(await tryLock(first, key))) throw new SchemaInUseError(schema, await holderOf(first, key));
  } catch (error) {
    await first.end().catch(() => undefined);
    throw error;
  }
  const released = new AbortController();
  let client = first;

  const retake = async (): Promise<void> => {
    for (let attempt = 1; !released.signal.aborted; attempt += 1) {
      let next: pg.Client | undefined;
      try {
        next = await connect(database);
        if (await tryLock(next, key)) {
          if (released.signal.aborted) {
            await next.end().catch(() => undefined);
            return;
          }
          watch(next);
          logger.info({ schema, attempt }, 'daemon lock taken again');
          return;
        }
        const holder = await holderOf(next, key);
        logger.error(
          { schema, holder: describeHolder(holder), attempt },
          'daemon lock taken by another process while ours was lost; stop one of the two daemons',
        );
      } catch (error) {
        logger.warn({ schema, err: error instanceof Error ? error.message : String(error), attempt }, 'daemon lock not taken again yet');
      }
      await next?.end().catch(() => undefined);
      await clock.sleep(RETAKE_RETRY_MS, released.signal);
    }
  };

  let retaking: Promise<void> = Promise.resolve();
  function watch(connection: pg.Client): void {
    client = connection;
    let lost = false;
    const onLost = (error?: Error): void => {
      if (lost || released.signal.aborted) return;
      lost = true;
      logger.error({ schema, err: error?.message ?? 'connection ended' }, 'daemon lock connection lost; another daemon could start on this schema until it is taken again');
      connection.end().catch(() => undefined);
      retaking = retake();
    };
    connection.on('error', onLost);
    connection.on('end', () => onLost());
  }
  watch(first);

  return {
    async release() {
      if (released.signal.aborted) return;
      released.abort();
      await retaking;
      // Ending the session frees its advisory locks.
      await client.end().catch(() => undefined);
    },
  };
}
