// Against a real Postgres (DATABASE_URL): one daemon per schema, as PGlite's lock file gives one per data directory.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/adapters/store/open-store.js';
import { SchemaInUseError } from '../../../src/adapters/store/pg-daemon-lock.js';
import type { Store } from '../../../src/ports/store.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { databaseUrl, dropSchema, eventually, required, skipWithout, uniqueName, withAdminClient } from '../../support/services.js';

const url = databaseUrl();

describe.skipIf(skipWithout(url))('Postgres daemon lock', () => {
  const schemas: string[] = [];
  const open: Store[] = [];

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });
  afterAll(async () => {
    if (url) for (const name of schemas) await dropSchema(url, name);
  });

  function freshSchema(): string {
    const schema = uniqueName('daemon_lock');
    schemas.push(schema);
    return schema;
  }

  async function daemon(schema: string, applicationName = uniqueName('daemon')): Promise<Store> {
    const store = await openStore({ databaseUrl: required(url, 'DATABASE_URL'), schema, logger: new RecordingLogger(), applicationName, exclusive: 'daemon' });
    open.push(store);
    return store;
  }

  it('when a daemon has a schema open, then a second daemon on it fails naming the first', async () => {
    const schema = freshSchema();
    await daemon(schema, 'first_daemon');

    const second = daemon(schema);

    await expect(second).rejects.toBeInstanceOf(SchemaInUseError);
    await expect(second).rejects.toThrow(/schema daemon_lock_\w+ .*application_name first_daemon, from [^,]+, connected since \d{4}-/);
  });

  it('when the first daemon closes its store, then the next daemon opens', async () => {
    const schema = freshSchema();
    const first = await daemon(schema);
    await first.close();
    open.splice(open.indexOf(first), 1);

    await expect(daemon(schema)).resolves.toBeDefined();
  });

  it('when daemons use different schemas of one database, then both open', async () => {
    await daemon(freshSchema());

    await expect(daemon(freshSchema())).resolves.toBeDefined();
  });

  it('when a daemon has a schema open, then a store opened without the lock (a sweep) still opens', async () => {
    const schema = freshSchema();
    await daemon(schema);

    const sweep = await openStore({ databaseUrl: required(url, 'DATABASE_URL'), schema, logger: new RecordingLogger() });
    open.push(sweep);

    await expect(sweep.ping()).resolves.toBeUndefined();
  });

  it("when the lock's connection is ended by the server, then the daemon takes the lock again", async () => {
    const schema = freshSchema();
    const applicationName = uniqueName('daemon_restarted');
    await daemon(schema, applicationName);
    const lockSessions = (): Promise<number[]> =>
      withAdminClient(required(url, 'DATABASE_URL'), async (client) => {
        const { rows } = await client.query<{ pid: number }>(
          `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = $1`,
          [applicationName],
        );
        return rows.map((row) => row.pid);
      });
    const [holder] = await lockSessions();

    await withAdminClient(required(url, 'DATABASE_URL'), (client) => client.query('SELECT pg_terminate_backend($1)', [holder]));
    await eventually(async () => {
      const now = await lockSessions();
      return now.length === 1 && now[0] !== holder;
    });

    await expect(daemon(schema)).rejects.toBeInstanceOf(SchemaInUseError);
  });
});
