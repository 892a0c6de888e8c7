// The liquidation guard watches the level the venue reports, not only the one worked out at the fill: funding paid out
// of the isolated margin (or margin the owner moved) shifts it while the position is held.
import { describe, expect, it } from 'vitest';
import { scriptedWorld } from '../../support/scripted-venue.js';

describe('the liquidation guard on the venue-reported level', () => {
  it('when funding has brought the venue liquidation price within 5% of the mark, then the position is closed for liquidation risk', async () => {
    const { clock, venue, store, engine } = await scriptedWorld({});
    // Recorded at the fill: 67.2. The venue now says 95.5, 4.5% under the mark of 100.
    venue.held = [{ ...venue.held[0]!, liquidationPrice: 95.5, margin: 4.6 }];
    clock.advanceBy(60_000);

    await engine.daemon.parts.monitor.check(await store.positions.active());

    expect((await store.trades.list()).map((trade) => trade.reason)).toEqual(['liquidation_risk']);
  });

  it('when it moved but stays far, then the position holds and its record carries the venue level', async () => {
    const { clock, venue, store, engine } = await scriptedWorld({});
    venue.held = [{ ...venue.held[0]!, liquidationPrice: 70.4 }];
    clock.advanceBy(60_000);

    await engine.daemon.parts.monitor.check(await store.positions.active());

    expect(await store.trades.list()).toEqual([]);
    expect((await store.positions.get('1'))?.liquidationPrice).toBe(70.4);
  });

  it('when the venue reports no level, then the one recorded at the fill stands', async () => {
    const { clock, venue, store, engine } = await scriptedWorld({});
    const { liquidationPrice: _dropped, ...withoutLevel } = venue.held[0]!;
    venue.held = [withoutLevel];
    clock.advanceBy(60_000);

    await engine.daemon.parts.monitor.check(await store.positions.active());

    expect((await store.positions.get('1'))?.liquidationPrice).toBe(67.2);
  });
});
