// What the AI analysts cost one account, read from the decisions its own store recorded. The main account pays for
// every answer it uses, including one a shadow strategy asked for first (its row then names the shadow). A shadow
// pays for its own calls less those the main account took over: what is left is what the shadow alone added.
import { DAY_MS, daysInUtcMonth, startOfUtcDay, startOfUtcMonth } from '../domain/time.js';
import type { AiSpend } from '../ports/control.js';
import type { Store } from '../ports/store.js';

type CostBetween = (from: Date, to: Date) => Promise<number>;

export function aiSpendOf(store: Store, now: Date): Promise<AiSpend> {
  return spendOf((from, to) => store.decisions.costBetween(from, to), now);
}

/**
 * A shadow's extra calls. A takeover and the call it takes over are asked while the same 15m candle is the last
 * closed one, so both fall on the same day and month: the shadow's figure for any of them is its calls' cost less
 * what moved to the main account in it.
 */
export function shadowAiSpendOf(shadow: { readonly name: string; readonly store: Store }, main: Store, now: Date): Promise<AiSpend> {
  return spendOf(async (from, to) => {
    const [own, takenOver] = await Promise.all([shadow.store.decisions.costBetween(from, to), main.decisions.costTakenOverFrom(shadow.name, from, to)]);
    // Both are sums of the same recorded costs: rounding to 12 decimals removes the binary remainder of subtracting.
    return Number((own - takenOver).toFixed(12)) || 0;
  }, now);
}

async function spendOf(costBetween: CostBetween, now: Date): Promise<AiSpend> {
  const monthStart = startOfUtcMonth(now);
  const [today, monthToDate] = await Promise.all([costBetween(startOfUtcDay(now), now), costBetween(monthStart, now)]);
  // At least an hour of the month: a figure projected from its first minutes would be noise.
  const elapsedDays = Math.max((now.getTime() - monthStart.getTime()) / DAY_MS, 1 / 24);
  return { today, monthToDate, projectedMonth: (monthToDate / elapsedDays) * daysInUtcMonth(now) };
}
