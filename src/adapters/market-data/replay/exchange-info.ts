// Market specs from a recorded `GET /fapi/v1/exchangeInfo`: the same filters the venue enforces on orders, so a
// replay refuses what Binance would refuse.
import { z } from 'zod';
import type { MarketSpec } from '../../../domain/market.js';
import { firstBracketMaintenanceRate } from '../../../domain/maintenance-margin.js';
import { HistoryFormatError } from './history-format-error.js';

/** Binance's default ceiling; the real one depends on the bracket, which exchangeInfo does not carry. */
export const DEFAULT_MAX_LEVERAGE = 125;

const filterSchema = z.looseObject({ filterType: z.string() });
const symbolSchema = z.looseObject({
  symbol: z.string(),
  contractType: z.string(),
  status: z.string(),
  baseAsset: z.string(),
  quoteAsset: z.string(),
  marginAsset: z.string(),
  filters: z.array(filterSchema),
});
const exchangeInfoSchema = z.looseObject({ symbols: z.array(symbolSchema) });

type SymbolInfo = z.infer<typeof symbolSchema>;

export interface MarketSpecOptions {
  /** Known maximum leverage per exchange id (e.g. from leverage brackets); others get DEFAULT_MAX_LEVERAGE. */
  readonly maxLeverage?: Readonly<Record<string, number>>;
}

/**
 * Specs of the linear USDT-margined perpetuals in `info`, keyed by exchange id (`BTCUSDT`). Quarterly and
 * USDC-margined contracts are left out: the daemon trades neither.
 */
export function marketSpecsFromExchangeInfo(
  info: unknown,
  source: string,
  options: MarketSpecOptions = {},
): Map<string, MarketSpec> {
  const parsed = exchangeInfoSchema.safeParse(info);
  if (!parsed.success) throw new HistoryFormatError(source, undefined, 'not an exchangeInfo document (no symbols list)');
  const specs = new Map<string, MarketSpec>();
  for (const symbol of parsed.data.symbols) {
    if (symbol.contractType !== 'PERPETUAL' || symbol.quoteAsset !== 'USDT' || symbol.marginAsset !== 'USDT') continue;
    specs.set(symbol.symbol, specOf(symbol, source, options));
  }
  return specs;
}

function specOf(info: SymbolInfo, source: string, options: MarketSpecOptions): MarketSpec {
  const filter = (type: string): Record<string, unknown> | undefined => info.filters.find((f) => f.filterType === type);
  const decimal = (type: string, ...keys: string[]): number | undefined => {
    const found = filter(type);
    if (found === undefined) return undefined;
    for (const key of keys) {
      const value = Number(found[key]);
      if (found[key] !== undefined && Number.isFinite(value)) return value;
    }
    throw new HistoryFormatError(source, undefined, `${info.symbol}: ${type} has no numeric ${keys.join('/')}`);
  };
  const required = (value: number | undefined, what: string): number => {
    if (value === undefined || value <= 0) throw new HistoryFormatError(source, undefined, `${info.symbol}: missing ${what}`);
    return value;
  };
  // Market orders answer to MARKET_LOT_SIZE, limit orders to LOT_SIZE; the stricter of the two fits both.
  const step = Math.max(decimal('LOT_SIZE', 'stepSize') ?? 0, decimal('MARKET_LOT_SIZE', 'stepSize') ?? 0);
  const minQty = Math.max(decimal('LOT_SIZE', 'minQty') ?? 0, decimal('MARKET_LOT_SIZE', 'minQty') ?? 0);
  return {
    symbol: `${info.baseAsset}/${info.quoteAsset}:${info.marginAsset}`,
    id: info.symbol,
    base: info.baseAsset,
    quote: info.quoteAsset,
    tickSize: required(decimal('PRICE_FILTER', 'tickSize'), 'PRICE_FILTER tickSize'),
    amountStep: required(step, 'LOT_SIZE stepSize'),
    minAmount: required(minQty, 'LOT_SIZE minQty'),
    minNotional: decimal('MIN_NOTIONAL', 'notional', 'minNotional') ?? 0,
    maintenanceMarginRate: firstBracketMaintenanceRate(info.baseAsset),
    maintenanceAmount: 0,
    maxLeverage: options.maxLeverage?.[info.symbol] ?? DEFAULT_MAX_LEVERAGE,
  };
}
