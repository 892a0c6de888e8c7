// What a shutdown does first. It has a short budget before the process is ended, and the venue is often slow when the
// owner restarts the daemon: the goodbye goes out before the scoring of due votes, which reads every market's candles.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { BTC, ETH, LiveProcess, startVenue } from './live-harness.js';

let venue: FakeBinance | undefined;
let proc: LiveProcess | undefined;

afterEach(async () => {
  await proc?.close();
  await venue?.close();
  proc = undefined;
  venue = undefined;
});

describe('a shutdown with votes due for scoring (real ccxt, fake venue)', () => {
  it('when it stops, then "stopped" is recorded before any candle is read to score the votes', async () => {
    venue = await startVenue();
    venue.setPrice('BTCUSDT', 100_000);
    venue.setPrice('ETHUSDT', 4_000);
    const store = new InMemoryStore();
    proc = new LiveProcess(venue, store, { symbols: [BTC, ETH] });
    await proc.prepare();
    // A scan a day ago: its votes are due for scoring now.
    await proc.parts.scanner.scan([BTC, ETH]);
    await proc.parts.decisions.flush();
    venue.advance(25 * 60 * 60_000);
    const running = proc;
    const candleReads: boolean[] = [];
    venue.onRequest((request) => {
      if (request.path === '/fapi/v1/klines') candleReads.push(running.notifier.ofType('stopped').length > 0);
    });

    await running.daemon.stop('shutdown requested');

    expect(candleReads.length).toBeGreaterThan(0);
    expect(candleReads.every((stoppedAlready) => stoppedAlready)).toBe(true);
    expect(running.notifier.ofType('stopped')).toHaveLength(1);
  });
});
