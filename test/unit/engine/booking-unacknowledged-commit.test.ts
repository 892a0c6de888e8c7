// A booking whose COMMIT reached the database while its acknowledgement was lost (the connection reset during COMMIT).
// The retry finds the position closed ("booked already"); the breakers then read back what that commit wrote, so the
// next booking does not write a state from before it over the stored one.
import { describe, expect, it } from 'vitest';
import type { BreakerState } from '../../../src/domain/circuit-breakers.js';
import { TemporaryError } from '../../../src/domain/errors.js';
import { buildEngine } from '../../../src/engine/build-engine.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import type { Store } from '../../../src/ports/store.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture, openLongFromScan } from '../../support/engine-fixture.js';

const START = new Date('2025-09-20T00:00:00Z');
const ETH = 'ETH/USDT:USDT';

/** Everything as the store does it, except that a transaction can commit and then report a failure (the ack was lost). */
function losingCommitAcks(inner: Store): { store: Store; loseNextAck: () => void } {
  let loseAck = false;
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'transaction') {
        return async <T>(work: Parameters<Store['transaction']>[0]): Promise<T> => {
          const result = (await target.transaction(work)) as T;
          if (loseAck) {
            loseAck = false;
            throw new TemporaryError('Connection terminated unexpectedly (during COMMIT)');
          }
          return result;
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Store;
  return { store, loseNextAck: () => (loseAck = true) };
}

/** An engine on a store that can lose a commit's answer, an hour into the ETH long its first scan opened. */
async function anHourIntoALong() {
  const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
  const fixture = await engineFixture({
    start: START,
    analysts: longs,
    settings: { symbols: [ETH], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } },
  });
  const inner = fixture.store;
  const { store, loseNextAck } = losingCommitAcks(inner);
  const ctx: EngineContext = { ...fixture.ctx, store };
  const engine = buildEngine(ctx, { orphanPolicy: 'adopt', settingsView: {} });
  await engine.daemon.start();
  const opened = await openLongFromScan(engine, ETH);
  const position = opened.status === 'opened' ? opened.position : expect.fail('not opened');
  fixture.clock.advanceTo(new Date(fixture.clock.now().getTime() + 60 * 60_000));
  return { inner, ctx, engine, position, loseNextAck };
}

describe('a booking whose commit was not acknowledged', () => {
  it('when the retry finds it booked, then the breakers in memory take the committed state', async () => {
    const { inner, ctx, engine, position, loseNextAck } = await anHourIntoALong();
    await ctx.exchange.closePosition({ clientOrderId: 'by-hand', symbol: ETH, positionSide: 'long', quantity: position.quantity });

    const { booker, breakers } = engine.daemon.parts;
    loseNextAck();
    await expect(booker.book(position, 'manual')).rejects.toThrow('during COMMIT');
    // The next check tries again: the row says closed, so nothing is booked twice.
    expect(await booker.book(position, 'manual')).toBeUndefined();

    const [trade] = await inner.trades.list();
    const stored = (await inner.state.get('breakers')) as BreakerState;
    expect(stored.realizedToday).toBeCloseTo(trade!.netPnl, 8);
    expect(breakers.current().realizedToday).toBeCloseTo(stored.realizedToday, 8);
    expect(breakers.current().consecutiveLosses).toBe(stored.consecutiveLosses);
  });

  it('when the owner\'s /close is booked and only the commit\'s answer is lost, then the owner is told it closed, with its trade, not that it failed', async () => {
    const { inner, engine, position, loseNextAck } = await anHourIntoALong();

    loseNextAck();
    const answer = engine.control.closePosition(position.id, 'telegram:owner');
    await (engine.daemon as unknown as { carryOutCommands(): Promise<void> }).carryOutCommands();

    const [trade] = await inner.trades.list();
    expect(await answer).toMatchObject({ status: 'closed', trade: { positionId: position.id, netPnl: trade!.netPnl } });
  });
});
