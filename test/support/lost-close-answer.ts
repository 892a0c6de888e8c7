// A scripted world in which the long's close went out at 96 and filled 0.6 of 1 (the rest expired), and the daemon
// stopped before the close's answer was written: the record still says 1, closing, and the stop still covers 1.
import { scriptedWorld } from './scripted-venue.js';

export async function afterALostCloseAnswer() {
  const world = await scriptedWorld({ TAKE_PROFIT_ON_EXCHANGE: 'false' });
  const { clock, venue, store, setPrice } = world;
  clock.advanceBy(60_000);
  setPrice(96);
  venue.closeFills = 0.6;
  await store.orders.record({ clientOrderId: 'ltd-1-close', positionId: '1', symbol: 'ETH/USDT:USDT', purpose: 'close', side: 'sell', type: 'market', quantity: 1, createdAt: clock.now() });
  await venue.closePosition({ clientOrderId: 'ltd-1-close', symbol: 'ETH/USDT:USDT', quantity: 1 });
  const closing = await store.positions.update('1', { status: 'closing', closeReason: 'manual' });
  return { ...world, closing };
}
