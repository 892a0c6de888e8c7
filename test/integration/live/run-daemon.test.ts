// The whole daemon as `npm start` runs it (src/main.ts), pointed at the fake venue through its configuration.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runDaemon } from '../../../src/main.js';
import { type FakeBinance, TEST_API_KEY, TEST_SECRET } from '../../peers/binance-usdm/index.js';
import { BTC, startVenue, waitFor } from './live-harness.js';

let venue: FakeBinance | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await venue?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  venue = undefined;
  dataDir = undefined;
});

/** The configuration of a daemon trading BTC on the fake venue, with its database in a fresh folder. */
async function environment(venue: FakeBinance, overrides: Record<string, string>): Promise<Record<string, string>> {
  dataDir = await mkdtemp(join(tmpdir(), 'ltd-live-'));
  return {
    SYMBOLS: BTC,
    EXCHANGE_API_ORIGIN: venue.origin,
    EXCHANGE_WS_ORIGIN: venue.wsOrigin,
    DATA_DIR: dataDir,
    HTTP_PORT: '0',
    LOG_LEVEL: 'error',
    ...overrides,
  };
}

/** What the daemon prints through `print` (console.error for start-up failures, console.log for notifications). */
function capture(print: 'log' | 'error'): string[] {
  const lines: string[] = [];
  vi.spyOn(console, print).mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  return lines;
}

describe('runDaemon against the fake venue', () => {
  it('when the live API key may withdraw, then the daemon refuses to start (exit 1) and says to create a key without it', async () => {
    venue = await startVenue({ restrictions: { enableWithdrawals: true } });
    const env = await environment(venue, { USE_PAPER_TRADING: 'false', BINANCE_API_KEY: TEST_API_KEY, BINANCE_SECRET_KEY: TEST_SECRET });
    const errors = capture('error');

    const code = await runDaemon({ config: { env, dotenvPath: undefined }, installSignalHandlers: false });

    expect(code).toBe(1);
    const message = errors.join('\n');
    expect(message).toMatch(/^Start-up failed: .*allowed to withdraw funds/m);
    expect(message).toMatch(/Create a new API key/);
    expect(message).toMatch(/untick "Enable Withdrawals"/);
    expect(message).not.toContain(TEST_SECRET);
    expect(venue.requestsTo('/sapi/v1/account/apiRestrictions')).toHaveLength(1);
    expect(venue.signedRequests().filter((r) => r.method !== 'GET')).toEqual([]);
  }, 60_000);

  it('when it runs in paper mode, then it scans the venue\'s market data and never sends one signed or keyed request', async () => {
    venue = await startVenue();
    venue.setPrice('BTCUSDT', 100_000);
    const env = await environment(venue, { USE_PAPER_TRADING: 'true', NOTIFY_SCANS: 'all' });
    const printed = capture('log');
    const stop = new AbortController();

    const running = runDaemon({ config: { env, dotenvPath: undefined }, installSignalHandlers: false, signal: stop.signal });
    try {
      await waitFor(() => printed.some((line) => line.includes('Daemon started')), 'the started message', 30_000);
      await waitFor(() => printed.some((line) => line.includes('Scan')), 'the first scan result', 30_000);
    } finally {
      stop.abort();
    }
    const code = await running;

    expect(code).toBe(0);
    expect(printed.find((line) => line.includes('Daemon started'))).toMatch(/PAPER/i);
    for (const timeframe of ['15m', '1h', '4h']) {
      expect(venue.requestsTo('/fapi/v1/klines').some((r) => r.params['interval'] === timeframe)).toBe(true);
    }
    expect(venue.signedRequests()).toEqual([]);
  }, 90_000);
});
