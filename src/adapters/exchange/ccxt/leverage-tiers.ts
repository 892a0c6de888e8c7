// The venue's leverage brackets through ccxt's unified leverage tiers, read once a day: the table changes rarely,
// and a position's maintenance terms must come from it once the position outgrows the first bracket.
import type { Exchange as CcxtClient, LeverageTier } from 'ccxt';
import { bracketsFromRates } from '../../../domain/leverage-brackets.js';
import type { LeverageBracket } from '../../../domain/market.js';
import type { Clock } from '../../../ports/clock.js';
import { finite } from './wire-numbers.js';

const TABLE_TTL_MS = 24 * 60 * 60_000;
/** After a failed read, markets go without a table (first bracket only) this long before the venue is asked again. */
const RETRY_AFTER_FAILURE_MS = 10 * 60_000;

/**
 * Brackets from ccxt's tiers (floor, rate, max leverage per tier). The maintenance amounts are derived from the rates,
 * as the venue derives its `cum`, so a table is consistent even where a venue does not report the amount.
 */
export function bracketsOfTiers(symbol: string, tiers: readonly LeverageTier[]): LeverageBracket[] {
  const sorted = [...tiers].sort((a, b) => (a.minNotional ?? 0) - (b.minNotional ?? 0));
  const rows = sorted.map((tier, index): [number, number] => [
    finite(tier.minNotional, `leverage tier ${symbol}[${index}].minNotional`),
    finite(tier.maintenanceMarginRate, `leverage tier ${symbol}[${index}].maintenanceMarginRate`),
  ]);
  const maxLeverages = sorted.map((tier) => (typeof tier.maxLeverage === 'number' && tier.maxLeverage > 0 ? tier.maxLeverage : undefined));
  const brackets = bracketsFromRates(rows, maxLeverages);
  // The venue's last tier ends somewhere too; beyond it the venue refuses, and so must the sizing.
  const lastCap = sorted[sorted.length - 1]?.maxNotional;
  const last = brackets[brackets.length - 1];
  if (last !== undefined && typeof lastCap === 'number' && Number.isFinite(lastCap) && lastCap > last.notionalFloor) {
    brackets[brackets.length - 1] = { ...last, notionalCap: lastCap };
  }
  return brackets;
}

/** Every market's brackets from one request, kept for a day; a failed read is tried again ten minutes later. */
export class LeverageTierTable {
  private table?: { readonly at: number; readonly tiers: Promise<Record<string, LeverageTier[]>> };

  constructor(
    private readonly client: () => Promise<CcxtClient>,
    private readonly clock: Clock,
    /** How the venue's table is read; ccxt's unified `fetchLeverageTiers` unless the venue's profile knows better. */
    private readonly read: (exchange: CcxtClient) => Promise<Record<string, LeverageTier[]>> = (exchange) =>
      exchange.fetchLeverageTiers() as Promise<Record<string, LeverageTier[]>>,
  ) {}

  async brackets(symbol: string): Promise<LeverageBracket[] | undefined> {
    const now = this.clock.now().getTime();
    if (this.table === undefined || now - this.table.at >= TABLE_TTL_MS) {
      const tiers = this.client().then((exchange) => this.read(exchange));
      this.table = { at: now, tiers };
      tiers.catch(() => {
        if (this.table?.tiers === tiers) this.table = { at: now - TABLE_TTL_MS + RETRY_AFTER_FAILURE_MS, tiers: Promise.resolve({}) };
      });
    }
    const tiers = (await this.table.tiers)[symbol];
    return tiers === undefined || tiers.length === 0 ? undefined : bracketsOfTiers(symbol, tiers);
  }
}
