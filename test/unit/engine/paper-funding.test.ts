// The paper account outlives a restart, so INITIAL_CAPITAL changed between two starts must reach it: as a deposit or
// a withdrawal of the difference, never by wiping what the account made or lost.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { freshAccount, serializeAccount } from '../../../src/adapters/exchange/paper/paper-account.js';
import { DrawdownGuard } from '../../../src/engine/drawdown-guard.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import { BreakerService } from '../../../src/engine/breaker-service.js';
import { fundPaperAccount, lastPaperTransferAt } from '../../../src/engine/paper-funding.js';
import { DEFAULT_RISK } from '../../../src/domain/settings.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { RecordingNotifier } from '../../../src/testing/recording-notifier.js';
import { position } from '../../support/factories.js';

const NOW = new Date('2025-10-10T09:00:00Z');

/** A paper account first started on `initialCapital` that has since come to hold `balance`. */
async function accountGiven(initialCapital: number, balance: number): Promise<InMemoryStore> {
  const store = new InMemoryStore();
  expect(await fundPaperAccount(store, initialCapital, NOW)).toBeUndefined();
  await store.paperAccount.save(balance, serializeAccount(freshAccount(initialCapital)), []);
  return store;
}

/** What the drawdown switch reads: a 25% limit with warnings at 5% and 10%. */
function drawdownContext(store: InMemoryStore): EngineContext {
  return {
    clock: new ManualClock(new Date('2025-10-10T09:00:00Z')),
    store,
    notifier: new RecordingNotifier(),
    settings: { drawdown: { maxDrawdownPct: 0.25, warningStepsPct: [0.05, 0.1], closeAll: true } },
  } as unknown as EngineContext;
}

const walletOf = async (store: InMemoryStore): Promise<number | undefined> => (await store.paperAccount.load())?.balance;

describe('INITIAL_CAPITAL changed between two starts of a paper account', () => {
  it('when it is raised, then the difference is paid in and what the account made stays, and the start message says so', async () => {
    const store = await accountGiven(100, 112.5);

    const notice = await fundPaperAccount(store, 1000, NOW);

    expect(await walletOf(store)).toBe(1012.5);
    expect(notice).toMatch(/INITIAL_CAPITAL was \$100\.00 .* is \$1000\.00 now: \$900\.00 was paid into the paper wallet, which holds \$1012\.50 now/);
    // Carried out once: the next start with the same figure changes nothing.
    expect(await fundPaperAccount(store, 1000, NOW)).toBeUndefined();
    expect(await walletOf(store)).toBe(1012.5);
  });

  it('when it is lowered, then the difference is taken out', async () => {
    const store = await accountGiven(1000, 940);

    expect(await fundPaperAccount(store, 500, NOW)).toMatch(/\$500\.00 was taken out of the paper wallet, which holds \$440\.00 now/);
    expect(await walletOf(store)).toBe(440);
  });

  it('when taking it out would leave the wallet below zero, then the start is refused with the lowest figure it can take, and nothing changes', async () => {
    const store = await accountGiven(1000, 50);

    await expect(fundPaperAccount(store, 100, NOW)).rejects.toThrow(/holds \$50\.00, so taking \$900\.00 out would leave it below zero\. The lowest INITIAL_CAPITAL it can take is \$950\.00/);
    expect(await walletOf(store)).toBe(50);
    await expect(fundPaperAccount(store, 100, NOW)).rejects.toThrow(/below zero/);
  });

  it('when it is lowered while a position is open, then the start is refused, naming the position, and nothing changes', async () => {
    const store = await accountGiven(1000, 1000);
    await store.positions.create(position({ symbol: 'ETH/USDT:USDT' }));

    await expect(fundPaperAccount(store, 500, NOW)).rejects.toThrow(/taking \$500\.00 out of the paper account waits until its open position \(ETH\/USDT:USDT\) is closed/);
    expect(await walletOf(store)).toBe(1000);
    // Raising it is a deposit, which an open position does not stand in the way of.
    expect(await fundPaperAccount(store, 1500, NOW)).toMatch(/paid into/);
    expect(await walletOf(store)).toBe(1500);
  });

  it('when it changes during a drawdown, then the peak scales with the account: a deposit neither wipes nor dilutes the drawdown, a withdrawal does not deepen it', async () => {
    for (const [initialCapital, expectedPeak] of [[1_800, 2_000], [600, 1_000 * (400 / 800)]] as const) {
      // Given $1000, the account fell to $800: 20% below its peak.
      const store = await accountGiven(1000, 800);
      const ctx = drawdownContext(store);
      await new DrawdownGuard(ctx).load(1000);

      await fundPaperAccount(store, initialCapital, NOW);
      const guard = new DrawdownGuard(ctx);
      await guard.restore();
      await guard.load(800 + initialCapital - 1000);
      const wallet = (await store.paperAccount.load())?.balance ?? 0;

      expect(guard.current()?.peakEquity).toBeCloseTo(expectedPeak, 8);
      expect(1 - wallet / (guard.current()?.peakEquity ?? 0)).toBeCloseTo(0.2, 8);
      expect(guard.current()?.tripped).toBeFalsy();
    }
  });

  it('when money is paid in while a position is open (its P&L not known at start), then the peak rises by the deposit: the drawdown can look smaller, never trip the switch', async () => {
    // Given $1000 and holding a position +$300: the peak is the equity, $1300.
    const store = await accountGiven(1000, 1000);
    await store.positions.create(position({ symbol: 'ETH/USDT:USDT' }));
    const ctx = drawdownContext(store);
    await new DrawdownGuard(ctx).load(1300);

    await fundPaperAccount(store, 3000, NOW);
    const guard = new DrawdownGuard(ctx);
    await guard.restore();
    await guard.load(3300);

    expect(guard.current()?.peakEquity).toBe(3300);
    expect(guard.current()?.warned).toEqual([]);
    expect(guard.current()?.tripped).toBe(false);
  });

  it('when it changes mid-day, then the day\'s starting capital moves with it: the loss limit is 10% of what the account holds, and the day\'s result stays its trades\'', async () => {
    const store = await accountGiven(1000, 990);
    const clock = new ManualClock(new Date('2025-10-10T08:00:00Z'));
    const breakers = new BreakerService(store, clock, new RecordingNotifier(), DEFAULT_RISK);
    await breakers.load(1000);
    await store.dailyPerformance.openDay('2025-10-10', 1000);

    await fundPaperAccount(store, 100, NOW);
    const after = await new BreakerService(store, clock, new RecordingNotifier(), DEFAULT_RISK).load(90);

    expect(after).toMatchObject({ day: '2025-10-10', dayStartCapital: 100, dayStartBalance: 100 });
    expect(await store.dailyPerformance.get('2025-10-10')).toMatchObject({ startCapital: 100, endCapital: 100 });
    expect(await lastPaperTransferAt(store.state)).toEqual(NOW);
  });

  it('when the account is new, or was saved before funding was recorded, then the figure it starts with is taken as given', async () => {
    const fresh = new InMemoryStore();
    expect(await fundPaperAccount(fresh, 250, NOW)).toBeUndefined();
    expect(await walletOf(fresh)).toBeUndefined();

    const older = new InMemoryStore();
    await older.paperAccount.save(90, serializeAccount(freshAccount(100)), []);
    expect(await fundPaperAccount(older, 250, NOW)).toBeUndefined();
    expect(await walletOf(older)).toBe(90);
    expect(await fundPaperAccount(older, 300, NOW)).toMatch(/was \$250\.00 .* \$50\.00 was paid into .* holds \$140\.00 now/);
  });
});
