// "New entries allowed again" is said only when nothing holds entries back any more: the drawdown switch tripped
// before a restart, and the switches one /resume lifts together, are all counted.
import { describe, expect, it } from 'vitest';
import { buildEngine } from '../../../src/engine/build-engine.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';
import { runEngineForWakeUps } from '../../support/run-engine-until.js';

const holds = [new ScriptedAnalyst('holder', () => ({ action: 'hold' }))];

/** A store as the engine leaves it after a day whose losses tripped the drawdown switch (and, with `paused`, a /pause). */
async function afterALosingDay(options: { dailyLossTripped: boolean; paused: boolean; streak?: boolean }): Promise<InMemoryStore> {
  const store = new InMemoryStore();
  await store.state.put('breakers', {
    day: '2025-09-20',
    dayStartCapital: 1000,
    dayStartBalance: 1000,
    dayStartCapitalAsOf: 0,
    realizedToday: options.dailyLossTripped ? -120 : 0,
    consecutiveLosses: options.streak ? 3 : 1,
    streakFrom: 0,
    streakLossesAt: options.streak ? ['13:00', '14:00', '15:00'].map((time) => Date.parse(`2025-09-20T${time}:00Z`)) : [Date.parse('2025-09-20T15:00:00Z')],
    dailyLossTripped: options.dailyLossTripped,
    lossStreakPaused: options.streak ?? false,
    ...(options.streak ? { lossStreakPausedAt: Date.parse('2025-09-20T15:00:00Z') } : {}),
    manualPause: options.paused,
  });
  await store.state.put('drawdown', { peakEquity: 1400, peakAt: '2025-09-10T00:00:00.000Z', warned: [0.05, 0.1], tripped: true, trippedAt: '2025-09-20T15:00:00.000Z' });
  await store.state.put('drawdown-footing', { cap: null, since: '2025-09-01T00:00:00.000Z' });
  return store;
}

describe('the message that a breaker cleared', () => {
  it('when the daemon restarts on a new day under a tripped drawdown switch, then yesterday\u2019s cleared loss limit says entries still wait for it', async () => {
    const store = await afterALosingDay({ dailyLossTripped: true, paused: false });
    const fixture = await engineFixture({ start: new Date('2025-09-21T06:00:00Z'), analysts: holds, store });
    const engine = buildEngine(fixture.ctx, { orphanPolicy: 'adopt', settingsView: {} });

    await engine.daemon.start();

    const cleared = fixture.notifier.ofType('breaker_cleared');
    expect(cleared.map((event) => event.breaker)).toEqual(['daily_loss']);
    expect(cleared[0]?.stillBlocking).toEqual([expect.stringMatching(/drawdown/)]);
    expect(engine.daemon.parts.breakers.blocks().map((block) => block.breaker)).toEqual(['drawdown']);
  });

  it('when one /resume lifts the owner\u2019s pause and the drawdown switch, then one message tells both, and it does not say entries still wait', async () => {
    const store = await afterALosingDay({ dailyLossTripped: false, paused: true });
    const fixture = await engineFixture({ start: new Date('2025-09-20T18:00:00Z'), analysts: holds, store });
    let resumed: Promise<unknown> | undefined;

    const engine = await runEngineForWakeUps(fixture.ctx, 1, { beforeRun: (started) => (resumed = started.control.resumeEntries('telegram:owner')) });
    await resumed;

    const cleared = fixture.notifier.ofType('breaker_cleared').map((event) => [event.breaker, event.alsoCleared, event.stillBlocking]);
    expect(cleared).toEqual([['manual_pause', ['drawdown'], []]]);
    // The drawdown switch's own note, its new baseline, is kept beside the one "resumed by".
    expect(fixture.notifier.ofType('breaker_cleared')[0]?.detail).toMatch(/^entries resumed by telegram:owner; drawdown now measured from \$\d+\.\d{2}$/);
    // Each switch is still written down on its own, for the breaker history.
    expect((await store.breakers.list()).filter((row) => row.action === 'cleared').map((row) => row.breaker)).toEqual(['manual_pause', 'drawdown']);
    expect(engine.daemon.parts.breakers.blocks()).toEqual([]);
  });

  it('when one /resume lifts a pause, a losing streak and the drawdown switch, and the drawdown\u2019s history row cannot be written, then one message still names all three', async () => {
    const store = await afterALosingDay({ dailyLossTripped: false, paused: true, streak: true });
    const record = store.breakers.record.bind(store.breakers);
    store.breakers.record = async (event) => {
      if (event.breaker === 'drawdown') throw new Error('the database went away');
      return record(event);
    };
    const fixture = await engineFixture({ start: new Date('2025-09-20T18:00:00Z'), analysts: holds, store });
    let resumed: Promise<unknown> | undefined;

    const engine = await runEngineForWakeUps(fixture.ctx, 1, { beforeRun: (started) => (resumed = started.control.resumeEntries('telegram:owner')) });
    await resumed;

    const [message, ...more] = fixture.notifier.ofType('breaker_cleared');
    expect(more).toEqual([]);
    expect([message?.breaker, ...(message?.alsoCleared ?? [])]).toEqual(['manual_pause', 'loss_streak', 'drawdown']);
    // "resumed by" once, however many switches said it.
    expect(message?.detail).toMatch(/^entries resumed by telegram:owner; drawdown now measured from \$\d+\.\d{2}$/);
    expect(message?.stillBlocking).toEqual([]);
    expect(engine.daemon.parts.breakers.blocks()).toEqual([]);
  });
  it('when a /resume the owner sent before the losing streak and the drawdown switch held entries back is carried out after, then it lifts only the owner\'s pause, and says what still holds', async () => {
    const store = await afterALosingDay({ dailyLossTripped: false, paused: true, streak: true });
    const fixture = await engineFixture({ start: new Date('2025-09-20T18:00:00Z'), analysts: holds, store });
    let resumed: Promise<unknown> | undefined;

    // Sent at 14:30, before the third loss (15:00); it reached the loop only now.
    await runEngineForWakeUps(fixture.ctx, 1, { beforeRun: (started) => (resumed = started.control.resumeEntries('telegram:owner', new Date('2025-09-20T14:30:00Z'))) });

    const cleared = fixture.notifier.ofType('breaker_cleared');
    expect(cleared.map((event) => [event.breaker, event.alsoCleared])).toEqual([['manual_pause', undefined]]);
    expect(cleared[0]?.stillBlocking).toEqual([expect.stringMatching(/losing trades in a row|loss/), expect.stringMatching(/drawdown/)]);
    expect(await resumed).toEqual([expect.objectContaining({ breaker: 'loss_streak' }), expect.objectContaining({ breaker: 'drawdown' })]);
  });
});
