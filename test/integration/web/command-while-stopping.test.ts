// The dashboard's command endpoints over the real engine and the embedded SQL store, as the daemon runs them: a
// command the loop no longer takes (it is shutting down) gets that answer, as on Telegram, not "internal error".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { startHttpServer, type RunningHttpServer } from '../../../src/adapters/http/index.js';
import type { SqlStore } from '../../../src/adapters/store/sql-store.js';
import { hashPassword } from '../../../src/adapters/web/auth/password-hash.js';
import { createDashboard } from '../../../src/adapters/web/index.js';
import { buildEngine, type Engine } from '../../../src/engine/build-engine.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';
import { Client, OWNER, openTestStore } from './dashboard-harness.js';

let store: SqlStore;
let engine: Engine;
let server: RunningHttpServer;
let origin: string;

beforeAll(async () => {
  store = await openTestStore();
  const fixture = await engineFixture({ start: new Date('2025-09-20T12:00:00Z'), analysts: [new ScriptedAnalyst('a', () => ({ action: 'hold' }))] });
  engine = buildEngine({ ...fixture.ctx, store }, { orphanPolicy: 'adopt', settingsView: {} });
  const dashboard = createDashboard({
    data: {
      control: engine.control,
      reads: store.dashboard,
      store,
      marketData: { candles: async () => [] },
      clock: fixture.clock,
      limits: { maxLeverage: 5, positionSizePct: 0.8, maxLossAtStopPct: 0.2, dailyLossLimitPct: 0.1, maxConsecutiveLosses: 3, maxOpenPositions: 1 },
      scanIntervalMs: 300_000,
      secrets: [],
    },
    credentials: { owner: await hashPassword(OWNER) },
    sessionHours: 12,
    secrets: [OWNER],
    clock: new ManualClock(new Date('2025-09-20T12:00:00Z')),
    logger: new RecordingLogger(),
    version: 'test',
  });
  server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    health: { check: async () => ({ loop: { ok: true, detail: 'fine' } }) },
    metrics: { contentType: 'text/plain', render: async () => '' },
    logger: new RecordingLogger(),
    fallback: dashboard.handler,
  });
  origin = `http://127.0.0.1:${server.port}`;
}, 60_000);

afterAll(async () => {
  await server?.close();
  await store?.close();
});

describe('a command sent while the daemon shuts down', () => {
  it('when the owner pauses from the dashboard after the loop stopped taking commands, then the answer says so (as Telegram does), not "internal error"', async () => {
    const client = new Client(origin);
    expect((await client.login(OWNER)).status).toBe(200);
    // What TradingDaemon.stop does once it has carried out the waiting commands.
    engine.daemon.parts.commands.close();

    const answer = await client.post('/api/control/pause');
    const body = (await answer.json()) as { error?: string };

    expect(answer.status).toBe(503);
    expect(body.error).toBe('the daemon is shutting down; the command was not carried out');
  });
});
