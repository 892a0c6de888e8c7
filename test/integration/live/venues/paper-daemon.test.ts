// The whole daemon in paper mode on Bybit's and Hyperliquid's market lists, as `npm start` runs it, pointed at the
// venue's stand-in: it scans the venue's candles and never sends a keyed or signed request.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runDaemon } from '../../../../src/main.js';
import { startFakeBybit } from '../../../peers/bybit/index.js';
import { startFakeHyperliquid } from '../../../peers/hyperliquid/index.js';
import type { LocalPerpVenue } from '../../../peers/perp-venue/perp-venue.js';
import { waitFor } from '../live-harness.js';

let venue: LocalPerpVenue | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await venue?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  venue = undefined;
  dataDir = undefined;
});

function capture(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  return lines;
}

const CASES = [
  { exchange: 'bybit', symbol: 'BTC/USDT:USDT', start: () => startFakeBybit(), candles: (v: LocalPerpVenue) => v.requestsTo('/v5/market/kline').map((r) => String(r.params['interval'])), keyed: (v: LocalPerpVenue) => v.requests.filter((r) => r.headers['x-bapi-api-key'] !== undefined || r.path.startsWith('/v5/order') || r.path.startsWith('/v5/position')) },
  { exchange: 'hyperliquid', symbol: 'BTC/USDC:USDC', start: () => startFakeHyperliquid(), candles: (v: LocalPerpVenue) => v.requestsTo('/info', 'candleSnapshot').map((r) => String((r.params['req'] as Record<string, unknown>)['interval'])), keyed: (v: LocalPerpVenue) => v.requests.filter((r) => r.path === '/exchange' || r.params['user'] !== undefined) },
] as const;

describe.each(CASES)('the paper daemon on $exchange', ({ exchange, symbol, start, candles, keyed }) => {
  it("when it runs in paper mode, then it scans the venue's candles for its symbol and sends no keyed or signed request", async () => {
    venue = await start();
    venue.setPrice(symbol, 100_000);
    dataDir = await mkdtemp(join(tmpdir(), 'ltd-paper-'));
    const env = {
      EXCHANGE: exchange,
      SYMBOLS: symbol,
      USE_PAPER_TRADING: 'true',
      EXCHANGE_API_ORIGIN: venue.origin,
      EXCHANGE_WS_ORIGIN: venue.origin.replace('http', 'ws'),
      DATA_DIR: dataDir,
      HTTP_PORT: '0',
      LOG_LEVEL: 'error',
      NOTIFY_SCANS: 'all',
    };
    const printed = capture();
    const stop = new AbortController();

    const running = runDaemon({ config: { env, dotenvPath: undefined }, installSignalHandlers: false, signal: stop.signal });
    try {
      // Generous bounds: the whole daemon starts on a machine shared with the rest of the suite.
      await waitFor(() => printed.some((line) => line.includes('Daemon started')), 'the started message', 60_000);
      await waitFor(() => printed.some((line) => line.includes('Scan')), 'the first scan result', 60_000);
    } finally {
      stop.abort();
    }
    const code = await running;

    expect(code).toBe(0);
    expect(printed.find((line) => line.includes('Daemon started'))).toMatch(/PAPER/i);
    const intervals = new Set(candles(venue));
    expect(intervals.size).toBeGreaterThanOrEqual(3);
    expect(keyed(venue)).toEqual([]);
  }, 150_000);
});
