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

describe("Hyperliquid's price step (5 significant figures, whole numbers always allowed)", () => {
  const hyperliquid = (markPx: string | undefined, price: number) =>
    checkMarket('ETH/USDC:USDC', market({ symbol: 'ETH/USDC:USDC', quote: 'USDC', settle: 'USDC', precision: { amount: 0.0001, price }, info: markPx === undefined ? {} : { markPx } }), 'hyperliquid');
  const tick = (check: ReturnType<typeof checkMarket>) => (check.ok ? check.spec.tickSize : undefined);

  it('when the market was loaded just below a power of ten, then the tick is the step above it, so a stop 10% away is a price the venue takes', () => {
    expect(tick(hyperliquid('9901.3', 0.1))).toBe(1);
    expect(tick(hyperliquid('0.6123', 0.00001))).toBe(0.0001);
  });

  it('when twice the loaded price stays within its power of ten, then the listed step stands', () => {
    expect(tick(hyperliquid('2500.5', 0.1))).toBe(0.1);
    expect(tick(hyperliquid('0.4123', 0.00001))).toBe(0.00001);
  });

  it('when prices are whole numbers already, or the list has no price, then the tick is the listed step, or ten times it up to a whole unit', () => {
    expect(tick(hyperliquid('103000', 1))).toBe(1);
    expect(tick(hyperliquid(undefined, 0.1))).toBe(1);
    expect(tick(hyperliquid(undefined, 0.001))).toBe(0.01);
  });

  it('when the venue is not Hyperliquid, then the listed tick stands whatever the price', () => {
    expect(tick(checkMarket('BTC/USDT:USDT', market({ info: { markPx: '9901.3' } }), 'binanceusdm'))).toBe(0.1);
  });
});
