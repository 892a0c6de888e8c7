// The owner's requests a process took and did not carry out before it died (a crash, a reboot mid-step): the next
// start carries them out and says so, or, for a resume or a close older than an hour, says they were not.
import { describe, expect, it } from 'vitest';
import { buildEngine } from '../../../src/engine/build-engine.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import type { OwnerCommand } from '../../../src/engine/owner-commands.js';
import { clientOrderId } from '../../../src/domain/order-ids.js';
import { carryOutUnfinished } from '../../../src/engine/unfinished-requests.js';
import { TemporaryError } from '../../../src/domain/errors.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture, type EngineFixture } from '../../support/engine-fixture.js';

const START = new Date('2025-09-20T00:00:00Z');
const consensus = { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 };
const build = (ctx: EngineContext) => buildEngine(ctx, { orphanPolicy: 'adopt', settingsView: {} });

/** A daemon that opened a position on ETH and then died. */
async function openedThenDied(): Promise<{ fixture: EngineFixture; positionId: string }> {
  const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
  const fixture = await engineFixture({ start: START, analysts: longs, settings: { consensus, symbols: ['ETH/USDT:USDT'] } });
  const stop = new AbortController();
  const first = build({ ...fixture.ctx, clock: { now: () => fixture.clock.now(), sleep: async () => stop.abort() } });
  await first.daemon.start();
  await first.daemon.run(stop.signal);
  const [open] = await fixture.store.positions.active();
  if (!open) throw new Error('the first run opened no position');
  return { fixture, positionId: open.id };
}

/** What the dead process left written down: these requests, sent `minutesAgo` before the restart. */
async function leftWrittenDown(fixture: EngineFixture, minutesAgo: number, ...commands: OwnerCommand[]): Promise<void> {
  const at = new Date(fixture.clock.now().getTime() - minutesAgo * 60_000).toISOString();
  await fixture.store.state.put('owner-requests', commands.map((command, index) => ({ id: `dead-${index}`, at, command })));
}

const notices = (fixture: EngineFixture) => fixture.notifier.ofType('alert').filter((alert) => alert.incident.startsWith('request:')).map((alert) => alert.message);

describe('requests left unfinished by a crash', () => {
  it('when a /close was sent a minute before the process died, then the next start closes the position and tells the owner', async () => {
    const { fixture, positionId } = await openedThenDied();
    await leftWrittenDown(fixture, 1, { kind: 'close', positionId, requestedBy: 'telegram:owner' });

    await build(fixture.ctx).daemon.start();

    expect(await fixture.store.positions.active()).toEqual([]);
    expect((await fixture.store.trades.list()).map((trade) => trade.reason)).toEqual(['manual']);
    expect(notices(fixture)).toEqual([
      expect.stringMatching(/^Carried out after a restart: your \/close of ETH\/USDT:USDT LONG \(position 1\), sent 2025-09-19 23:59 UTC by telegram:owner, .*the position is closed/),
    ]);
    expect(await fixture.store.state.get('owner-requests')).toEqual([]);
  });

  it('when a /close and a /pause were sent two hours before the restart, then the pause is carried out and the close is not, and the owner is told both', async () => {
    const { fixture, positionId } = await openedThenDied();
    await leftWrittenDown(fixture, 120, { kind: 'pause', requestedBy: 'telegram:owner' }, { kind: 'close', positionId, requestedBy: 'telegram:owner' });

    const restarted = build(fixture.ctx);
    await restarted.daemon.start();

    expect((await fixture.store.positions.active()).map((position) => position.id)).toEqual([positionId]);
    expect(restarted.daemon.parts.breakers.blocks().map((block) => block.breaker)).toEqual(['manual_pause']);
    expect(notices(fixture)).toEqual([
      expect.stringMatching(/^Carried out after a restart: your \/pause, sent 2025-09-19 22:00 UTC by telegram:owner/),
      expect.stringMatching(/^Not carried out: your \/close of ETH\/USDT:USDT LONG \(position 1\), .* started again 2 h later\. Send it again if you still want it\.$/),
    ]);
    expect(await fixture.store.state.get('owner-requests')).toEqual([]);
  });
});

