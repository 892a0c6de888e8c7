// The owner's confirmed /close of a position whose own (discretionary) close had failed earlier is carried through as
// the owner's (reason `manual`): the min-profit band, which holds back only the daemon's own exits, never calls it off.
import { afterEach, describe, expect, it } from 'vitest';
import type { CloseOutcome } from '../../../src/ports/control.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
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

function sayingExit(name: string): ScriptedAnalyst {
  const analyst = new ScriptedAnalyst(name, () => ({ action: 'hold' }), 'ai');
  analyst.exitAnswer = { outcome: 'valid', shouldExit: true, confidence: 0.9, reason: 'momentum turned' };
  return analyst;
}

const CLOSE_503 = (v: FakeBinance): void => v.failNext({ path: '/fapi/v1/order', method: 'POST', status: 503 });

/** A long whose AI exit was refused by the venue once: left `closing` with reason ai_exit, a loser at 99 950. */
async function aiExitThatFailed(): Promise<{ venue: FakeBinance; store: InMemoryStore; proc: LiveProcess }> {
  venue = await startVenue();
  const store = new InMemoryStore();
  proc = new LiveProcess(venue, store, { exitAnalysts: [sayingExit('claude'), sayingExit('grok')] });
  await proc.prepare();
  venue.setPrice('BTCUSDT', 100_000);
  expect((await proc.enter()).status).toBe('opened');
  venue.advance(60_000);
  venue.setPrice('BTCUSDT', 99_950);
  CLOSE_503(venue);
  expect((await proc.parts.monitor.check(await store.positions.active())).closed).toBe(0);
  expect((await store.positions.active()).map((p) => [p.status, p.closeReason])).toEqual([['closing', 'ai_exit']]);
  return { venue, store, proc };
}

/** The owner's confirmed close, carried out by the loop's command step (as the loop does between its steps). */
async function ownerClose(p: LiveProcess, positionId: string): Promise<CloseOutcome> {
  const outcome = p.engine.control.closePosition(positionId, 'telegram:owner');
  await (p.daemon as unknown as { carryOutCommands(): Promise<void> }).carryOutCommands();
  return outcome;
}

describe('owner close of a position whose discretionary close failed before', () => {
  it('when the owner is told "closing, the daemon retries it at every check" and the price then turns into a small winner, then the owner\u2019s close is still carried through', async () => {
    const { venue, store, proc } = await aiExitThatFailed();
    const [position] = await store.positions.active();

    // The owner presses "Confirm close"; the venue refuses once more, so the owner is told the close is under way.
    CLOSE_503(venue);
    const outcome = await ownerClose(proc, position!.id);
    expect(outcome.status).toBe('pending');

    // Next check: the long is now a winner of about +$1, inside the band the daemon's own exits must not book.
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 100_200);
    await proc.parts.monitor.check(await store.positions.active());

    // The owner asked for the close and was promised retries: the position must not be reopened by the band rule.
    expect(await store.positions.active()).toEqual([]);
    expect((await store.trades.list()).map((trade) => trade.reason)).toEqual(['manual']);
  });

  it('when the owner\u2019s close of such a position goes through at a small winner, then the trade is the owner\u2019s (manual), not an AI exit below the minimum profit', async () => {
    const { venue, store, proc } = await aiExitThatFailed();
    const [position] = await store.positions.active();

    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 100_200);
    const outcome = await ownerClose(proc, position!.id);

    expect(outcome.status).toBe('closed');
    const trade = outcome.status === 'closed' ? outcome.trade : undefined;
    expect(trade!.netPnl).toBeGreaterThan(0);
    expect(trade!.netPnl).toBeLessThan(proc.settings.exits.minProfitUsd);
    // Booked, messaged and counted in /stats as the owner's close.
    expect(trade!.reason).toBe('manual');
    expect(proc.notifier.ofType('position_closed').map((e) => e.trade.reason)).toEqual(['manual']);
  });
});
