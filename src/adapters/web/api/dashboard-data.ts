// What the dashboard reads from, given by the composition root: the engine's owner control (status, positions,
// commands), the store's repositories and dashboard queries, and the settings it shows.
import type { Clock } from '../../../ports/clock.js';
import type { OwnerControl } from '../../../ports/control.js';
import type { DashboardReads } from '../../../ports/dashboard.js';
import type { MarketData } from '../../../ports/market-data.js';
import type { StoreRepositories } from '../../../ports/store.js';

export interface DashboardLimits {
  readonly maxLeverage: number;
  readonly positionSizePct: number;
  readonly maxLossAtStopPct: number;
  readonly dailyLossLimitPct: number;
  readonly maxConsecutiveLosses: number;
  readonly maxOpenPositions: number;
}

export interface DashboardData {
  readonly control: OwnerControl;
  readonly reads: DashboardReads;
  readonly store: Pick<StoreRepositories, 'positions' | 'orders' | 'dailyPerformance' | 'rejections' | 'state'>;
  readonly marketData: Pick<MarketData, 'candles'>;
  readonly clock: Clock;
  readonly limits: DashboardLimits;
  readonly scanIntervalMs: number;
  /** MIN_AI_CONFIDENCE: a scan's market is ranked by the votes that meet it, as the consensus counts them. */
  readonly minConfidence: number;
  /** Which secrets are configured; their values never reach the dashboard. */
  readonly secrets: readonly { readonly name: string; readonly set: boolean }[];
}

/** `read` at most once per `ttlMs`; callers in between share the answer (or the pending read). */
export function cachedFor<T>(ttlMs: number, clock: Clock, read: () => Promise<T>): () => Promise<T> {
  let value: { at: number; result: Promise<T> } | undefined;
  return () => {
    const now = clock.now().getTime();
    if (!value || now - value.at >= ttlMs) {
      const result = read();
      value = { at: now, result };
      result.catch(() => {
        value = undefined;
      });
    }
    return value.result;
  };
}