describe('a /close the dead process had begun', () => {
  it('when it had marked the position closing two hours before the restart, then the close is carried out at the start and the owner is told so', async () => {
    const { fixture, positionId } = await openedThenDied();
    await leftWrittenDown(fixture, 120, { kind: 'close', positionId, requestedBy: 'telegram:owner' });
    await fixture.store.positions.update(positionId, { status: 'closing', closeReason: 'manual' });

    await build(fixture.ctx).daemon.start();

    expect(await fixture.store.positions.active()).toEqual([]);
    expect((await fixture.store.trades.list()).map((trade) => trade.reason)).toEqual(['manual']);
    expect(notices(fixture)).toEqual([
      expect.stringMatching(/^Carried out after a restart: your \/close of ETH\/USDT:USDT LONG \(position 1\), sent 2025-09-19 22:00 UTC by telegram:owner, .*the position is closed/),
    ]);
  });

  it('when its close filled just before the process died, then the owner is told the close went through, not that nothing was closed', async () => {
    const { fixture, positionId } = await openedThenDied();
    await leftWrittenDown(fixture, 1, { kind: 'close', positionId, requestedBy: 'telegram:owner' });
    const position = await fixture.store.positions.update(positionId, { status: 'closing', closeReason: 'manual' });
    const closeId = clientOrderId(fixture.ctx.settings.orderIdPrefix, positionId, 'close');
    await fixture.ctx.exchange.closePosition({ clientOrderId: closeId, symbol: position.symbol, positionSide: position.side, quantity: position.quantity });
    fixture.clock.advanceBy(1_000);

    await build(fixture.ctx).daemon.start();

    expect((await fixture.store.trades.list()).map((trade) => trade.reason)).toEqual(['manual']);
    expect(notices(fixture)).toEqual([
      'Carried out before the restart: your /close of ETH/USDT:USDT LONG (position 1), sent 2025-09-19 23:59 UTC by telegram:owner. Its close went through as the daemon stopped; the trade is reported on its own.',
    ]);
    expect(await fixture.store.state.get('owner-requests')).toEqual([]);
  });
});

describe('a request left unfinished that fails again after the restart', () => {
  it('when the first of two fails, then the owner is told it was not carried out and why, and the second is still carried out', async () => {
    const { fixture } = await openedThenDied();
    await leftWrittenDown(fixture, 1, { kind: 'resume', requestedBy: 'telegram:owner' }, { kind: 'pause', requestedBy: 'telegram:owner' });
    const { parts } = build(fixture.ctx).daemon;
    const carried: string[] = [];

    await carryOutUnfinished(fixture.ctx, parts.commands, parts.incidents, async (command) => {
      if (command.kind === 'resume') throw new TemporaryError('binance: request timed out');
      carried.push(command.kind);
    });

    expect(carried).toEqual(['pause']);
    expect(notices(fixture)).toEqual([
      expect.stringMatching(/^Not carried out: your \/resume, sent .* Trying it after the restart failed: binance: request timed out\. Send it again if you still want it\.$/),
      expect.stringMatching(/^Carried out after a restart: your \/pause/),
    ]);
    expect(await fixture.store.state.get('owner-requests')).toEqual([]);
  });
});

describe('requests sent while the restarted daemon starts', () => {
  it('when the owner pauses before the start reads what the dead process left, then its /close is still carried out and reported, and the pause too', async () => {
    const { fixture, positionId } = await openedThenDied();
    await leftWrittenDown(fixture, 1, { kind: 'close', positionId, requestedBy: 'telegram:owner' });
    const stop = new AbortController();
    const restarted = build({ ...fixture.ctx, clock: { now: () => fixture.clock.now(), sleep: async () => stop.abort() } });

    const pausing = restarted.control.pauseEntries('web:owner');
    await restarted.daemon.start();
    await restarted.daemon.run(stop.signal);
    await pausing;

    expect(await fixture.store.positions.active()).toEqual([]);
    expect(notices(fixture)).toEqual([expect.stringMatching(/^Carried out after a restart: your \/close of ETH\/USDT:USDT LONG \(position 1\), .*the position is closed/)]);
    expect(restarted.daemon.parts.breakers.blocks().map((block) => block.breaker)).toEqual(['manual_pause']);
    expect(await fixture.store.state.get('owner-requests')).toEqual([]);
  });
});
