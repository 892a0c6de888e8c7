// The start-up key checks of Bybit and Hyperliquid through the real ccxt client and the venues' stand-ins: a key
// that could withdraw is refused with what to do instead, and Hyperliquid takes only an API (agent) wallet's key.
import { afterEach, describe, expect, it } from 'vitest';
import { CcxtExchange } from '../../../src/adapters/exchange/ccxt/ccxt-exchange.js';
import { CcxtMarketData } from '../../../src/adapters/market-data/ccxt/ccxt-market-data.js';
import { OperationalError } from '../../../src/domain/errors.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { venueClock } from '../../peers/binance-usdm/index.js';
import { BYBIT_API_KEY, BYBIT_SECRET, type FakeBybit, startFakeBybit } from '../../peers/bybit/index.js';
import { type FakeHyperliquid, HL_ACCOUNT, HL_AGENT_KEY, HL_MAIN_KEY, startFakeHyperliquid } from '../../peers/hyperliquid/index.js';

let venue: FakeBybit | FakeHyperliquid | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await venue?.close();
  venue = undefined;
});

function exchangeFor(exchangeId: string, origin: string, apiKey: string, secret: string, clock = venueClock(venue ?? { now: () => Date.now() })): CcxtExchange {
  const logger = new RecordingLogger();
  const marketData = new CcxtMarketData({ exchangeId, apiOrigin: origin, wsOrigin: origin.replace('http', 'ws'), clock, logger });
  const exchange = new CcxtExchange({ exchangeId, apiKey, secret, apiOrigin: origin, marketData, clock, logger });
  closers.push(() => exchange.close(), () => marketData.close());
  return exchange;
}

describe('the Bybit API key check (real ccxt, local Bybit)', () => {
  it('when the key may only trade contracts from one IP, then the account is verified in USDT without warnings', async () => {
    const bybit = await startFakeBybit({ balance: 750 });
    venue = bybit;

    const check = await exchangeFor('bybit', bybit.origin, BYBIT_API_KEY, BYBIT_SECRET).verifyAccount();

    expect(check).toEqual({ balance: { total: 750, available: 750, currency: 'USDT' }, restrictionsChecked: true, warnings: [] });
    expect(bybit.requestsTo('/v5/user/query-api')).not.toHaveLength(0);
  });

  it('when the key may withdraw, then it is refused with the way to a trade-only key, and no secret is in the message', async () => {
    const bybit = await startFakeBybit();
    venue = bybit;
    bybit.dialect.keyInfo.permissions['Wallet'] = ['AccountTransfer', 'Withdraw'];

    const refusal = await exchangeFor('bybit', bybit.origin, BYBIT_API_KEY, BYBIT_SECRET).verifyAccount().catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(OperationalError);
    expect((refusal as Error).message).toMatch(/may withdraw funds.*no Wallet permissions.*IP address/);
    expect((refusal as Error).message).not.toContain(BYBIT_SECRET);
    expect((refusal as Error).message).not.toContain(BYBIT_API_KEY);
  });

  it('when the key is bound to no IP address and may transfer, then it is accepted with both warnings', async () => {
    const bybit = await startFakeBybit();
    venue = bybit;
    bybit.dialect.keyInfo.ips = ['*'];
    bybit.dialect.keyInfo.permissions['Wallet'] = ['AccountTransfer'];

    const check = await exchangeFor('bybit', bybit.origin, BYBIT_API_KEY, BYBIT_SECRET).verifyAccount();

    expect(check.warnings).toEqual([
      'the API key may transfer funds between accounts; untick the Wallet permissions',
      'the API key is not restricted to an IP address; restrict it to the server running the daemon',
    ]);
  });

  it('when the secret is wrong, then the venue refuses the signature and the error says to check the secret', async () => {
    const bybit = await startFakeBybit();
    venue = bybit;

    const refusal = await exchangeFor('bybit', bybit.origin, BYBIT_API_KEY, 'not-the-secret').verifyAccount().catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(OperationalError);
    expect((refusal as Error).message).toMatch(/signature was refused \(check the API secret\)/);
  });
});

describe('the Hyperliquid API wallet check (real ccxt, local Hyperliquid)', () => {
  it('when an authorised API wallet trades for the account, then the account is verified in USDC', async () => {
    const hl = await startFakeHyperliquid({ balance: 500 });
    venue = hl;

    const check = await exchangeFor('hyperliquid', hl.origin, HL_ACCOUNT, HL_AGENT_KEY).verifyAccount();

    expect(check.balance).toEqual({ total: 500, available: 500, currency: 'USDC' });
    expect(hl.requestsTo('/info', 'userRole').map((r) => r.params['user'])).toEqual(['0x1563915e194d8cfba1943570603f7606a3115508']);
  });

  it("when the key is the main wallet's own, then it is refused before any action is signed, and the message says why", async () => {
    const hl = await startFakeHyperliquid();
    venue = hl;

    const refusal = await exchangeFor('hyperliquid', hl.origin, HL_ACCOUNT, HL_MAIN_KEY).verifyAccount().catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(OperationalError);
    expect((refusal as Error).message).toMatch(/main wallet.*can withdraw.*API wallet/);
    expect((refusal as Error).message).not.toContain('1111111111');
    expect(hl.requestsTo('/exchange')).toEqual([]);
  });

  it('when the key belongs to no authorised API wallet, then it is refused with the way to authorise one', async () => {
    const hl = await startFakeHyperliquid();
    venue = hl;

    const refusal = await exchangeFor('hyperliquid', hl.origin, HL_ACCOUNT, '0x' + '33'.repeat(32)).verifyAccount().catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(OperationalError);
    expect((refusal as Error).message).toMatch(/does not know .* as an API wallet.*Authorise it/);
  });

  it('when the API wallet trades for another account, then it is refused', async () => {
    const hl = await startFakeHyperliquid();
    venue = hl;

    const refusal = await exchangeFor('hyperliquid', hl.origin, '0x' + 'ab'.repeat(20), HL_AGENT_KEY).verifyAccount().catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(OperationalError);
    expect((refusal as Error).message).toMatch(/trades for 0x19e7.*not for the configured account/);
  });
});
