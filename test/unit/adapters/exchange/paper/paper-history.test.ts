// The paper account's history in memory is kept to HISTORY_LIMIT entries, but never at the cost of a position still
// open: its trade is booked from its own fills and funding, however long it is held and however busy other markets are.
import { describe, expect, it } from 'vitest';
import { appendHistory, freshAccount, HISTORY_LIMIT, restoreAccount, serializeAccount, type PaperAccountState } from '../../../../../src/adapters/exchange/paper/paper-account.js';
import type { PaperHistoryEntry } from '../../../../../src/ports/store.js';

const HELD = 'HELD/USDT:USDT';
const BUSY = 'BUSY/USDT:USDT';

/** An account holding a long on HELD since t=1 000, funded there every 100 ms, while BUSY settles 1.5x the limit. */
function busyAccount(): PaperAccountState {
  const state = freshAccount(1_000);
  state.positions.push({ symbol: HELD, side: 'long', quantity: 1, entryPrice: 100, margin: 20, leverage: 5, liquidationPrice: 80.4, maintenanceMarginRate: 0.005, maintenanceAmount: 0, openedAt: 1_000 });
  appendHistory(state, { kind: 'funding', entry: { symbol: HELD, time: 500, amount: -0.5 } });
  for (let index = 0; index < 1.5 * HISTORY_LIMIT; index += 1) {
    const time = 1_000 + index * 10;
    appendHistory(state, { kind: 'funding', entry: index % 10 === 0 ? { symbol: HELD, time, amount: -0.01 } : { symbol: BUSY, time, amount: 0.02 } });
  }
  return state;
}

describe('the paper history kept in memory', () => {
  it('when other markets push it past its limit, then the funding of the position still open is all kept and only older entries drop off', () => {
    const state = busyAccount();

    expect(state.funding).toHaveLength(HISTORY_LIMIT);
    const held = state.funding.filter((payment) => payment.symbol === HELD);
    // 150 payments since the position opened; the one from before it (t=500) is history like any other.
    expect(held).toHaveLength(150);
    expect(held.every((payment) => payment.time >= 1_000)).toBe(true);
    // What is dropped is the oldest of the rest: the newest BUSY payments are all there.
    const busy = state.funding.filter((payment) => payment.symbol === BUSY);
    expect(busy.at(-1)?.time).toBe(1_000 + (1.5 * HISTORY_LIMIT - 1) * 10);
    expect(busy).toHaveLength(HISTORY_LIMIT - 150);
  });

  it('when the account is loaded again from everything saved, then the same entries are kept', () => {
    const state = busyAccount();
    const saved = { balance: state.wallet, state: serializeAccount(state), history: state.unsaved as PaperHistoryEntry[] };

    const loaded = restoreAccount(JSON.parse(JSON.stringify(saved)));

    expect(loaded.funding).toEqual(state.funding);
  });
});
