// The equity the drawdown switch follows counts a position's open P&L only for the size the venue still holds: a stop
// that filled is in the wallet already while its booking waits for the fills.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { DrawdownGuard } from '../../../src/engine/drawdown-guard.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import type { ExchangePosition } from '../../../src/ports/exchange.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { RecordingNotifier } from '../../../src/testing/recording-notifier.js';
import { position } from '../../support/factories.js';

const ETH = 'ETH/USDT:USDT';

function guardOver(wallet: { total: number }, held: ExchangePosition[], positions = async () => held) {
  const ctx = {
    clock: new ManualClock(new Date('2025-10-10T09:00:00Z')),
    store: new InMemoryStore(),
    notifier: new RecordingNotifier(),
    exchange: { balance: async () => ({ total: wallet.total, available: wallet.total, currency: 'USDT' }), positions },
    marketData: { markPrice: async () => 95 },
    settings: { drawdown: { maxDrawdownPct: 0.25, warningStepsPct: [0.05, 0.1], closeAll: true } },
  } as unknown as EngineContext;
  return new DrawdownGuard(ctx);
}

const venueLong = (quantity: number): ExchangePosition => ({ symbol: ETH, side: 'long', quantity, entryPrice: 100, markPrice: 95, liquidationPrice: 80, margin: 800 });
// Long 40 ETH from $100 on $1000, the mark at $95: $200 under water.
const ours = position({ symbol: ETH, quantity: 40, entryPrice: 100, stopPrice: 95, status: 'open' });

describe('the drawdown switch’s equity', () => {
  it('when the stop filled and its booking waits for the fills, then the loss is counted once (the wallet’s), and the switch holds', async () => {
    const wallet = { total: 800 };
    const guard = guardOver(wallet, []);
    await guard.load(1000);

    expect(await guard.observe([ours])).toBe(false);
    expect(guard.lastReading()?.equity).toBe(800);
    expect(guard.current()?.tripped).toBe(false);
  });

  it('when the venue holds the position, then its open P&L at the mark counts, and for no more than the size held', async () => {
    expect(await guardOver({ total: 1000 }, [venueLong(40)]).equity([ours])).toBe(800);
    expect(await guardOver({ total: 900 }, [venueLong(20)]).equity([ours])).toBe(800);
  });
});

describe('the drawdown switch’s equity when the venue’s positions cannot be read', () => {
  it('then the stored sizes stand in, and nothing throws', async () => {
    const guard = guardOver({ total: 1000 }, [], async () => {
      throw new Error('venue field position ETH/USDT:USDT.contracts is not a finite number (missing)');
    });

    expect(await guard.equity([ours])).toBe(800);
  });
});
