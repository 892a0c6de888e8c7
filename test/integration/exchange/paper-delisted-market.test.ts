// A paper account on live prices (the real CcxtMarketData against the fake Binance venue) holding a market that the
// venue stops trading: settled as the venue settles it, while the rest of the account carries on.
import { afterEach, describe, expect, it } from 'vitest';
import { PaperExchange } from '../../../src/adapters/exchange/paper/paper-exchange.js';
import { CcxtMarketData } from '../../../src/adapters/market-data/ccxt/ccxt-market-data.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { type FakeBinance, startFakeBinance, venueClock } from '../../peers/binance-usdm/index.js';
import { MemoryPaperAccount } from '../../unit/adapters/exchange/paper/paper-world.js';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let venue: FakeBinance | undefined;
let marketData: CcxtMarketData | undefined;

afterEach(async () => {
  await marketData?.close();
  await venue?.close();
  venue = undefined;
  marketData = undefined;
});

describe('a paper account holding a market the venue delists', () => {
  it('when ETH stops trading, then its position is settled once at the last price known, BTC keeps its stop, and a restarted account carries on', async () => {
    venue = await startFakeBinance({ now: Date.UTC(2025, 9, 15, 12, 5) });
    const clock = venueClock(venue);
    marketData = new CcxtMarketData({ apiOrigin: venue.origin, wsOrigin: venue.wsOrigin, clock, logger: new RecordingLogger() });
    const account = new MemoryPaperAccount();
    const open = (): PaperExchange =>
      new PaperExchange({ marketData: marketData as CcxtMarketData, clock, account, logger: new RecordingLogger(), initialBalance: 1_000, takerFeeRate: 0.0005, slippageBps: 5 });
    const paper = open();
    venue.setPrice('BTCUSDT', 100_000);
    venue.setPrice('ETHUSDT', 4_000);
    await paper.setLeverage(BTC, 5, 'isolated');
    await paper.setLeverage(ETH, 5, 'isolated');
    await paper.placeEntry({ clientOrderId: 'btc-entry', symbol: BTC, side: 'long', quantity: 0.002 });
    await paper.placeEntry({ clientOrderId: 'eth-entry', symbol: ETH, side: 'long', quantity: 0.05 });
    await paper.placeProtectiveStop({ clientOrderId: 'btc-stop', symbol: BTC, positionSide: 'long', quantity: 0.002, triggerPrice: 95_000 });
    await paper.placeProtectiveStop({ clientOrderId: 'eth-stop', symbol: ETH, positionSide: 'long', quantity: 0.05, triggerPrice: 3_600 });
    // The last ETH price the account meets before the venue closes the market.
    venue.setPrice('ETHUSDT', 4_200);
    venue.advance(5 * MINUTE);
    expect((await paper.positions()).map((position) => position.symbol).sort()).toEqual([BTC, ETH]);

    venue.setSymbolStatus(ETH, 'CLOSE');
    // The market list is read again once a day; by then BTC has fallen through its stop.
    venue.advance(25 * HOUR);
    venue.setPrice('BTCUSDT', 90_000);
    const balance = await paper.balance();

    expect(await paper.positions()).toEqual([]);
    expect(await paper.openOrders()).toEqual([]);
    const btcExits = (await paper.fills(BTC, new Date(0))).filter((fill) => fill.side === 'sell');
    expect(btcExits).toHaveLength(1);
    expect(btcExits[0]?.price).toBeLessThanOrEqual(95_000);
    const ethExits = (await paper.fills(ETH, new Date(0))).filter((fill) => fill.side === 'sell');
    expect(ethExits).toHaveLength(1);
    expect(ethExits[0]).toMatchObject({ price: 4_200, quantity: 0.05, clientOrderId: expect.stringMatching(/^settlement_autoclose/) });
    expect((await paper.findOrder('eth-stop', ETH))?.status).toBe('cancelled');

    venue.advance(5 * MINUTE);
    const restarted = open();
    expect(await restarted.balance()).toEqual(balance);
    expect((await restarted.fills(ETH, new Date(0))).filter((fill) => fill.side === 'sell')).toHaveLength(1);
    const savedFills = (account.saved?.history ?? []).filter((entry) => entry.kind === 'fill').map((entry) => entry.entry as { symbol: string; side: string });
    expect(savedFills.filter((fill) => fill.symbol === ETH && fill.side === 'sell')).toHaveLength(1);
    await restarted.placeEntry({ clientOrderId: 'btc-again', symbol: BTC, side: 'short', quantity: 0.002 });
    await expect(restarted.placeEntry({ clientOrderId: 'eth-again', symbol: ETH, side: 'long', quantity: 0.05 })).rejects.toThrow(/not trading/);
  }, 60_000);
});
