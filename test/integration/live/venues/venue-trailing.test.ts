// The trailing stop on the venue, on every venue the daemon trades on, through the engine's position check, the real
// ccxt client of the venue and its local stand-in: no move before the activation profit, then the exchange stop
// follows the best price by replace-then-cancel, at most once per interval, and a request-by-request audit of the
// venue's book shows the position never without a stop.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../../src/testing/in-memory-store.js';
import { LiveProcess } from '../live-harness.js';
import { auditProtection } from '../protection-audit.js';
import { VENUES, type VenueId, type VenueUnderTest, startVenueUnderTest } from './venues.js';

let venue: VenueUnderTest | undefined;
let proc: LiveProcess | undefined;
let restarted: LiveProcess | undefined;

afterEach(async () => {
  await proc?.close();
  await restarted?.close();
  await venue?.close();
  proc = undefined;
  restarted = undefined;
  venue = undefined;
});

// A minimum profit of $100 keeps the daemon's own take-profit rules (2x the minimum, or 2% beyond its price) away
// from the prices the trail works at; the long (about 0.024 BTC on each venue) books $100 near 104,300.
const TRAILING = {
  MIN_PROFIT_USD: '100',
  TRAILING_STOP_PERCENT: '0.01',
  TRAILING_ACTIVATION_PERCENT: '0.01',
  TRAILING_MIN_INTERVAL_SECONDS: '60',
  TAKE_PROFIT_ON_EXCHANGE: 'false',
};

const stops = (venue: VenueUnderTest): string[] =>
  venue
    .stops()
    .filter((stop) => stop.status === 'NEW')
    .map((stop) => `${stop.clientId}@${stop.triggerPrice}`);

async function opened(id: VenueId, env: Record<string, string> = {}): Promise<{ venue: VenueUnderTest; proc: LiveProcess; store: InMemoryStore }> {
  venue = await startVenueUnderTest(id);
  const store = new InMemoryStore();
  proc = new LiveProcess(venue.target, store, { target: venue.target, symbols: [venue.btc], env: { ...TRAILING, ...env } });
  await proc.prepare();
  venue.setPrice(100_000);
  expect((await proc.enter()).status).toBe('opened');
  return { venue, proc, store };
}

describe.each(VENUES)('the trailing stop on %s (real ccxt, local stand-in)', (id) => {
  it('when the price rises past the activation, then the exchange stop follows it, at most once a minute, and never leaves the position unprotected', async () => {
    const { venue, proc, store } = await opened(id);
    const [open] = await store.positions.active();
    const audit = auditProtection(venue);
    const first = `ltd-1-stop@${open!.stopPrice}`;

    // In profit, but below the 1% activation: the original stop stays.
    venue.advance(61_000);
    venue.setPrice(100_800);
    await proc.parts.monitor.check(await store.positions.active());
    expect(stops(venue)).toEqual([first]);

    // Activated, but the trail (102,960) would book less than the minimum profit: a discretionary close in the
    // protected band, so the stop stays.
    venue.advance(61_000);
    venue.setPrice(104_000);
    await proc.parts.monitor.check(await store.positions.active());
    expect(stops(venue)).toEqual([first]);

    venue.advance(61_000);
    venue.setPrice(105_600);
    await proc.parts.monitor.check(await store.positions.active());
    expect(stops(venue)).toEqual(['ltd-1-stop.1@104544']);
    expect(await store.positions.get(open!.id)).toMatchObject({ stopPrice: 104_544, stopClientOrderId: 'ltd-1-stop.1', bestPrice: 105_600 });

    // A new best within the minute: no second move yet.
    venue.advance(10_000);
    venue.setPrice(106_000);
    await proc.parts.monitor.check(await store.positions.active());
    expect(stops(venue)).toEqual(['ltd-1-stop.1@104544']);

    venue.advance(60_000);
    await proc.parts.monitor.check(await store.positions.active());
    expect(stops(venue)).toEqual(['ltd-1-stop.2@104940']);

    // The trail is met on the venue: the position closes at a profit above the minimum.
    venue.advance(60_000);
    venue.setPrice(104_900);
    await proc.parts.monitor.check(await store.positions.active());
    const [trade] = await store.trades.list();
    expect(trade?.reason).toBe('stop_loss_on_exchange');
    expect(trade?.netPnl).toBeGreaterThan(proc.settings.exits.minProfitUsd);
    expect(venue.stops().filter((stop) => stop.status === 'NEW')).toEqual([]);
    audit.stop();
    expect(audit.moments).toEqual([]);
  });

  it('when the stop moves on a check that also sends the position update, then the update measures the distance to the moved stop', async () => {
    const { venue, proc, store } = await opened(id, { POSITION_UPDATE_MINUTES: '1' });

    venue.advance(61_000);
    venue.setPrice(105_600);
    await proc.parts.monitor.check(await store.positions.active());

    expect(stops(venue)).toEqual(['ltd-1-stop.1@104544']);
    const update = proc.notifier.ofType('position_update').at(-1);
    expect(update?.position.stopPrice).toBe(104_544);
    expect(update?.stopDistancePct).toBeCloseTo((105_600 - 104_544) / 105_600, 9);
  });

  it('when the venue refuses a move, then the old stop keeps protecting and the next allowed check tries again', async () => {
    const { venue, proc, store } = await opened(id);
    const [open] = await store.positions.active();
    const audit = auditProtection(venue);

    venue.advance(61_000);
    venue.setPrice(105_600);
    venue.refuseNextStop();
    await proc.parts.monitor.check(await store.positions.active());
    expect(stops(venue)).toEqual([`ltd-1-stop@${open!.stopPrice}`]);

    venue.advance(61_000);
    await proc.parts.monitor.check(await store.positions.active());
    expect(stops(venue)).toEqual(['ltd-1-stop.2@104544']);
    audit.stop();
    expect(audit.moments).toEqual([]);
  });

  it('when the daemon restarts right after a move, then the restarted one waits out the interval from that move before the next', async () => {
    const { venue, proc, store } = await opened(id);
    venue.advance(61_000);
    venue.setPrice(105_600);
    await proc.parts.monitor.check(await store.positions.active());
    expect(stops(venue)).toEqual(['ltd-1-stop.1@104544']);
    await proc.close();

    restarted = new LiveProcess(venue.target, store, { target: venue.target, symbols: [venue.btc], env: TRAILING });
    await restarted.prepare();
    await restarted.parts.reconciler.reconcile();
    // 10 s after the move, by the venue's clock the daemon runs on: a new best, but the minute is not over.
    venue.advance(10_000);
    venue.setPrice(106_000);
    await restarted.parts.monitor.check(await store.positions.active());
    expect(stops(venue)).toEqual(['ltd-1-stop.1@104544']);

    venue.advance(50_000);
    await restarted.parts.monitor.check(await store.positions.active());
    expect(stops(venue)).toEqual(['ltd-1-stop.2@104940']);
  });
});
