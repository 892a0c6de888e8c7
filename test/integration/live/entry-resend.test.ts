// An entry whose first send is lost in flight is looked up, found missing and sent again under the same client id. A
// client id is unique only among open orders on Binance, and an immediate-or-cancel entry is never open: the first
// send may still reach the matching engine after the look-up, and fill. Whatever then happens to the resend, every
// unit the venue holds ends up under a stop at the next check, which the loop runs at once.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { LiveProcess, startVenue } from './live-harness.js';

let venue: FakeBinance | undefined;
let proc: LiveProcess | undefined;

afterEach(async () => {
  await proc?.close();
  await venue?.close();
  proc = undefined;
  venue = undefined;
});

async function boot(balance: number): Promise<{ v: FakeBinance; p: LiveProcess; store: InMemoryStore }> {
  venue = await startVenue({ balance });
  const store = new InMemoryStore();
  proc = new LiveProcess(venue, store);
  await proc.prepare();
  venue.setPrice('BTCUSDT', 100_000);
  return { v: venue, p: proc, store };
}

/** The first entry request is dropped, then reaches the matching engine just as the resend arrives. */
function firstSendArrivesLate(v: FakeBinance): void {
  let first: Record<string, string> | undefined;
  let delivered = false;
  v.onRequest((request) => {
    if (request.method !== 'POST' || request.path !== '/fapi/v1/order' || request.params['newClientOrderId'] !== 'ltd-1-entry') return undefined;
    if (!first) {
      first = { ...request.params };
      return 'drop';
    }
    if (!delivered) {
      delivered = true;
      const params = { symbol: 'BTCUSDT', side: 'BUY' as const, quantity: Number(first['quantity']), reduceOnly: false, clientOrderId: 'ltd-1-entry' };
      v.book.placeLimitIocOrder({ ...params, price: Number(first['price']), timeInForce: 'IOC' }, v.now());
    }
    return undefined;
  });
}

const coverage = (v: FakeBinance) => ({
  held: v.book.openPositions().reduce((sum, p) => sum + p.amount, 0),
  stopped: v.book.algoOrders.filter((a) => a.algoStatus === 'NEW').reduce((sum, a) => sum + a.quantity, 0),
});

describe('an entry resent after its first send was lost', () => {
  it.each([
    ['the resend is refused (the late first fill took the margin)', 1_000],
    ['the resend fills as well', 5_000],
  ])('when the first send fills late and %s, then the position stays opening and the next check puts all of it under a stop', async (_case, balance) => {
    const { v, p, store } = await boot(balance);
    firstSendArrivesLate(v);

    const outcome = await p.enter();

    expect(outcome).toMatchObject({ status: 'failed', unresolved: true });
    expect((await store.positions.get('1'))?.status).toBe('opening');
    await p.parts.monitor.check(await store.positions.active());
    const { held, stopped } = coverage(v);
    expect(held).toBeGreaterThan(0);
    expect(stopped).toBeCloseTo(held, 9);
    expect((await store.positions.get('1'))?.status).toBe('open');
  });
});
