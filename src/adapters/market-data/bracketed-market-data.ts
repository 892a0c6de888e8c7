// Market data whose contract specs carry the venue's leverage brackets, from a source the public feed does not have:
// the account's signed bracket endpoint in live mode, the bundled table in paper mode. Everything else passes through.
import type { LeverageBracket, MarketSpec } from '../../domain/market.js';
import type { Logger } from '../../ports/logger.js';
import type { MarketData } from '../../ports/market-data.js';

/** Where brackets come from, asked per market (by its unified symbol or its exchange id, as the source keys them). */
export type BracketSource = (spec: MarketSpec) => Promise<readonly LeverageBracket[] | undefined>;

/**
 * `market()` with the source's brackets. When the source fails, the spec goes without them, which allows positions
 * inside the first bracket only: smaller than wanted, never less safe.
 */
export function withLeverageBrackets<T extends MarketData>(marketData: T, source: BracketSource, logger: Logger): T {
  const log = logger.child({ module: 'market-data.brackets' });
  const market = async (symbol: string): Promise<MarketSpec> => {
    const spec = await marketData.market(symbol);
    try {
      const brackets = await source(spec);
      return brackets === undefined || brackets.length === 0 ? spec : { ...spec, brackets };
    } catch (error) {
      log.warn({ symbol: spec.symbol, err: (error as Error).message }, 'leverage brackets unavailable: positions stay inside the first bracket');
      return spec;
    }
  };
  return new Proxy(marketData, {
    get(target, property, receiver) {
      if (property === 'market') return market;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Brackets from a fixed table keyed by exchange id, such as the bundled file. */
export function bracketTable(byId: ReadonlyMap<string, readonly LeverageBracket[]>): BracketSource {
  return async (spec) => byId.get(spec.id);
}
