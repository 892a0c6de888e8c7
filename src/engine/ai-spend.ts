// What the AI analysts cost one account, read from the decisions its own store recorded. A shadow strategy's store
// holds its answers too, but an answer it got from the shared cache (or from a question the main account was asking
// at that moment) is recorded at no cost: what a shadow's store adds up is what the shadow alone made the owner pay.
import { DAY_MS, daysInUtcMonth, startOfUtcDay, startOfUtcMonth } from '../domain/time.js';
import type { AiSpend } from '../ports/control.js';
import type { Store } from '../ports/store.js';

export async function aiSpendOf(store: Store, now: Date): Promise<AiSpend> {
  const monthStart = startOfUtcMonth(now);
  const [today, monthToDate] = await Promise.all([
    store.decisions.costBetween(startOfUtcDay(now), now),
    store.decisions.costBetween(monthStart, now),
  ]);
  // At least an hour of the month: a figure projected from its first minutes would be noise.
  const elapsedDays = Math.max((now.getTime() - monthStart.getTime()) / DAY_MS, 1 / 24);
  return { today, monthToDate, projectedMonth: (monthToDate / elapsedDays) * daysInUtcMonth(now) };
}
