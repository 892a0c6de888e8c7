// The private websockets of the Bybit and Hyperliquid stand-ins as ccxt's own clients read them: Bybit's login is
// checked (a wrong secret gets no order updates), and each venue's fills arrive through ccxt's watchMyTrades as well
// as its orders through watchOrders.
import type { Exchange } from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { createCcxtClient } from '../../../src/adapters/exchange/ccxt/ccxt-client.js';
import { venueProfile } from '../../../src/adapters/exchange/ccxt/venues/index.js';
import { BYBIT_API_KEY, BYBIT_SECRET, startFakeBybit } from '../../peers/bybit/index.js';
import { HL_ACCOUNT, HL_AGENT_KEY, startFakeHyperliquid } from '../../peers/hyperliquid/index.js';
import type { LocalPerpVenue } from '../../peers/perp-venue/perp-venue.js';

let venue: LocalPerpVenue | undefined;
const clients: Exchange[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await venue?.close();
  venue = undefined;
});

async function clientOf(exchangeId: 'bybit' | 'hyperliquid', origin: string, apiKey: string, secret: string): Promise<Exchange> {
  const credentials = venueProfile(exchangeId, apiKey, secret).credentials(apiKey, secret);
  const client = await createCcxtClient({ exchangeId, credentials, apiOrigin: origin, wsOrigin: origin.replace('http', 'ws') });
  clients.push(client);
  await client.loadMarkets();
  return client;
}

/** Waits until the venue's stream has received `count` subscribe requests and holds a subscribed session. */
async function subscribed(stream: LocalPerpVenue['privateStream'], count: number): Promise<void> {
  const deadline = performance.now() + 10_000;
  const subscribes = (): number => stream?.received.filter((m) => m['op'] === 'subscribe' || m['method'] === 'subscribe').length ?? 0;
  while (stream === undefined || stream.subscribedCount === 0 || subscribes() < count) {
    if (performance.now() > deadline) throw new Error('no subscription reached the stand-in');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("Bybit's private stream (real ccxt, local Bybit)", () => {
  it('when the login is signed with the wrong secret, then the watch fails and the session gets no updates', async () => {
    const bybit = await startFakeBybit();
    venue = bybit;
    const client = await clientOf('bybit', bybit.origin, BYBIT_API_KEY, 'not-the-secret');
    // ccxt would first ask the REST API whether the account is unified, and the wrong secret would fail there; told
    // so up front, the websocket login is the only signed thing left.
    Object.assign(client.options, { enableUnifiedMargin: false, enableUnifiedAccount: true });

    await expect(client.watchOrders()).rejects.toThrow(/USVC1111|auth/i);
    expect(bybit.privateStream?.subscribedCount).toBe(0);
    expect(bybit.privateStream?.received.some((m) => m['op'] === 'auth')).toBe(true);
  });

  it('when an order fills, then watchOrders and watchMyTrades both see it', async () => {
    const bybit = await startFakeBybit();
    venue = bybit;
    bybit.setPrice('BTCUSDT', 100_000);
    const client = await clientOf('bybit', bybit.origin, BYBIT_API_KEY, BYBIT_SECRET);
    const orders = client.watchOrders();
    const trades = client.watchMyTrades();
    // Both topics on one session.
    await subscribed(bybit.privateStream, 2);

    await client.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'ltd-7-entry' });

    expect((await orders).map((o) => [o.clientOrderId, o.status, o.symbol, o.filled])).toEqual([['ltd-7-entry', 'closed', 'BTC/USDT:USDT', 0.01]]);
    expect((await trades).map((t) => [t.symbol, t.side, t.amount, t.price])).toEqual([['BTC/USDT:USDT', 'buy', 0.01, 100_000]]);
  });
});

describe("Hyperliquid's stream (real ccxt, local Hyperliquid)", () => {
  it('when an order fills, then watchOrders and watchMyTrades both see it', async () => {
    const hl = await startFakeHyperliquid();
    venue = hl;
    hl.setPrice('BTC', 100_000);
    const client = await clientOf('hyperliquid', hl.origin, HL_ACCOUNT, HL_AGENT_KEY);
    const orders = client.watchOrders();
    const trades = client.watchMyTrades();
    await subscribed(hl.privateStream, 2);

    await client.createOrder('BTC/USDC:USDC', 'market', 'buy', 0.01, 100_000);

    expect((await orders).map((o) => [o.status, o.symbol, o.amount])).toEqual([['closed', 'BTC/USDC:USDC', 0.01]]);
    expect((await trades).map((t) => [t.symbol, t.side, t.amount, t.price])).toEqual([['BTC/USDC:USDC', 'buy', 0.01, 100_000]]);
  });
});
