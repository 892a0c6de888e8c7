import { describe, expect, it } from 'vitest';
import { HealthChecks, type HealthChecksOptions } from '../../../../src/adapters/http/index.js';
import { ManualClock } from '../../../../src/adapters/clock/manual-clock.js';

const START = new Date('2025-10-15T12:00:00Z');
const at = (secondsAfterStart: number): Date => new Date(START.getTime() + secondsAfterStart * 1000);

interface Scenario {
  lastTick?: Date;
  lastExchange?: Date;
  ping?: () => Promise<void>;
}

/** Limits as a daemon would set them: loop 120 s, store 50 ms, exchange 600 s. */
function checksFor(clock: ManualClock, scenario: Scenario, overrides: Partial<HealthChecksOptions> = {}): HealthChecks {
  return new HealthChecks({
    clock,
    loop: { lastTickAt: () => scenario.lastTick, maxAgeMs: 120_000 },
    store: { ping: scenario.ping ?? (async () => undefined), timeoutMs: 50 },
    exchange: { lastExchangeSuccessAt: () => scenario.lastExchange, maxAgeMs: 600_000 },
    ...overrides,
  });
}

describe('the loop check', () => {
  it('when the last tick finished 30 s ago against a 120 s limit, then the loop is ok', async () => {
    const clock = new ManualClock(START);
    const checks = checksFor(clock, { lastTick: at(0) });
    clock.advanceTo(at(30));

    const report = await checks.check();

    expect(report.loop).toEqual({ ok: true, detail: 'last tick 30 s ago (limit 120 s)' });
  });

  it('when the last tick is 121 s old, then the loop counts as stuck', async () => {
    const clock = new ManualClock(START);
    const checks = checksFor(clock, { lastTick: at(0) });
    clock.advanceTo(at(121));

    expect((await checks.check()).loop).toEqual({ ok: false, detail: 'last tick 121 s ago (limit 120 s)' });
  });

  it('when no tick has finished yet, then it is ok for as long as the limit since start, and failing after', async () => {
    const clock = new ManualClock(START);
    const checks = checksFor(clock, {});

    clock.advanceTo(at(120));
    const starting = (await checks.check()).loop;
    clock.advanceTo(at(121));
    const stuck = (await checks.check()).loop;

    expect(starting).toEqual({ ok: true, detail: 'no tick yet; started 120 s ago (limit 120 s)' });
    expect(stuck).toEqual({ ok: false, detail: 'no tick since start 121 s ago (limit 120 s)' });
  });
});

describe('the store check', () => {
  it('when the ping resolves, then the store is ok', async () => {
    const checks = checksFor(new ManualClock(START), { ping: async () => undefined });

    expect((await checks.check()).store).toEqual({ ok: true, detail: 'answered' });
  });

  it('when the ping rejects, then the store fails with the reason', async () => {
    const checks = checksFor(new ManualClock(START), {
      ping: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      },
    });

    expect((await checks.check()).store).toEqual({ ok: false, detail: 'failed: connect ECONNREFUSED 127.0.0.1:5432' });
  });

  it('when the ping never answers, then the store fails once the timeout passes and the other checks still report', async () => {
    const clock = new ManualClock(START);
    const checks = checksFor(clock, { ping: () => new Promise<void>(() => undefined), lastTick: at(0), lastExchange: at(0) });

    const report = await checks.check();

    expect(report.store).toEqual({ ok: false, detail: 'no answer within 50 ms' });
    expect(report.loop?.ok).toBe(true);
    expect(report.exchange?.ok).toBe(true);
  });
});

describe('the exchange check', () => {
  it('when the venue answered 601 s ago against a 600 s limit, then the exchange fails', async () => {
    const clock = new ManualClock(START);
    const checks = checksFor(clock, { lastExchange: at(0) });
    clock.advanceTo(at(601));

    expect((await checks.check()).exchange).toEqual({ ok: false, detail: 'last exchange answer 601 s ago (limit 600 s)' });
  });

  it('in paper mode the detail names the market data feed', async () => {
    const clock = new ManualClock(START);
    const scenario: Scenario = { lastExchange: at(10) };
    const checks = checksFor(clock, scenario, {
      exchange: { lastExchangeSuccessAt: () => scenario.lastExchange, maxAgeMs: 600_000, label: 'market data' },
    });
    clock.advanceTo(at(70));

    expect((await checks.check()).exchange).toEqual({ ok: true, detail: 'last market data answer 60 s ago (limit 600 s)' });
  });
});
