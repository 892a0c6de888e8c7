// An entry whose first send never reached the venue is sent again and fills. The check that the venue holds no more
// than that fill (a late first send would be more) must not cost the known fill its stop: a failed read of the market
// or of the positions leaves the fill protected and the position kept, never failed.
import { describe, expect, it } from 'vitest';
import { TemporaryError } from '../../../src/domain/errors.js';
import type { Exchange } from '../../../src/ports/exchange.js';
import { ETH, entryOnFaultyVenue, withCalls } from '../../support/entry-on-faulty-venue.js';

/** The first send never reaches the venue; the second fills; then the market or the position read fails. */
async function resentEntry(failAfterResend: 'market' | 'positions') {
  let sends = 0;
  const opened = await entryOnFaultyVenue({
    exchange: (venue) =>
      withCalls(venue, {
        placeEntry: async (request: Parameters<Exchange['placeEntry']>[0]) => {
          sends += 1;
          if (sends === 1) throw new TemporaryError('placeEntry timed out (never reached the venue)');
          return venue.placeEntry(request);
        },
        positions: async () => {
          if (failAfterResend === 'positions' && sends >= 2) throw new TemporaryError('503 from the venue');
          return venue.positions();
        },
      }),
    marketData: (data) =>
      withCalls(data, {
        market: async (symbol: string) => {
          if (failAfterResend === 'market' && sends >= 2) throw new TemporaryError('market list unavailable');
          return data.market(symbol);
        },
      }),
  });
  return { ...opened, sends: () => sends };
}

describe('a resent entry that filled, with a read after it failing', () => {
  it('when the market read fails, then the position is kept, not marked failed', async () => {
    const { fixture, venue, outcome, sends } = await resentEntry('market');
    expect(sends()).toBe(2);
    const held = (await venue.positions()).filter((p) => p.symbol === ETH);
    expect(outcome.status).not.toBe('rejected');
    expect(held).toHaveLength(1);
    expect((await fixture.store.positions.active()).map((p) => p.symbol)).toEqual([ETH]);
  });

  it('when the position read fails, then the known fill gets its stop and the position opens', async () => {
    const { venue, outcome } = await resentEntry('positions');
    const held = (await venue.positions()).filter((p) => p.symbol === ETH);
    const stops = (await venue.openOrders(ETH)).filter((o) => o.type === 'stop_market');
    expect(held).toHaveLength(1);
    expect(stops.map((order) => order.quantity)).toEqual([held[0]?.quantity]);
    expect(outcome.status).toBe('opened');
  });
});
