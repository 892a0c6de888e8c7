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
