// Hyperliquid's leverage brackets, which ccxt does not read: the `meta` answer's margin tables, each a list of tiers
// by position value with the maximum leverage allowed from there, and every asset's table id. The maintenance margin
// of a tier is half the initial margin at its maximum leverage (the venue's documented rule). An asset whose table is
// not listed has one tier at its own maximum leverage, which holds for any size.
import type { Exchange as CcxtClient, LeverageTier, MarketInterface } from 'ccxt';
import { finite } from '../wire-numbers.js';

interface MarginTier {
  readonly lowerBound?: unknown;
  readonly maxLeverage?: unknown;
}

interface Meta {
  readonly universe?: readonly { readonly name?: unknown; readonly maxLeverage?: unknown; readonly marginTableId?: unknown }[];
  readonly marginTables?: readonly (readonly [unknown, { readonly marginTiers?: readonly MarginTier[] }])[];
}

function tiersOf(symbol: string, settle: string, rows: readonly { floor: number; maxLeverage: number }[]): LeverageTier[] {
  const sorted = [...rows].sort((a, b) => a.floor - b.floor);
  return sorted.map((row, index) => ({
    tier: index + 1,
    symbol,
    currency: settle,
    minNotional: row.floor,
    maxNotional: sorted[index + 1]?.floor ?? Number.POSITIVE_INFINITY,
    maintenanceMarginRate: 0.5 / row.maxLeverage,
    maxLeverage: row.maxLeverage,
    info: row,
  }));
}

/** The venue's coin name of a ccxt market (ccxt keeps it as `baseName`; the raw entry has it as `name`). */
function coinOf(market: MarketInterface): unknown {
  return (market as unknown as { baseName?: unknown }).baseName ?? (market.info as Record<string, unknown> | undefined)?.['name'];
}

/** Every perpetual's tiers, by unified symbol, from one `meta` request. */
export async function hyperliquidLeverageTiers(exchange: CcxtClient): Promise<Record<string, LeverageTier[]>> {
  const info = exchange as unknown as { publicPostInfo: (request: Record<string, unknown>) => Promise<unknown> };
  const meta = (await info.publicPostInfo({ type: 'meta' })) as Meta;
  const tables = new Map<string, readonly MarginTier[]>();
  for (const [id, table] of meta.marginTables ?? []) tables.set(String(id), table.marginTiers ?? []);
  const bySymbol: Record<string, LeverageTier[]> = {};
  const markets = Object.values(exchange.markets ?? {}).filter((market) => market?.swap === true);
  for (const asset of meta.universe ?? []) {
    const market = markets.find((m) => coinOf(m) === asset.name);
    if (!market) continue;
    const where = `margin table of ${market.symbol}`;
    const table = tables.get(String(asset.marginTableId));
    const rows =
      table !== undefined && table.length > 0
        ? table.map((tier, index) => ({
            floor: finite(tier.lowerBound, `${where}[${index}].lowerBound`),
            maxLeverage: finite(tier.maxLeverage, `${where}[${index}].maxLeverage`),
          }))
        : [{ floor: 0, maxLeverage: finite(asset.maxLeverage, `${where}.maxLeverage`) }];
    bySymbol[market.symbol] = tiersOf(market.symbol, market.settle ?? 'USDC', rows);
  }
  return bySymbol;
}
