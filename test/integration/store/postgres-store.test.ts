// Against a real Postgres (DATABASE_URL). Skipped locally without the URL; in CI a missing URL or server fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { TemporaryError } from '../../../src/domain/errors.js';
import { translateDatabaseError } from '../../../src/adapters/store/sql-errors.js';
import { openStore } from '../../../src/adapters/store/open-store.js';
import type { Store } from '../../../src/ports/store.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { databaseUrl, dropSchema, eventually, required, skipWithout, uniqueName, withAdminClient } from '../../support/services.js';
import { appliedCount, registerMigrationCases } from './migration-cases.js';
import { newPosition, registerStoreContract } from './store-contract.js';

const url = databaseUrl();

describe.skipIf(skipWithout(url))('Postgres store', () => {
  const schema = uniqueName('store_test');
  const migrationSchema = uniqueName('store_migrations');
  const schemas = [schema, migrationSchema];

  beforeAll(() => {
    required(url, 'DATABASE_URL');
  });
  afterAll(async () => {
    if (url) for (const name of schemas) await dropSchema(url, name);
  });

  registerStoreContract('Postgres', {
    open: () => openStore({ databaseUrl: required(url, 'DATABASE_URL'), schema, logger: new RecordingLogger() }),
  });

  registerMigrationCases('Postgres', {
    open: ({ logger, migrationsDir }) =>
      openStore({ databaseUrl: required(url, 'DATABASE_URL'), schema: migrationSchema, logger, migrationsDir }),
  });

  describe('start-up', () => {
    it('when two processes migrate a fresh schema at once, then each file is applied exactly once', async () => {
      const fresh = uniqueName('store_race');
      schemas.push(fresh);
      const loggers = [new RecordingLogger(), new RecordingLogger()];
      const stores = await Promise.all(
        loggers.map((logger) => openStore({ databaseUrl: required(url, 'DATABASE_URL'), schema: fresh, logger })),
      );
      await Promise.all(stores.map((store) => store.close()));
      const applied = loggers.map(appliedCount).sort();
      const shipped = await withAdminClient(required(url, 'DATABASE_URL'), async (client) => {
        const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${fresh}.schema_migrations`);
        return (rows[0] as { n: number }).n;
      });
      expect(applied).toEqual([0, shipped]);
    });

    it('when the server cannot be reached, then opening fails with a temporary error', async () => {
      const unreachable = 'postgres://postgres@127.0.0.1:1/postgres';
      // The minute it waits for a server that is not up yet passes on a manual clock.
      const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
      await expect(openStore({ databaseUrl: unreachable, logger: new RecordingLogger(), clock })).rejects.toBeInstanceOf(TemporaryError);
    });
  });

  describe('errors', () => {
    it('when a statement carries more parameters than the protocol allows, then the error is not taken for an outage', async () => {
      const count = 70_000;
      const rows = Array.from({ length: count }, (_, index) => `($${index + 1}::int)`).join(', ');
      const failure = await withAdminClient(required(url, 'DATABASE_URL'), (client) =>
        client.query(`SELECT * FROM (VALUES ${rows}) AS v`, Array.from({ length: count }, (_, index) => index)).then(
          () => undefined,
          (error: unknown) => error,
        ),
      );

      expect(failure).toMatchObject({ code: '08P01' });
      expect(translateDatabaseError(failure)).not.toBeInstanceOf(TemporaryError);
    });
  });

  describe('server restarts', () => {
    const applicationName = uniqueName('store_restart');
    let store: Store;
    let logger: RecordingLogger;

    beforeAll(async () => {
      logger = new RecordingLogger();
      store = await openStore({ databaseUrl: required(url, 'DATABASE_URL'), schema, logger, applicationName });
    });
    afterAll(async () => {
      await store?.close();
    });

    /** What a restart does to this pool: the server ends every one of its connections. */
    async function terminateOurConnections(): Promise<number> {
      return withAdminClient(required(url, 'DATABASE_URL'), async (client) => {
        const { rows } = await client.query(
          'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = $1',
          [applicationName],
        );
        return rows.filter((row: { ended: boolean }) => row.ended).length;
      });
    }

    const lostConnections = (): number =>
      logger.lines.filter((line) => line.level === 'warn' && /connection lost/.test(line.message)).length;

    it('when the server ends the idle connections, then the process survives and the next calls reconnect', async () => {
      await Promise.all([store.ping(), store.positions.active(), store.outbox.backlog()]);
      const ended = await terminateOurConnections();
      expect(ended).toBeGreaterThan(0);
      await eventually(() => lostConnections() >= ended);

      await expect(store.ping()).resolves.toBeUndefined();
      const created = await store.positions.create(newPosition());
      expect((await store.positions.get(created.id))?.id).toBe(created.id);
    });

    it('when the connection dies inside a transaction, then the transaction fails as temporary and nothing of it lands', async () => {
      const input = newPosition();
      const lostBefore = lostConnections();
      const work = store.transaction(async (tx) => {
        await tx.positions.create(input);
        await terminateOurConnections();
        await eventually(() => lostConnections() > lostBefore);
        await tx.state.put('after-kill', true);
      });
      await expect(work).rejects.toBeInstanceOf(TemporaryError);
      expect((await store.positions.active()).some((position) => position.symbol === input.symbol)).toBe(false);
      expect(await store.state.get('after-kill')).toBeUndefined();
    });
  });
});
