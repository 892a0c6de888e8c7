// The owner's login suggests the setup wizard only while there is no configuration file and the wizard could make
// one: a container started without the file (docker run --env-file) runs on its environment, not on defaults.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { startHttpServer } from '../../../src/adapters/http/index.js';
import type { SqlStore } from '../../../src/adapters/store/sql-store.js';
import { composeDashboard } from '../../../src/cli/compose-dashboard.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { FakeOwnerControl } from '../notifier/fake-owner-control.js';
import { Client, OWNER, openTestStore } from './dashboard-harness.js';

describe('the setup wizard suggested at login', () => {
  let store: SqlStore;
  const closers: (() => Promise<unknown> | unknown)[] = [];

  beforeAll(async () => {
    store = await openTestStore();
  });
  afterAll(async () => {
    await store.close();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function ownerLoginWith(configFile: string): Promise<{ setupSuggested: boolean }> {
    const dataDir = await mkdtemp(join(tmpdir(), 'setup-banner-'));
    closers.push(() => rm(dataDir, { recursive: true, force: true }));
    const config = loadConfig({ env: { DASHBOARD_PASSWORD: OWNER, DATA_DIR: dataDir } });
    const clock = new ManualClock(new Date('2025-10-10T21:25:00Z'));
    const logger = new RecordingLogger();
    const dashboard = await composeDashboard(config, {
      control: new FakeOwnerControl(),
      reads: store.dashboard,
      store,
      marketData: { candles: async () => [] },
      clock,
      logger,
      configFile,
    });
    if (!dashboard) throw new Error('the dashboard is enabled by default');
    closers.push(() => dashboard.close());
    const server = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      health: { check: async () => ({ loop: { ok: true, detail: 'fine' } }) },
      metrics: { contentType: 'text/plain', render: async () => '' },
      logger,
      fallback: dashboard.handler,
    });
    closers.push(() => server.close());
    const response = await new Client(`http://127.0.0.1:${server.port}`).login(OWNER);
    return (await response.json()) as { setupSuggested: boolean };
  }

  it('when there is no configuration file where it could not be made, then it is not suggested; where it could, it is', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'setup-banner-config-'));
    closers.push(() => rm(folder, { recursive: true, force: true }));
    // A folder that cannot take the file (its name too long for the file made beside it), as a read-only /app cannot.
    const unmakeable = join(folder, `${'x'.repeat(230)}.env`);

    expect((await ownerLoginWith(unmakeable)).setupSuggested).toBe(false);
    expect((await ownerLoginWith(join(folder, '.env'))).setupSuggested).toBe(true);
  });
});
