// The total exposure cap sizing a second entry into what is left, through the engine, real ccxt and the Binance
// stand-in. The refusals (cap reached, drawdown kill switch) run on every venue in venues/portfolio-limits.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { BTC, ETH, LiveProcess, startVenue, type ProcessOptions } from './live-harness.js';

let venue: FakeBinance | undefined;
const processes: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of processes.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

async function boot(store: InMemoryStore, options: ProcessOptions): Promise<LiveProcess> {
  venue ??= await startVenue();
  const proc = new LiveProcess(venue, store, options);
  processes.push(proc);
  await proc.prepare();
  return proc;
}

const TWO_POSITIONS_1_5X = { MAX_OPEN_POSITIONS: '2', MAX_TOTAL_EXPOSURE: '1.5' };

describe('the total exposure cap (real ccxt, fake venue)', () => {
  it('the first entry fills inside 1.5x capital of notional; the second is sized into what is left, at its fill', async () => {
    const store = new InMemoryStore();
    const first = await boot(store, { symbols: [BTC], env: TWO_POSITIONS_1_5X });
    venue?.setPrice('BTCUSDT', 100_000);
    venue?.setPrice('ETHUSDT', 4_000);

    expect((await first.enter()).status).toBe('opened');
    const [position] = await store.positions.active();
    const notional = (position?.entryPrice ?? 0) * (position?.quantity ?? 0);
    // Fixed sizing alone would post 80% of 1,000 USDT at 3x: 2,400 of notional. The cap leaves 1,500, at the fill.
    expect(notional).toBeLessThanOrEqual(1_500);
    expect(notional).toBeGreaterThanOrEqual(1_400);
    expect(venue?.book.openPositions().map((p) => p.amount)).toEqual([position?.quantity]);

    const second = await boot(store, { symbols: [ETH], env: TWO_POSITIONS_1_5X });
    expect((await second.enter()).status).toBe('opened');

    const positions = await store.positions.active();
    const total = positions.reduce((sum, p) => sum + p.entryPrice * p.quantity, 0);
    expect(positions.map((p) => p.symbol).sort()).toEqual([BTC, ETH]);
    expect(total).toBeLessThanOrEqual(1_500);
    expect(venue?.book.openPositions().map((p) => p.symbol).sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
  });
});
