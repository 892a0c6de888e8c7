// The paper exchange on real history: a leveraged DOGE long held into the 2025-10-10 liquidation cascade.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../../src/adapters/clock/manual-clock.js';
import { PaperExchange } from '../../../../../src/adapters/exchange/paper/paper-exchange.js';
import { loadHistory } from '../../../../../src/adapters/market-data/replay/load-history.js';
import { ReplayMarketData } from '../../../../../src/adapters/market-data/replay/replay-market-data.js';
import { RecordingLogger } from '../../../../../src/testing/silent-logger.js';
import { MemoryPaperAccount } from './paper-world.js';

const BUNDLED = fileURLToPath(new URL('../../../../../history/binance-usdm', import.meta.url));
const DOGE = 'DOGE/USDT:USDT';

describe('PaperExchange in the 2025-10-10 cascade', () => {
  it('a 10x DOGE long opened at 20:45 survives that candle, is liquidated in the 21:00 one and loses exactly its margin', async () => {
    const history = await loadHistory(BUNDLED, { symbols: [DOGE] });
    const clock = new ManualClock(new Date('2025-10-10T20:45:00Z'));
    const marketData = new ReplayMarketData(history, clock);
    const exchange = new PaperExchange({
      marketData,
      clock,
      account: new MemoryPaperAccount(),
      initialBalance: 1000,
      takerFeeRate: 0.0005,
      slippageBps: 5,
      logger: new RecordingLogger(),
    });
    await exchange.setLeverage(DOGE, 10, 'isolated');

    // Entry at the 20:45 open 0.23358 + 5 bps = 0.23369679; margin 233.69679 / 10 = 23.369679;
    // liquidation (23.369679 − 233.69679) / (1000 × (0.005 − 1)) ≈ 0.211384, under the 20:45 low of 0.21356.
    await exchange.placeEntry({ clientOrderId: 'doge-1', symbol: DOGE, side: 'long', quantity: 1000 });
    const afterEntry = (await exchange.balance()).total;
    clock.advanceTo(new Date('2025-10-10T21:00:00Z'));
    const [position] = await exchange.positions();
    clock.advanceTo(new Date('2025-10-10T21:15:00Z'));
    const afterCascade = await exchange.balance();

    expect(position?.margin).toBeCloseTo(23.369679, 8);
    expect(position?.liquidationPrice).toBeCloseTo(210.327111 / 995, 8);
    expect(await exchange.positions()).toEqual([]);
    expect(afterCascade.total).toBeCloseTo(afterEntry - 23.369679, 8);
    const fills = await exchange.fills(DOGE, new Date('2025-10-10T00:00:00Z'));
    expect(fills.map((fill) => fill.clientOrderId)).toEqual(['doge-1', expect.stringMatching(/^autoclose-/)]);
  });
});
