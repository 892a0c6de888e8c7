// Retention in the running daemon: once a UTC day, on the injected clock, the analyst answers, log entries, refusals,
// breaker events and delivered messages older than RECORD_RETENTION_DAYS go, and what the record still needs stays.
import { describe, expect, it } from 'vitest';
import { buildEngine } from '../../../src/engine/build-engine.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import { retentionCutoff } from '../../../src/engine/record-retention.js';
import type { Clock } from '../../../src/ports/clock.js';
import type { DecisionRecord, Store } from '../../../src/ports/store.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';
import { paidDecision } from '../../support/factories.js';

const DAY = 86_400_000;
const START = new Date('2025-09-21T10:02:30Z');
const ago = (days: number, ms = 0) => new Date(START.getTime() - days * DAY + ms);

function vote(time: Date, overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  return paidDecision(time, 0.001, { analyst: 'old-model', reasoning: 'nothing to do', ...overrides });
}

/** Runs the daemon's loop until `until`, calling `onSleep` (awaited) each time it goes to sleep. */
async function runUntil(ctx: EngineContext, until: Date, retentionDays: number, onSleep: (now: Date) => Promise<void>): Promise<void> {
  const stop = new AbortController();
  const bounded: Clock = {
    now: () => ctx.clock.now(),
    sleep: async (ms, signal) => {
      await onSleep(ctx.clock.now());
      if (ctx.clock.now().getTime() + ms > until.getTime()) stop.abort();
      else await ctx.clock.sleep(ms, signal);
    },
  };
  const engine = buildEngine({ ...ctx, clock: bounded }, { orphanPolicy: 'adopt', settingsView: {}, recordRetentionDays: retentionDays });
  await engine.daemon.start();
  await engine.daemon.run(stop.signal);
}

const seeded = (store: Store) => store.decisions.list({ from: ago(400), to: ago(10) });

describe('record retention in the daemon', () => {
  it('when the daemon runs across midnight, then old answers, logs, refusals, breaker events and messages go at its first tick and once more the next day, and a trade\u2019s votes stay', async () => {
    const fixture = await engineFixture({ start: START, analysts: [new ScriptedAnalyst('a', () => ({ action: 'hold' }))], settings: { symbols: ['BTC/USDT:USDT'] } });
    const { store } = fixture;
    const opened = ago(150);
    const position = await store.positions.create({
      symbol: 'SOL/USDT:USDT', side: 'long', leverage: 3, quantity: 1, entryPrice: 150, margin: 50, stopPrice: 140, stopLossPct: 0.066,
      liquidationPrice: 100, entryFee: 0.05, funding: 0, openedAt: opened, rationale: { confidence: 0.8, opportunityScore: 1, agreeing: ['old-model'], dissenting: [] },
    });
    await store.positions.update(position.id, { status: 'closed', closedAt: ago(149) });
    const tradeVote = vote(new Date(opened.getTime() - 60_000), { symbol: 'SOL/USDT:USDT', action: 'long', side: 'long' });
    const old = vote(ago(150));
    const kept = vote(ago(50));
    await store.decisions.recordMany([old, tradeVote, kept]);
    await store.logs.append([{ time: ago(150), level: 'warn', message: 'old line' }, { time: ago(50), level: 'warn', message: 'kept line' }]);
    await store.rejections.record({ time: ago(150), symbol: 'BTC/USDT:USDT', side: 'long', price: 100, confidence: 0.8, opportunityScore: 85, reasons: ['old'] });
    await store.breakers.record({ time: ago(150), breaker: 'loss_streak', action: 'tripped', detail: 'old' });
    const told = await store.outbox.enqueue({ createdAt: ago(150), eventType: 'position_closed', text: 'old message', payload: {} });
    await store.outbox.markDelivered(told.id, ago(150));

    // Written after the first pass: it waits for the next day's.
    const late = vote(ago(140), { analyst: 'late-model' });
    const seen: { at: string; late: boolean }[] = [];
    await runUntil(fixture.ctx, new Date('2025-09-22T00:30:00Z'), 100, async (now) => {
      if (seen.length === 0) await store.decisions.recordMany([late]);
      seen.push({ at: now.toISOString(), late: (await seeded(store)).some((record) => record.analyst === 'late-model') });
    });

    const midnight = '2025-09-22T00:00:00.000Z';
    expect(seen.filter((sample) => sample.at < midnight).every((sample) => sample.late)).toBe(true);
    expect(seen.filter((sample) => sample.at >= midnight).map((sample) => sample.late)).not.toContain(true);
    expect(seen.some((sample) => sample.at >= midnight)).toBe(true);
    expect(await seeded(store)).toEqual([tradeVote, kept]);
    expect((await store.logs.recent(10, 'trace')).map((entry) => entry.message)).toEqual(['kept line']);
    const pruned = fixture.logger.lines.filter((line) => line.message === 'records older than the retention deleted');
    expect(pruned.map((line) => line.context)).toMatchObject([
      { decisions: 1, logs: 1, rejections: 1, breakerEvents: 1, messages: 1 },
      { decisions: 1, logs: 0, rejections: 0, breakerEvents: 0, messages: 0 },
    ]);
    expect(await store.rejections.list({ to: ago(100) })).toEqual([]);
    expect(await store.breakers.list({ to: ago(100) })).toEqual([]);
  }, 60_000);

  it('when the retention is 0, then nothing is deleted, where a retention of days deletes the same row', async () => {
    const old = vote(ago(400, 1));
    const remaining = async (days: number) => {
      const fixture = await engineFixture({ start: START, analysts: [new ScriptedAnalyst('a', () => ({ action: 'hold' }))], settings: { symbols: ['BTC/USDT:USDT'] } });
      await fixture.store.decisions.recordMany([old]);
      await runUntil(fixture.ctx, new Date('2025-09-21T12:00:00Z'), days, async () => undefined);
      return fixture.store.decisions.list({ from: ago(401), to: ago(399) });
    };
    expect(await remaining(0)).toEqual([old]);
    expect(await remaining(365)).toEqual([]);
  }, 60_000);
});

describe('the retention cutoff', () => {
  it('when the retention is long, then it is that many days back', () => {
    expect(retentionCutoff(START, 190).toISOString()).toBe(ago(190).toISOString());
  });

  it('when the retention is shorter than what the spend and summaries read, then the start of the previous month or five weeks back holds', () => {
    // 21 Sep (a Sunday): the previous month began on 1 Aug, before five weeks back from Monday 15 Sep.
    expect(retentionCutoff(START, 1).toISOString()).toBe('2025-08-01T00:00:00.000Z');
    // 3 Mar: the previous month began on 1 Feb, after five weeks back from Monday 3 Mar (27 Jan).
    expect(retentionCutoff(new Date('2025-03-03T12:00:00Z'), 7).toISOString()).toBe('2025-01-27T00:00:00.000Z');
  });
});
