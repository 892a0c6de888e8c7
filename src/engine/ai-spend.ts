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

type ShadowOfMain = { readonly name: string; readonly store: Store };

/**
 * A shadow's extra calls. A takeover and the call it takes over are asked while the same 15m candle is the last
 * closed one, so both fall on the same day and month: the shadow's figure for any of them is its calls' cost less
 * what moved to the main account in it.
 */
export function shadowAiSpendOf(shadow: ShadowOfMain, main: Store, now: Date): Promise<AiSpend> {
  return spendOf(shadowCostBetween(shadow, main), now);
}

/**
 * What the AI calls of this UTC month have cost every account together: the main account's and each shadow's extra
 * calls, as /cost adds them up. The monthly budget (AI_MONTHLY_BUDGET_USD) is held against it, so it counts the
 * answers recorded at this very instant too.
 */
export async function monthAiSpendOfAll(main: Store, shadows: readonly ShadowOfMain[], now: Date): Promise<number> {
  const from = startOfUtcMonth(now);
  const to = new Date(now.getTime() + 1);
  const costs = await Promise.all([main.decisions.costBetween(from, to), ...shadows.map((shadow) => shadowCostBetween(shadow, main)(from, to))]);
  return costs.reduce((total, cost) => total + cost, 0);
}

function shadowCostBetween(shadow: ShadowOfMain, main: Store): CostBetween {
  return async (from, to) => {
    const [own, takenOver] = await Promise.all([shadow.store.decisions.costBetween(from, to), main.decisions.costTakenOverFrom(shadow.name, from, to)]);
    // Both are sums of the same recorded costs: rounding to 12 decimals removes the binary remainder of subtracting.
    return Number((own - takenOver).toFixed(12)) || 0;
  };
}

async function spendOf(costBetween: CostBetween, now: Date): Promise<AiSpend> {
  const monthStart = startOfUtcMonth(now);
  const [today, monthToDate] = await Promise.all([costBetween(startOfUtcDay(now), now), costBetween(monthStart, now)]);
  // At least an hour of the month: a figure projected from its first minutes would be noise.
  const elapsedDays = Math.max((now.getTime() - monthStart.getTime()) / DAY_MS, 1 / 24);
  return { today, monthToDate, projectedMonth: (monthToDate / elapsedDays) * daysInUtcMonth(now) };
}
