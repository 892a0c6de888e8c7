// Which ccxt markets may be traded, and their spec, on each venue.
import type { MarketInterface } from 'ccxt';
import { describe, expect, it } from 'vitest';
import { checkMarket } from '../../../../../src/adapters/market-data/ccxt/market-spec.js';

function market(overrides: Partial<MarketInterface>): MarketInterface {
  return {
    id: 'BTCUSDT',
    symbol: 'BTC/USDT:USDT',
    base: 'BTC',
    quote: 'USDT',
    settle: 'USDT',
    type: 'swap',
    linear: true,
    active: true,
    precision: { amount: 0.001, price: 0.1 },
    limits: { amount: { min: 0.001 }, cost: { min: 5 }, leverage: { max: 100 } },
    info: {},
    ...overrides,
  } as MarketInterface;
}

describe('markets the daemon may trade', () => {
  it('when a linear perpetual settles in USDC, then it is accepted with its own quote for messages', () => {
    const check = checkMarket('BTC/USDC:USDC', market({ id: '0', symbol: 'BTC/USDC:USDC', quote: 'USDC', settle: 'USDC', limits: { amount: {}, cost: { min: 10 }, leverage: { max: 40 } } as MarketInterface['limits'] }), 'hyperliquid');
    expect(check).toMatchObject({ ok: true, spec: { symbol: 'BTC/USDC:USDC', quote: 'USDC', minNotional: 10, maxLeverage: 40 } });
  });

  it("when the venue is Hyperliquid, then the maintenance margin is half the initial margin at the market's maximum leverage", () => {
    const check = checkMarket('BTC/USDC:USDC', market({ symbol: 'BTC/USDC:USDC', quote: 'USDC', settle: 'USDC', limits: { amount: {}, cost: { min: 10 }, leverage: { max: 40 } } as MarketInterface['limits'] }), 'hyperliquid');
    expect(check.ok && check.spec.maintenanceMarginRate).toBe(0.0125);
    const binance = checkMarket('BTC/USDT:USDT', market({}), 'binanceusdm');
    expect(binance.ok && binance.spec.maintenanceMarginRate).toBe(0.004);
  });

  it('when a perpetual settles in another asset, then it is refused naming both dollar stablecoins', () => {
    const check = checkMarket('BTC/EUR:EUR', market({ symbol: 'BTC/EUR:EUR', quote: 'EUR', settle: 'EUR' }), 'bybit');
    expect(check).toMatchObject({ ok: false, reason: expect.stringMatching(/settles in EUR, not in USDT or USDC/) });
  });

  it('when the symbol is not listed, then the refusal shows the venue\u2019s form of a symbol', () => {
    expect(checkMarket('FOO/USDC:USDC', undefined, 'hyperliquid')).toMatchObject({ ok: false, reason: expect.stringMatching(/not listed on hyperliquid.*BTC\/USDC:USDC/) });
  });
});
