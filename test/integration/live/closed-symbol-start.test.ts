// The whole daemon (src/main.ts) started with a configured market the venue has closed (delisted, settling or
// suspended): a warning and a start without it, where a symbol the configuration got wrong still stops the start.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runDaemon } from '../../../src/main.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { BTC, ETH, startVenue, waitFor } from './live-harness.js';

let venue: FakeBinance | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await venue?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  venue = undefined;
  dataDir = undefined;
});

/** What the daemon prints through `print`, its JSON log lines on stdout kept out of the report. */
function capture(print: 'log' | 'error'): string[] {
  const lines: string[] = [];
  vi.spyOn(console, print).mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  return lines;
}

async function paperEnvironment(venue: FakeBinance, symbols: string): Promise<Record<string, string>> {
  dataDir = await mkdtemp(join(tmpdir(), 'ltd-closed-symbol-'));
  return {
    SYMBOLS: symbols,
    USE_PAPER_TRADING: 'true',
    EXCHANGE_API_ORIGIN: venue.origin,
    EXCHANGE_WS_ORIGIN: venue.wsOrigin,
    DATA_DIR: dataDir,
    HTTP_PORT: '0',
    LOG_LEVEL: 'error',
  };
}

describe('runDaemon with a configured market the venue does not trade', () => {
  it('when ETH is closed on the venue, then the daemon starts, scans BTC only and its start-up message warns that ETH is left out', async () => {
    venue = await startVenue();
    venue.setSymbolStatus(ETH, 'CLOSE');
    const env = await paperEnvironment(venue, `${BTC},${ETH}`);
    const printed = capture('log');
    const errors = capture('error');
    const stop = new AbortController();

    const running = runDaemon({ config: { env, dotenvPath: undefined }, installSignalHandlers: false, signal: stop.signal });
    try {
      await waitFor(() => printed.some((line) => line.includes('Daemon started')) || errors.length > 0, 'the started message', 60_000);
    } finally {
      stop.abort();
    }

    expect(await running).toBe(0);
    const started = printed.find((line) => line.includes('Daemon started'));
    expect(started).toContain(`${ETH} is not trading on binanceusdm (delisted or suspended): left out of the scans`);
    expect(venue.requestsTo('/fapi/v1/klines').map((request) => request.params['symbol'])).not.toContain('ETHUSDT');
  }, 90_000);

  it('when a configured symbol is not listed at all, then the start still stops (exit 1) naming it', async () => {
    venue = await startVenue();
    venue.setSymbolStatus(ETH, 'CLOSE');
    const env = await paperEnvironment(venue, `${BTC},${ETH},FOO/USDT:USDT`);
    const errors = capture('error');
    capture('log');

    const code = await runDaemon({ config: { env, dotenvPath: undefined }, installSignalHandlers: false });

    expect(code).toBe(1);
    const message = errors.join('\n');
    expect(message).toMatch(/SYMBOLS has symbols the exchange cannot trade:\n\s+- FOO\/USDT:USDT: .*not listed on binanceusdm/);
    expect(message).not.toContain(ETH);
  }, 90_000);
});
