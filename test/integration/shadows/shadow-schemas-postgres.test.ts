// Shadow strategies on a real Postgres (DATABASE_URL), as the daemon runs them when DATABASE_URL is set: each variant
// in a schema of its own (shadow_<name>) beside the main account's, migrated on first start, holding only its own
// records, and found again by a restart. A throwaway database per run, so the fixed schema names of the shadows
// cannot meet another run's on the shared server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { InProcessCache } from '../../../src/adapters/cache/in-process-cache.js';
import { ReplayMarketData } from '../../../src/adapters/market-data/replay/index.js';
import { openStore } from '../../../src/adapters/store/open-store.js';
import { composeShadows, shadowSchema } from '../../../src/cli/compose-shadows.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { shadowStart } from '../../../src/engine/shadow-leaderboard.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { databaseUrl, required, skipWithout, uniqueName, withAdminClient } from '../../support/services.js';
import { bundledHistory } from '../../support/engine-fixture.js';
import { newPosition } from '../store/contract-fixtures.js';

const url = databaseUrl();
const SHADOWS = [
  { name: 'half', settings: { POSITION_SIZE_PERCENT: 0.4 } },
  { name: 'picky', settings: { MIN_AI_CONFIDENCE: 0.9 } },
];

describe.skipIf(skipWithout(url))('shadow strategies on Postgres', () => {
  const database = uniqueName('shadow_db');
  let shadowUrl: string;

  beforeAll(async () => {
    const admin = required(url, 'DATABASE_URL');
    await withAdminClient(admin, (client) => client.query(`CREATE DATABASE ${database}`));
    const parsed = new URL(admin);
    parsed.pathname = `/${database}`;
    shadowUrl = parsed.toString();
  });

  afterAll(async () => {
    if (url) await withAdminClient(url, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  });

  async function startFleet(clock: ManualClock, logger: RecordingLogger, shadows: readonly object[] = SHADOWS) {
    const config = loadConfig({ env: { DATABASE_URL: shadowUrl, SHADOW_STRATEGIES: JSON.stringify(shadows) } });
    const cleanups: (() => Promise<void> | void)[] = [];
    const marketData = new ReplayMarketData(await bundledHistory(), clock);
    const fleet = await composeShadows(config, { marketData, clock, cache: new InProcessCache(clock), inFlight: new Map(), logger }, cleanups);
    await fleet.start();
    return {
      fleet,
      async close() {
        await fleet.stop('test over');
        for (const cleanup of cleanups.reverse()) await cleanup();
      },
    };
  }

  const schemaTables = (schema: string) =>
    withAdminClient(shadowUrl, async (client) => {
      const { rows } = await client.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema]);
      return rows.map((row) => row.table_name);
    });

  it('when shadows start on Postgres, then each gets its own migrated schema and its own records, and a restart finds its start again', async () => {
    const clock = new ManualClock(new Date('2025-09-20T12:00:00Z'));
    const logger = new RecordingLogger();
    let tablesAtFirstStart: string[] = [];
    const first = await startFleet(clock, logger);
    try {
      expect(first.fleet.accounts.map((account) => account.name)).toEqual(['half', 'picky']);
      expect(shadowSchema('half')).toBe('shadow_half');
      // Each schema holds the whole migrated schema, as the main account's does.
      const half = await schemaTables('shadow_half');
      expect(half).toEqual(expect.arrayContaining(['positions', 'trades', 'ai_decisions', 'paper_account', 'trading_state', 'schema_migrations']));
      expect(await schemaTables('shadow_picky')).toEqual(half);
      tablesAtFirstStart = half;
      // The start of the comparison window is in each shadow's own schema.
      for (const account of first.fleet.accounts) expect(await shadowStart(account.store)).toEqual(new Date('2025-09-20T12:00:00Z'));
    } finally {
      await first.close();
    }

    // A restart a day later: the same schemas and tables, the first start kept; and each keeps its own records.
    clock.advanceTo(new Date('2025-09-21T12:00:00Z'));
    const second = await startFleet(clock, logger);
    try {
      for (const account of second.fleet.accounts) expect(await shadowStart(account.store)).toEqual(new Date('2025-09-20T12:00:00Z'));
      expect(await schemaTables('shadow_half')).toEqual(tablesAtFirstStart);
      // A position of 'half' is in shadow_half only: not in 'picky', not in the main account's schema.
      const [halfAccount, pickyAccount] = second.fleet.accounts;
      await halfAccount?.store.positions.create(newPosition());
      expect(await halfAccount?.store.positions.active()).toHaveLength(1);
      expect(await pickyAccount?.store.positions.active()).toHaveLength(0);
      const counts = await withAdminClient(shadowUrl, async (client) => {
        const count = async (schema: string) => (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.positions`)).rows[0]?.n;
        return { half: await count('shadow_half'), picky: await count('shadow_picky') };
      });
      expect(counts).toEqual({ half: 1, picky: 0 });
      const main = await openStore({ databaseUrl: shadowUrl, logger });
      try {
        expect(await main.positions.active()).toHaveLength(0);
        expect(await shadowStart(main)).toBeUndefined();
      } finally {
        await main.close();
      }
    } finally {
      await second.close();
    }
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([]);
  }, 120_000);

  it('when one variant names a calendar file that cannot be read, then that shadow does not trade and says why, and the others run', async () => {
    const clock = new ManualClock(new Date('2025-09-22T12:00:00Z'));
    const logger = new RecordingLogger();
    const fleet = await startFleet(clock, logger, [{ name: 'typo', settings: { CALENDAR_FILE: '/no/such/events.csv' } }, ...SHADOWS]);
    try {
      // In the order SHADOW_STRATEGIES lists them.
      expect(fleet.fleet.accounts.map((account) => [account.name, account.problem?.()])).toEqual([
        ['typo', 'could not start; see the log'],
        ['half', undefined],
        ['picky', undefined],
      ]);
      const errors = logger.lines.filter((line) => line.level === 'error');
      expect(errors).toHaveLength(1);
      expect(JSON.stringify(errors[0])).toMatch(/typo.*could not start|could not start.*typo/);
    } finally {
      await fleet.close();
    }
  }, 120_000);
});
