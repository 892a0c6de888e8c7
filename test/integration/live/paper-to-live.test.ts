// Going live as the README says: paper first, then USE_PAPER_TRADING=false on the same database. The whole daemon as
// `npm start` runs it (src/main.ts), pointed at the fake venue through its configuration.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../../src/adapters/store/open-store.js';
import { runDaemon } from '../../../src/main.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { type FakeBinance, TEST_API_KEY, TEST_SECRET } from '../../peers/binance-usdm/index.js';
import { position } from '../../support/factories.js';
import { BTC, startVenue } from './live-harness.js';

let venue: FakeBinance | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await venue?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  venue = undefined;
  dataDir = undefined;
});

const LIVE = { USE_PAPER_TRADING: 'false', BINANCE_API_KEY: TEST_API_KEY, BINANCE_SECRET_KEY: TEST_SECRET, LIVE_TRADING_ACKNOWLEDGED: 'I UNDERSTAND THE RISKS' };

/** Runs the daemon until its start-up message (then stops it) or its exit; the printed lines and the exit code. */
async function runUntilStarted(env: Record<string, string>): Promise<{ code: number; printed: string[]; errors: string[] }> {
  vi.restoreAllMocks();
  const printed: string[] = [];
  const errors: string[] = [];
  const stop = new AbortController();
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    const line = args.map(String).join(' ');
    printed.push(line);
    if (line.includes('Daemon started')) stop.abort();
  });
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(args.map(String).join(' '));
  });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const code = await runDaemon({ config: { env, dotenvPath: undefined }, installSignalHandlers: false, signal: stop.signal });
  vi.restoreAllMocks();
  return { code, printed, errors };
}

async function paperThenLive(): Promise<{ paper: Record<string, string>; live: Record<string, string> }> {
  venue = await startVenue();
  venue.setPrice('BTCUSDT', 100_000);
  dataDir = await mkdtemp(join(tmpdir(), 'ltd-switch-'));
  const common = { SYMBOLS: BTC, EXCHANGE_API_ORIGIN: venue.origin, EXCHANGE_WS_ORIGIN: venue.wsOrigin, DATA_DIR: dataDir, HTTP_PORT: '0', LOG_LEVEL: 'error' };
  const paper = { ...common, USE_PAPER_TRADING: 'true' };
  expect((await runUntilStarted(paper)).code).toBe(0);
  return { paper, live: { ...common, ...LIVE } };
}

describe('the switch from paper to live on the same database', () => {
  it('when a paper position is still open, then the live start is refused (exit 1), saying whose position it is and what to do, before any signed request', async () => {
    const { live } = await paperThenLive();
    const store = await openStore({ dataDir: join(dataDir ?? '', 'pglite'), logger: new RecordingLogger() });
    await store.positions.create(position({ symbol: BTC }));
    await store.close();
    const signedBefore = venue?.signedRequests().length;

    const { code, errors } = await runUntilStarted(live);

    expect(code).toBe(1);
    expect(errors.join('\n')).toMatch(/^Start-up failed: This database holds 1 open position \(BTC\/USDT:USDT\) of paper trading on binanceusdm.*Start it again for paper trading/m);
    expect(venue?.signedRequests().length).toBe(signedBefore);
  }, 90_000);

  it('when nothing is open, then live starts, and its start-up message says the breakers start afresh', async () => {
    const { live } = await paperThenLive();

    const { code, printed } = await runUntilStarted(live);

    expect(code).toBe(0);
    expect(printed.find((line) => line.includes('Daemon started'))).toContain('This database was last used for paper trading on binanceusdm');
  }, 90_000);
});

describe('INITIAL_CAPITAL changed between two paper starts on the same database', () => {
  it('when it is raised, then the paper wallet is given the difference and the start-up message says so', async () => {
    const { paper } = await paperThenLive();

    const { code, printed } = await runUntilStarted({ ...paper, INITIAL_CAPITAL: '1000' });

    expect(code).toBe(0);
    expect(printed.find((line) => line.includes('Daemon started'))).toMatch(/INITIAL_CAPITAL was \$100\.00 .* is \$1000\.00 now: \$900\.00 was paid into the paper wallet, which holds \$1000\.00 now/);
    const store = await openStore({ dataDir: join(dataDir ?? '', 'pglite'), logger: new RecordingLogger() });
    expect((await store.paperAccount.load())?.balance).toBe(1000);
    await store.close();
  }, 90_000);
});
