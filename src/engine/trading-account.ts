// The capital the engine may use. In live mode it never exceeds the configured capital, however much the account
// holds: the owner decides how much the daemon may risk, not the account balance.
import { capitalWithin } from '../domain/trading-capital.js';
import type { Balance } from '../ports/exchange.js';
import type { EngineContext } from './engine-context.js';

export interface TradingAccount {
  /** Capital for sizing and the daily loss limit. */
  readonly capital: number;
  /** What may be posted as new margin. */
  readonly available: number;
}

export function capped(balance: Balance, cap: number | undefined): TradingAccount {
  const capital = capitalWithin(balance.total, cap);
  if (capital === balance.total) return { capital, available: balance.available };
  const inUse = Math.max(0, balance.total - balance.available);
  return { capital, available: Math.max(0, Math.min(balance.available, capital - inUse)) };
}

export async function tradingAccount(ctx: EngineContext): Promise<TradingAccount> {
  return capped(await ctx.exchange.balance(), ctx.settings.capitalCap);
}
