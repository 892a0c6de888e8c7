import { afterEach, describe, expect, it } from 'vitest';
import { OperationalError, RejectedError, TemporaryError } from '../../../src/domain/errors.js';
import { CcxtExchange } from '../../../src/adapters/exchange/ccxt/ccxt-exchange.js';
import { TEST_API_KEY, TEST_SECRET, venueClock } from '../../peers/binance-usdm/index.js';
import { BTC, type Harness, startHarness } from './ccxt-harness.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('CcxtExchange failure translation (real ccxt, fake venue)', () => {
  it('when the venue answers 429 with Retry-After, then the call is a TemporaryError carrying the wait, and the next call succeeds', async () => {
    harness = await startHarness({ balance: 1_000 });
    const { venue, exchange } = harness;
    venue.failNext({ path: '/fapi/v3/account', status: 429, headers: { 'Retry-After': '3' } });

    const error = await failureOf(exchange.balance());
    const balance = await exchange.balance();

    expect(error).toBeInstanceOf(TemporaryError);
    expect((error as TemporaryError).retryAfterMs).toBe(3_000);
    expect(error.message).toMatch(/rate limited/);
    expect(balance).toEqual({ total: 1_000, available: 1_000, currency: 'USDT' });
  });

  it('when the venue is unavailable (503), then the call is a TemporaryError', async () => {
    harness = await startHarness();
    harness.venue.failNext({ path: '/fapi/v3/account', status: 503 });

    const error = await failureOf(harness.exchange.balance());

    expect(error).toBeInstanceOf(TemporaryError);
  });

  it('when the margin is insufficient (-2019) behind an overridden origin, then the entry is a RejectedError saying so', async () => {
    harness = await startHarness({ balance: 50 });
    const { venue, exchange } = harness;
    venue.setPrice('BTCUSDT', 100_000);
    await exchange.setLeverage(BTC, 5, 'isolated');

    // 0.01 BTC at 100 000 with 5× needs 200 USDT of margin; the wallet holds 50.
    const error = await failureOf(exchange.placeEntry({ clientOrderId: 'big-1', symbol: BTC, side: 'long', quantity: 0.01 }));

    expect(error).toBeInstanceOf(RejectedError);
    expect(error.message).toMatch(/insufficient margin/);
    expect(error.message).toMatch(/-2019/);
    expect(venue.requestsTo('/fapi/v1/order', 'POST')).toHaveLength(1);
  });

  it('when a reduce-only close finds no position (-2022), then it is a RejectedError', async () => {
    harness = await startHarness();
    harness.venue.setPrice('BTCUSDT', 100_000);

    const error = await failureOf(
      harness.exchange.closePosition({ clientOrderId: 'close-x', symbol: BTC, positionSide: 'long', quantity: 0.01 }),
    );

    expect(error).toBeInstanceOf(RejectedError);
    expect(error.message).toMatch(/reduce-only/);
  });

  it('when a client order id is reused (-4116), then the second entry is a RejectedError', async () => {
    harness = await startHarness();
    harness.venue.setPrice('BTCUSDT', 100_000);
    await harness.exchange.placeEntry({ clientOrderId: 'dup-1', symbol: BTC, side: 'long', quantity: 0.001 });

    const error = await failureOf(
      harness.exchange.placeEntry({ clientOrderId: 'dup-1', symbol: BTC, side: 'long', quantity: 0.001 }),
    );

    expect(error).toBeInstanceOf(RejectedError);
    expect(error.message).toMatch(/duplicate client order id/);
  });

  it('when the venue accepts an entry but the response times out, then findOrder returns the filled order', async () => {
    harness = await startHarness({}, { timeoutMs: 400 });
    const { venue, exchange } = harness;
    venue.setPrice('BTCUSDT', 100_000);
    await exchange.balance(); // warm up: markets and clock offset are loaded before the slow call
    venue.delayNext({ path: '/fapi/v1/order', method: 'POST', ms: 2_000 });

    const error = await failureOf(exchange.placeEntry({ clientOrderId: 'slow-1', symbol: BTC, side: 'long', quantity: 0.002 }));
    const found = await exchange.findOrder('slow-1', BTC);

    expect(error).toBeInstanceOf(TemporaryError);
    expect(found).toMatchObject({ clientOrderId: 'slow-1', status: 'filled', filledQuantity: 0.002, side: 'buy' });
  });

  it('when the connection drops mid-request, then the call is a TemporaryError', async () => {
    harness = await startHarness();
    harness.venue.dropConnection({ path: '/fapi/v3/account' });

    const error = await failureOf(harness.exchange.balance());

    expect(error).toBeInstanceOf(TemporaryError);
  });

  it('when the key can withdraw, then verifyAccount refuses and says which permissions to untick', async () => {
    harness = await startHarness({ restrictions: { enableWithdrawals: true } });

    const error = await failureOf(harness.exchange.verifyAccount());

    expect(error).toBeInstanceOf(OperationalError);
    expect(error.message).toMatch(/untick "Enable Withdrawals"/);
    expect(error.message).toMatch(/"Enable Reading" and "Enable Futures"/);
    expect(harness.venue.requestsTo('/sapi/v1/account/apiRestrictions')).toHaveLength(1);
  });

  it('when the key may not trade futures, then verifyAccount refuses and says to tick "Enable Futures"', async () => {
    harness = await startHarness({ restrictions: { enableFutures: false } });

    const error = await failureOf(harness.exchange.verifyAccount());

    expect(error).toBeInstanceOf(OperationalError);
    expect(error.message).toMatch(/tick "Enable Futures"/);
  });

  it('when the account is in hedge mode, then verifyAccount asks for one-way mode', async () => {
    harness = await startHarness();
    harness.venue.setHedgeMode(true);

    const error = await failureOf(harness.exchange.verifyAccount());

    expect(error).toBeInstanceOf(OperationalError);
    expect(error.message).toMatch(/One-way Mode/);
  });

  it('when the key is trade-only and IP-restricted, then verifyAccount passes with the balance and no warnings', async () => {
    harness = await startHarness({ balance: 250 });

    const check = await harness.exchange.verifyAccount();

    expect(check).toEqual({ balance: { total: 250, available: 250, currency: 'USDT' }, restrictionsChecked: true, warnings: [] });
  });

  it('when calls fail in every way, then no error message or log line contains the key, the secret or a signature', async () => {
    harness = await startHarness({}, { timeoutMs: 400 });
    const { venue, exchange, logger, marketData } = harness;
    venue.setPrice('BTCUSDT', 100_000);
    const wrongSecret = 'wrong-secret-that-must-not-leak-123';
    const wronglyKeyed = new CcxtExchange({
      apiKey: TEST_API_KEY,
      secret: wrongSecret,
      apiOrigin: venue.origin,
      marketData,
      clock: venueClock(venue),
      logger,
    });
    const messages: string[] = [];
    const collect = async (call: Promise<unknown>): Promise<void> => {
      messages.push((await failureOf(call)).message);
    };

    try {
      await collect(wronglyKeyed.balance());
      await collect(wronglyKeyed.placeEntry({ clientOrderId: 'leak-1', symbol: BTC, side: 'long', quantity: 0.01 }));
    } finally {
      await wronglyKeyed.close();
    }
    await exchange.positions(); // warm up, so the delay below hits the signed position request itself
    venue.delayNext({ path: '/fapi/v3/positionRisk', ms: 2_000 });
    await collect(exchange.positions()); // ccxt's timeout message embeds the signed URL
    venue.failNext({ path: '/fapi/v3/account', status: 429, body: { code: -1003, msg: `echo ${TEST_API_KEY}` } });
    await collect(exchange.balance());

    expect(messages[0]).toMatch(/signature was refused/);
    expect(messages[2]).toMatch(/positionRisk\?\[query omitted\]/);
    const everything = [...messages, ...logger.lines.map((line) => JSON.stringify(line))].join('\n');
    for (const secret of [wrongSecret, TEST_SECRET, TEST_API_KEY]) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/signature=[0-9a-f]{16}/);
    expect(everything).not.toMatch(/timestamp=\d+/);
  });
});
