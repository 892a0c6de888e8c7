// A shadow is a paper experiment: a database it cannot open (a schema its role may not create, a damaged folder)
// leaves that variant out, with the reason on /shadows, and never stops the daemon or the main account.
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { InProcessCache } from '../../../src/adapters/cache/in-process-cache.js';
import { ReplayMarketData } from '../../../src/adapters/market-data/replay/index.js';
import { composeShadows } from '../../../src/cli/compose-shadows.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { bundledHistory } from '../../support/engine-fixture.js';
import { tempTree } from '../../support/temp-tree.js';
import { position } from '../../support/factories.js';
import { freshAccount, serializeAccount } from '../../../src/adapters/exchange/paper/paper-account.js';

describe('a shadow whose database cannot be opened', () => {
  it('when its folder is damaged, then the fleet is composed without it, it says why, and the fleet still starts and stops', async () => {
    const dataDir = await tempTree('shadow-store-', {});
    await mkdir(join(dataDir, 'shadows'), { recursive: true });
    // Where its embedded database should be, a file: the store cannot be opened there.
    await writeFile(join(dataDir, 'shadows', 'broken'), 'not a database');
    const clock = new ManualClock(new Date('2025-09-20T12:00:00Z'));
    const logger = new RecordingLogger();
    const config = loadConfig({ env: { DATA_DIR: dataDir, SHADOW_STRATEGIES: JSON.stringify([{ name: 'broken', settings: { MIN_AI_CONFIDENCE: 0.9 } }]) } });
    const cleanups: (() => Promise<void> | void)[] = [];

    const fleet = await composeShadows(config, { marketData: new ReplayMarketData(await bundledHistory(), clock), clock, cache: new InProcessCache(clock), inFlight: new Map(), logger }, cleanups);
    await fleet.start();
    await fleet.stop('test over');
    for (const cleanup of cleanups.reverse()) await cleanup();

    expect(fleet.accounts.map((account) => [account.name, account.problem?.()])).toEqual([['broken', 'could not open its database; see the log']]);
    expect(await fleet.accounts[0]?.store.trades.count()).toBe(0);
    expect(logger.lines.filter((line) => line.level === 'error').map((line) => line.message)).toEqual(['shadow strategy could not open its database; the main account is not affected']);
  });
});

describe('a shadow whose inherited INITIAL_CAPITAL is lowered while it holds a position', () => {
  it('when the daemon starts, then the shadow is composed and keeps its paper account as it was, saying why, rather than being left out', async () => {
    const dataDir = await tempTree('shadow-capital-', {});
    const clock = new ManualClock(new Date('2025-09-20T12:00:00Z'));
    const shadows = JSON.stringify([{ name: 'picky', settings: { MIN_AI_CONFIDENCE: 0.9 } }]);
    const compose = async (initialCapital: string, logger: RecordingLogger, cleanups: (() => Promise<void> | void)[]) =>
      composeShadows(
        loadConfig({ env: { DATA_DIR: dataDir, INITIAL_CAPITAL: initialCapital, SHADOW_STRATEGIES: shadows } }),
        { marketData: new ReplayMarketData(await bundledHistory(), clock), clock, cache: new InProcessCache(clock), inFlight: new Map(), logger },
        cleanups,
      );
    const firstCleanups: (() => Promise<void> | void)[] = [];
    const first = await compose('1000', new RecordingLogger(), firstCleanups);
    const store = first.accounts[0]?.store;
    await store?.paperAccount.save(1000, serializeAccount(freshAccount(1000)), []);
    await store?.positions.create(position({ symbol: 'BTC/USDT:USDT' }));
    for (const cleanup of firstCleanups.reverse()) await cleanup();

    const logger = new RecordingLogger();
    const cleanups: (() => Promise<void> | void)[] = [];
    const fleet = await compose('500', logger, cleanups);
    const wallet = (await fleet.accounts[0]?.store.paperAccount.load())?.balance;
    for (const cleanup of cleanups.reverse()) await cleanup();

    expect(fleet.accounts.map((account) => [account.name, account.problem?.()])).toEqual([['picky', undefined]]);
    expect(wallet).toBe(1000);
    expect(logger.lines.map((line) => line.message).join('\n')).toMatch(/waits until its open position \(BTC\/USDT:USDT\) is closed.*keeps trading on its paper account as it was/);
  }, 60_000);
});
